import Foundation
import LinliCore
import LinliData
import Vapor

/// `/api/v1/assistance`: 社会救助 — cases from 受理 to decision, their steps, attachments, re-checks, the 公示 and
/// its objections, and the year's standards. Scoped like the registry; the declaration is a full view, audited.
struct AssistanceAPI {
    let objectionLimiter: RateLimiter

    func boot(_ routes: Routes) {
        let a = routes.grouped("assistance")
        a.get("cases", needs: .permission(.assistanceRead), use: list)
        a.post("cases", needs: .permission(.assistanceWrite), use: apply)
        a.get("cases", ":id", needs: .permission(.assistanceRead), use: file)
        a.get("cases", ":id", "facts", needs: .permission(.assistanceFullView), use: facts)
        a.post("cases", ":id", "steps", needs: .permission(.assistanceRead), use: step)
        a.post("cases", ":id", "rechecks", needs: .permission(.assistanceWrite), use: recheck)
        // Scans ride as a multipart body of up to ten files of 10 MB.
        a.on(.POST, "cases", ":id", "attachments", needs: .permission(.assistanceWrite), body: .collect(maxSize: "110mb"), use: attach)
        a.get("cases", ":id", "attachments", ":file", needs: .permission(.assistanceFullView), use: attachment)
        a.get("objections", needs: .permission(.assistanceRead), use: objections)
        a.post("objections", ":id", needs: .permission(.assistanceReview), use: handleObjection)
        a.get("standards", needs: .permission(.assistanceRead), use: standards)
        a.put("standards", needs: .permission(.assistanceStandards), use: saveStandard)
        a.get("settings", needs: .permission(.assistanceRead), use: settings)
        a.put("settings", ":kind", needs: .permission(.assistanceStandards), use: saveSetting)
        // The 公示 is public: anyone may read it and object, without signing in.
        a.get("notices", needs: .open, use: notices)
        a.post("notices", ":id", "objections", needs: .open, use: object)
        a.get("mine", needs: .permission(.assistanceOwn), use: mine)
    }

    func list(req: Request) async throws -> JSONBody<PageDTO<AssistanceCaseDTO>> {
        let page = try await req.assistance.cases(in: try req.narrowedScope(), filter: try AssistanceService.filter(req), page: try req.pageRequest())
        let today = req.application.linli.today()
        return JSONBody(PageDTO(page) { AssistanceCaseDTO($0, today: today) })
    }

    func apply(req: Request) async throws -> JSONBody<AssistanceCaseDTO> {
        let c = try await AssistanceService.apply(req, try req.decodeJSON(AssistanceService.ApplicationInput.self))
        return JSONBody(AssistanceCaseDTO(c, today: req.application.linli.today()), status: .created)
    }

    func file(req: Request) async throws -> JSONBody<AssistanceFileDTO> {
        JSONBody(try await AssistanceService.file(req, id: try req.pathUUID()))
    }

    /// Incomes, assets, labour capacity, disability and illness: written to the audit log before they are shown.
    func facts(req: Request) async throws -> JSONBody<DeclaredFactsDTO> {
        JSONBody(DeclaredFactsDTO(try await req.assistance.facts(of: try req.pathUUID(), in: req.registryScope, by: req.auditActor)))
    }

    /// Who may take a step depends on the step (community, street, approver): the data layer decides, 403 otherwise.
    func step(req: Request) async throws -> JSONBody<AssistanceCaseDTO> {
        let c = try await AssistanceService.step(req, id: try req.pathUUID(), try req.decodeJSON(AssistanceService.StepInput.self))
        return JSONBody(AssistanceCaseDTO(c, today: req.application.linli.today()))
    }

    func recheck(req: Request) async throws -> JSONBody<AssistanceCaseDTO> {
        let c = try await AssistanceService.recheck(req, id: try req.pathUUID(), try req.decodeJSON(AssistanceService.RecheckInput.self))
        return JSONBody(AssistanceCaseDTO(c, today: req.application.linli.today()))
    }

    struct AttachmentForm: Decodable { var attachments: [File]? }

