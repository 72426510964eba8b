import Foundation
import LinliCore
import LinliData
import Vapor

extension Request {
    /// 社会救助's queries for this request: today's date, the cipher of personal data and the attachment folder.
    var assistance: AssistanceQueries {
        let linli = application.linli
        return AssistanceQueries(db, cipher: linli.cipher, today: linli.today(), attachments: linli.assistanceAttachments, now: linli.now)
    }

    /// The caller as the assistance writes see them: their scope and what their role lets them do.
    var assistanceActor: AssistanceActor {
        let permissions = principal?.role.permissions ?? []
        return AssistanceActor(audit: auditActor, scope: registryScope, mayWrite: permissions.contains(.assistanceWrite),
                               mayReview: permissions.contains(.assistanceReview), mayApprove: permissions.contains(.assistanceApprove))
    }
}

extension AppConfig {
    /// Scans attached to applications: a folder beside the request photos.
    var assistanceAttachments: AssistanceAttachmentStore {
        let photos = photoDirectory ?? (dataDirectory as NSString).appendingPathComponent("photos")
        return AssistanceAttachmentStore(directory: ((photos as NSString).deletingLastPathComponent as NSString).appendingPathComponent("assistance"))
    }
}

/// What the API and the console pages share: inputs as typed, turned into the data layer's calls.
enum AssistanceService {
    struct ApplicationInput: Decodable {
        var kind: String?
        var householdId: UUID?
        var applicantId: UUID?
        var facts: DeclaredFactsDTO
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            kind = try c.decodeIfPresent(String.self, forKey: .kind)
            householdId = try c.decodeIfPresent(UUID.self, forKey: .householdId)
            applicantId = try c.decodeIfPresent(UUID.self, forKey: .applicantId)
            facts = try DeclaredFactsDTO(from: decoder)
        }
        init(kind: String?, householdId: UUID?, applicantId: UUID?, facts: DeclaredFactsDTO) {
            self.kind = kind; self.householdId = householdId; self.applicantId = applicantId; self.facts = facts
        }
        enum CodingKeys: String, CodingKey { case kind, householdId, applicantId }
    }

    static func kind(_ raw: String?) throws -> AssistanceKind {
        guard let raw, let k = AssistanceKind(rawValue: raw) else {
            throw RegistryError.invalid([FieldError("kind", "请选择救助类别，可选：\(AssistanceKind.allCases.map(\.rawValue).joined(separator: "、"))")])
        }
        return k
    }

    static func apply(_ req: Request, _ i: ApplicationInput, files: [AttachmentUpload] = []) async throws -> AssistanceCaseRecord {
        let application = AssistanceApplication(kind: try kind(i.kind), householdId: i.householdId, applicantId: i.applicantId, facts: try i.facts.facts(),
                                                attachments: files)
        return try await req.assistance.apply(application, by: req.assistanceActor)
    }

    struct StepInput: Decodable {
        var action: String?
        var version: Int?
        var note: String?
        var checkSource: String?
        var checkDate: String?
        var checkResult: String?
        var investigators: [String]?
        var visitDate: String?
        var noticeFrom: String?
        var noticeTo: String?
        var amount: Int?
    }

    static func step(_ req: Request, id: UUID, _ i: StepInput) async throws -> AssistanceCaseRecord {
        guard let raw = i.action, let action = AssistanceAction(rawValue: raw), action != .accept else {
            throw RegistryError.invalid([FieldError("action", "操作无效，可选：\(AssistanceAction.allCases.filter { $0 != .accept }.map(\.rawValue).joined(separator: "、"))")])
        }
        let input = AssistanceStepInput(action: action, version: try requireVersion(i.version), note: i.note, checkSource: i.checkSource,
                                        checkDate: i.checkDate, checkResult: i.checkResult, investigators: i.investigators ?? [],
                                        visitDate: i.visitDate, noticeFrom: i.noticeFrom, noticeTo: i.noticeTo, amount: i.amount)
        return try await req.assistance.act(on: id, input, by: req.assistanceActor)
    }

    struct RecheckInput: Decodable {
        var outcome: String?
        var amount: Int?
        var reason: String?
        var version: Int?
    }

    static func recheck(_ req: Request, id: UUID, _ i: RecheckInput) async throws -> AssistanceCaseRecord {
        var outcome: RecheckOutcome?
        if let raw = i.outcome {
            guard let o = RecheckOutcome(rawValue: raw) else {
                throw RegistryError.invalid([FieldError("outcome", "复核结果可选：confirm、adjust、end")])
            }
            outcome = o
        }
        return try await req.assistance.recheck(id, outcome: outcome, amount: i.amount, reason: i.reason, version: try requireVersion(i.version),
                                                by: req.assistanceActor)
    }

    /// A case's file for the caller's scope.
    static func file(_ req: Request, id: UUID) async throws -> AssistanceFileDTO {
        let q = req.assistance, today = req.application.linli.today()
        guard let c = try await q.assistanceCase(id, in: req.registryScope) else { throw RegistryError.notFound("救助案件") }
        let members = try await q.members(of: id)
        return AssistanceFileDTO(case: AssistanceCaseDTO(c, today: today), members: members.map(AssistanceMemberDTO.init),
                                 steps: try await q.steps(of: id).map(AssistanceStepDTO.init),
                                 attachments: try await q.attachments(of: id).map(AssistanceAttachmentDTO.init),
                                 rechecks: try await q.rechecks(of: id).map(AssistanceRecheckDTO.init),
                                 objections: try await q.objections(of: id).map(AssistanceObjectionDTO.init),
                                 reviewNeeded: c.stage == .approved && members.contains { $0.lifeStatus != .active })
    }

    /// An attachment of a case in the caller's scope (`:id`, `:file`).
    static func attachment(_ req: Request) async throws -> Response {
        let q = req.assistance
        guard let c = try await q.assistanceCase(try req.pathUUID(), in: req.registryScope) else { throw RegistryError.notFound("救助案件") }
        let fileID = try req.pathUUID("file")
        guard let a = try await q.attachments(of: c.id).first(where: { $0.id == fileID }), let store = q.attachmentStore else {
            throw RegistryError.notFound("附件")
        }
        let data = try store.read(a)
        // A scan of an ID card or a medical record: a full view, audited before it is sent.
        try await AuditLog.record(AuditEvent(AssistanceAudit.viewAttachment, target: .assistanceCase(c.number), detail: ["file": a.id.uuidString]),
                                  by: req.auditActor, on: req.db, now: req.application.linli.now())
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.replaceOrAdd(name: .contentType, value: a.contentType)
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return response
    }

    static func filter(_ req: Request) throws -> AssistanceFilter {
        var f = AssistanceFilter()
        f.kind = try req.queryEnum("kind", AssistanceKind.self)
        f.stage = try req.queryEnum("stage", AssistanceStage.self)
        f.overdue = try req.queryBool("overdue") == true
        f.recheckDue = try req.queryBool("recheck_due") == true
        f.gridCode = try req.queryDivisionCode("grid", level: .grid)?.value
        return f
    }

    /// An objection to a notice, from anyone (the portal or the API), limited per address.
    static func object(_ req: Request, caseID: UUID, text: String?, contact: String?, limiter: RateLimiter) async throws {
        guard limiter.allow(req.clientAddress, now: req.application.linli.now()) else {
            throw ProblemError(status: .tooManyRequests, detail: "提交过于频繁，请稍后再试")
        }
        try await req.assistance.lodgeObjection(caseID: caseID, text: text, contact: contact, by: req.auditActor)
    }
}
