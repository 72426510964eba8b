import Foundation
import LinliCore
import LinliData
import Vapor

extension Request {
    /// 四个公开与财务公开's queries for this request.
    var disclosure: DisclosureQueries {
        let linli = application.linli
        return DisclosureQueries(db, today: linli.today(), attachments: linli.disclosureAttachments, now: linli.now)
    }

    var disclosureActor: DisclosureActor {
        let p = principal?.role.permissions ?? []
        return DisclosureActor(audit: auditActor, scope: registryScope, mayWrite: p.contains(.disclosureWrite), mayApprove: p.contains(.disclosureApprove))
    }
}

extension AppConfig {
    /// Files attached to notices: a folder beside the request photos, like the assistance scans.
    var disclosureAttachments: AssistanceAttachmentStore {
        let photos = photoDirectory ?? (dataDirectory as NSString).appendingPathComponent("photos")
        return AssistanceAttachmentStore(directory: ((photos as NSString).deletingLastPathComponent as NSString).appendingPathComponent("disclosure"))
    }
}

/// What the API and the console pages share: inputs as typed, turned into the data layer's calls.
enum DisclosureService {
    struct NoticeBody: Decodable {
        var communityCode: String?
        var kind: String?
        var title: String?
        var body: String?
        var publishOn: String?
        var endOn: String?
        var minimumDays: Int?
    }

    struct WithdrawBody: Decodable {
        var reason: String?
        var version: Int?
    }

    struct EntryBody: Decodable {
        var communityCode: String?
        var direction: String?
        var onDate: String?
        var subject: String?
        var counterpart: String?
        var amountFen: Int64?
        var voucherNo: String?
        var version: Int?
    }

    struct ReverseBody: Decodable {
        var onDate: String?
        var voucherNo: String?
    }

    struct StatementBody: Decodable {
        var communityCode: String?
        var quarter: String?
    }

    static func date(_ raw: String?, field: String) throws -> CivilDate? {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        guard let d = CivilDate(raw) else { throw RegistryError.invalid([FieldError(field, "日期应为 YYYY-MM-DD")]) }
        return d
    }

    static func kind(_ raw: String?) throws -> NoticeKind? {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        guard let k = NoticeKind.parse(raw) else {
            throw RegistryError.invalid([FieldError("kind", "公开类别可选：\(NoticeKind.allCases.map { "\($0.rawValue)（\($0.label)）" }.joined(separator: "、"))")])
        }
        return k
    }

    static func direction(_ raw: String?) throws -> LedgerDirection? {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        guard let d = LedgerDirection(rawValue: raw) ?? LedgerDirection.allCases.first(where: { $0.label == raw }) else {
            throw RegistryError.invalid([FieldError("direction", "请选择收入（income）或支出（expense）")])
        }
        return d
    }

    static func notice(_ b: NoticeBody) throws -> DisclosureNoticeInput {
        DisclosureNoticeInput(kind: try kind(b.kind), title: b.title, body: b.body, publishOn: try date(b.publishOn, field: "publish_on"),
                    endOn: try date(b.endOn, field: "end_on"), minimumDays: b.minimumDays)
    }

    static func entry(_ b: EntryBody) throws -> LedgerEntryInput {
        LedgerEntryInput(direction: try direction(b.direction), onDate: try date(b.onDate, field: "on_date"), subject: b.subject, counterpart: b.counterpart,
                         amountFen: b.amountFen, voucherNo: b.voucherNo)
    }

    /// A community's ledger of a quarter, or a statement with its entries, as .xlsx (audited).
    static func export(_ req: Request, community raw: String?, quarter text: String?) async throws -> Response {
        let q = req.disclosure
        let c = try await q.community(raw, in: req.registryScope)
        guard let text, let quarter = Quarter(text) else { throw ProblemError.badRequest("quarter", "季度应写作 YYYY-Qn，如 2026-Q3") }
        let path = ListExport.temporaryPath("xlsx")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await q.exportLedger(c, quarter: quarter, to: path, by: req.disclosureActor)
        return ListExport.download(path: path, name: "财务公开-\(c.name)-\(quarter.description).xlsx", format: "xlsx")
    }
}
