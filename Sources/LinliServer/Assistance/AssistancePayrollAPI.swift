import Foundation
import LinliCore
import LinliData
import Vapor

/// `/api/v1/assistance/payrolls`: 救助金发放 — a street's monthly roll, generated from the approved cases,
/// checked, exported for the bank (full ID numbers, audited) and marked paid; corrections as new lines.
struct AssistancePayrollAPI {
    func boot(_ routes: Routes) {
        let a = routes.grouped("assistance")
        a.get("payrolls", needs: .permission(.assistanceRead), use: list)
        a.post("payrolls", needs: .permission(.assistanceReview), use: generate)
        a.get("payrolls", ":id", needs: .permission(.assistanceRead), use: show)
        a.post("payrolls", ":id", "check", needs: .permission(.assistanceReview), use: check)
        a.post("payrolls", ":id", "paid", needs: .permission(.assistanceReview), use: paid)
        a.get("payrolls", ":id", "export", needs: .permission(.assistanceReview), use: export)
        a.get("cases", ":id", "payments", needs: .permission(.assistanceRead), use: history)
        a.post("payments", ":id", "corrections", needs: .permission(.assistanceReview), use: correct)
    }

    static func month(_ req: Request) throws -> String? {
        guard let raw = try req.queryString("month", maxLength: 7) else { return nil }
        guard let m = AssistanceMonth.parse(raw) else { throw ProblemError.badRequest("month", "参数 month 的格式应为 YYYY-MM") }
        return m
    }

    func list(req: Request) async throws -> JSONBody<PageDTO<AssistanceRollDTO>> {
        let page = try await req.assistance.rolls(in: try req.narrowedScope(), month: try Self.month(req), page: try req.pageRequest())
        return JSONBody(PageDTO(page, AssistanceRollDTO.init))
    }

    struct GenerateInput: Decodable {
        var streetCode: String?
        var month: String?
    }

    func generate(req: Request) async throws -> JSONBody<AssistanceRollDTO> {
        let i = try req.decodeJSON(GenerateInput.self)
        let r = try await req.assistance.generateRoll(street: i.streetCode, month: i.month, by: req.assistanceActor)
        return JSONBody(AssistanceRollDTO(r), status: r.version == 1 ? .created : .ok)
    }

    /// A roll and a page of its lines, names masked.
    func show(req: Request) async throws -> JSONBody<AssistanceRollPageDTO> {
        let id = try req.pathUUID(), q = req.assistance
        guard let roll = try await q.roll(id, in: req.registryScope) else { throw RegistryError.notFound("发放名册") }
        let lines = try await q.lines(of: id, in: req.registryScope, page: try req.pageRequest())
        return JSONBody(AssistanceRollPageDTO(roll: AssistanceRollDTO(roll), lines: PageDTO(lines, AssistancePaymentDTO.init)))
    }

    struct VersionInput: Decodable { var version: Int? }

    func check(req: Request) async throws -> JSONBody<AssistanceRollDTO> {
        let v = req.body.data == nil ? nil : try req.decodeJSON(VersionInput.self).version
        return JSONBody(AssistanceRollDTO(try await req.assistance.advanceRoll(try req.pathUUID(), to: .checked, version: v, by: req.assistanceActor)))
    }

    func paid(req: Request) async throws -> JSONBody<AssistanceRollDTO> {
        let v = req.body.data == nil ? nil : try req.decodeJSON(VersionInput.self).version
        return JSONBody(AssistanceRollDTO(try await req.assistance.advanceRoll(try req.pathUUID(), to: .paid, version: v, by: req.assistanceActor)))
    }

    func export(req: Request) async throws -> Response { try await AssistancePayrollExport.download(req) }

    func history(req: Request) async throws -> JSONBody<[AssistancePaymentDTO]> {
        JSONBody(try await req.assistance.payments(ofCase: try req.pathUUID(), in: req.registryScope).map(AssistancePaymentDTO.init))
    }

    struct CorrectionInput: Decodable {
        var amount: Int?
        var reason: String?
        var month: String?
    }

    func correct(req: Request) async throws -> JSONBody<AssistancePaymentDTO> {
        let i = try req.decodeJSON(CorrectionInput.self)
        let line = try await req.assistance.correct(payment: try req.pathUUID(), AssistanceCorrection(amount: i.amount, reason: i.reason, month: i.month),
                                                    by: req.assistanceActor)
        return JSONBody(AssistancePaymentDTO(line), status: .created)
    }
}

/// The bank's file of a roll as a download: full names and ID numbers. Audited (the API's and the console's).
enum AssistancePayrollExport {
    static func download(_ req: Request) async throws -> Response {
        let id = try req.pathUUID(), q = req.assistance
        guard let roll = try await q.roll(id, in: req.registryScope) else { throw RegistryError.notFound("发放名册") }
        let path = ListExport.temporaryPath("xlsx")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await q.exportRoll(id, to: path, by: req.assistanceActor)
        return ListExport.download(path: path, name: "救助金发放名册-\(roll.streetCode)-\(roll.month).xlsx", format: "xlsx")
    }
}

struct AssistanceRollDTO: Encodable, Sendable {
    var id: UUID
    var streetCode: String
    var streetName: String?
    var month: String
    var status: AssistanceRollStatus
    var statusLabel: String
    var lines: Int
    var total: Int
    var generatedBy: String
    var generatedAt: Int64
    var checkedBy: String?
    var checkedAt: Int64?
    var paidBy: String?
    var paidAt: Int64?
    var version: Int

    init(_ r: AssistanceRollRecord) {
        id = r.id; streetCode = r.streetCode; streetName = r.streetName; month = r.month; status = r.status; statusLabel = r.status.label
        lines = r.lines; total = r.total; generatedBy = r.generatedBy; generatedAt = r.generatedAt; checkedBy = r.checkedBy; checkedAt = r.checkedAt
        paidBy = r.paidBy; paidAt = r.paidAt; version = r.version
    }
}

/// A payment line as lists show it: the applicant's name masked, the ID number masked.
struct AssistancePaymentDTO: Encodable, Sendable {
    var id: UUID
    var rollId: UUID
    var rollMonth: String?
    var caseId: UUID
    var caseNumber: String?
    var nameMasked: String
    var idMasked: String?
    var kind: AssistanceKind
    var kindLabel: String
    var month: String
    var amount: Int
    var status: AssistancePaymentStatus
    var communityCode: String
    var communityName: String?
    var correctionOf: UUID?
    var note: String?

    init(_ p: AssistancePaymentRecord) {
        id = p.id; rollId = p.rollId; rollMonth = p.rollMonth; caseId = p.caseId; caseNumber = p.caseNumber
        nameMasked = Masking.name(p.applicantName ?? ""); idMasked = p.idMasked; kind = p.kind; kindLabel = p.kind.shortLabel; month = p.month
        amount = p.amount; status = p.status; communityCode = p.communityCode; communityName = p.communityName; correctionOf = p.correctionOf; note = p.note
    }
}

struct AssistanceRollPageDTO: Encodable, Sendable {
    var roll: AssistanceRollDTO
    var lines: PageDTO<AssistancePaymentDTO>
}