    func attach(req: Request) async throws -> JSONBody<[AssistanceAttachmentDTO]> {
        let id = try req.pathUUID()
        guard req.headers.contentType?.type == "multipart" else {
            throw ProblemError.badRequest("attachments", "附件应以 multipart/form-data 上传，字段名 attachments[]")
        }
        // A body with no parts (or none readable) is no upload: the data layer says so at the field.
        let files = ((try? req.content.decode(AttachmentForm.self))?.attachments ?? [])
            .map { AttachmentUpload(filename: $0.filename, data: Array($0.data.readableBytesView)) }
        let written = try await req.assistance.attach(files, to: id, by: req.assistanceActor)
        return JSONBody(written.map(AssistanceAttachmentDTO.init), status: .created)
    }

    func attachment(req: Request) async throws -> Response { try await AssistanceService.attachment(req) }

    func objections(req: Request) async throws -> JSONBody<[AssistanceObjectionDTO]> {
        JSONBody(try await req.assistance.objections(in: try req.narrowedScope(), openOnly: try req.queryBool("open") == true)
            .map(AssistanceObjectionDTO.init))
    }

    struct HandleInput: Decodable {
        var upheld: Bool?
        var note: String?
    }

    func handleObjection(req: Request) async throws -> HTTPStatus {
        let i = try req.decodeJSON(HandleInput.self)
        guard let upheld = i.upheld else { throw ProblemError.badRequest("upheld", "请说明异议是否成立（upheld: true/false）") }
        try await req.assistance.handleObjection(try req.pathUUID(), upheld: upheld, note: i.note, by: req.assistanceActor)
        return .noContent
    }

    func standards(req: Request) async throws -> JSONBody<[AssistanceStandardDTO]> {
        JSONBody(try await req.assistance.standards().map(AssistanceStandardDTO.init))
    }

    func saveStandard(req: Request) async throws -> JSONBody<AssistanceStandardDTO> {
        let i = try req.decodeJSON(AssistanceStandardDTO.self)
        return JSONBody(AssistanceStandardDTO(try await req.assistance.saveStandard(i.standard, version: i.version, by: req.auditActor)))
    }

    func settings(req: Request) async throws -> JSONBody<[AssistanceSettingRecord]> {
        JSONBody(try await req.assistance.settings())
    }

    struct SettingInput: Decodable {
        var approvalLevel: ApprovalLevel?
        var decisionDays: Int?
        var version: Int?
    }

    func saveSetting(req: Request) async throws -> JSONBody<[AssistanceSettingRecord]> {
        guard let kind = AssistanceKind(rawValue: req.parameters.get("kind") ?? "") else { throw RegistryError.notFound("救助类别") }
        let i = try req.decodeJSON(SettingInput.self)
        guard let level = i.approvalLevel else { throw ProblemError.badRequest("approval_level", "请选择审批层级：district 或 street") }
        try await req.assistance.saveSetting(kind, approvalLevel: level, decisionDays: i.decisionDays ?? AssistanceSchedule.defaultDecisionDays,
                                             version: try requireVersion(i.version), by: req.auditActor)
        return JSONBody(try await req.assistance.settings())
    }

    func notices(req: Request) async throws -> JSONBody<[AssistanceNoticeDTO]> {
        guard let community = try req.queryDivisionCode("community", level: .community) else {
            throw ProblemError.badRequest("community", "请指定村/社区代码（community）")
        }
        return JSONBody(try await req.assistance.notices(community: community.value).map(AssistanceNoticeDTO.init))
    }

    struct ObjectionInput: Decodable {
        var text: String?
        var contact: String?
    }

    func object(req: Request) async throws -> HTTPStatus {
        let i = try req.decodeJSON(ObjectionInput.self)
        try await AssistanceService.object(req, caseID: try req.pathUUID(), text: i.text, contact: i.contact, limiter: objectionLimiter)
        return .accepted
    }

    /// The signed-in resident's own household's cases (status only: no incomes).
    func mine(req: Request) async throws -> JSONBody<[AssistanceCaseDTO]> {
        let p = try req.requireSignedIn()
        let today = req.application.linli.today()
        return JSONBody((try await req.assistance.ownCases(account: p.account.id) ?? []).map { AssistanceCaseDTO($0, today: today) })
    }
}
