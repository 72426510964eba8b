import Foundation
import LinliCore
import LinliData
import Vapor

extension Request {
    /// 一表通's queries for this request.
    var reports: ReportsQueries {
        let linli = application.linli
        return ReportsQueries(db, today: linli.today(), now: linli.now)
    }

    /// A department account sees its department's forms in every community; the others their scope's communities.
    var reportsActor: ReportsActor {
        let p = principal?.role.permissions ?? []
        let department = principal?.role == .department ? (principal?.account.departmentCode ?? "~") : nil
        return ReportsActor(audit: auditActor, scope: department == nil ? registryScope : .everything, department: department,
                            mayDesign: p.contains(.reportsDesign), mayFill: p.contains(.reportsFill), mayReveal: p.contains(.reportsReveal))
    }
}

/// What the API and the console pages share: bodies as typed, the platform's values of a form's automatic fields.
enum ReportsService {
    struct FieldBody: Decodable {
        var header: String?
        var kind: String?
        var measure: String?
        var filters: [String: String]?
    }

    /// Decoded without the API's key conversion: a filter's name (`age_min`) is data, kept as given.
    struct FormBody: Decodable {
        var taskId: UUID?
        var title: String?
        var referenceDate: String?
        var dueDate: String?
        var fields: [FieldBody]?
        var version: Int?
        enum CodingKeys: String, CodingKey {
            case taskId = "task_id", title, referenceDate = "reference_date", dueDate = "due_date", fields, version
        }
    }

    /// A typed value: a string, or a whole number given as a JSON number.
    struct Value: Decodable {
        var text: String
        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let s = try? c.decode(String.self) { text = s } else { text = String(try c.decode(Int64.self)) }
        }
    }

    struct ReturnBody: Decodable {
        var values: [Value?]?
    }

    struct SendBackBody: Decodable {
        var comment: String?
    }

    static func decode<T: Decodable>(_ req: Request, _ type: T.Type) throws -> T {
        guard let ct = req.headers.contentType, ct.type == "application", ct.subType == "json" || ct.subType.hasSuffix("+json") else {
            throw Abort(.unsupportedMediaType)
        }
        guard let body = req.body.data, body.readableBytes > 0 else { throw ProblemError.badRequest("body", "请求内容为空，应为 JSON 对象") }
        if let refused = JSONText.firstRefused(in: body) { throw ProblemError.badRequest(refused.field, refused.message) }
        return try JSONDecoder().decode(T.self, from: body)
    }

    static func date(_ raw: String?, field: String) throws -> CivilDate? {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        guard let d = CivilDate(raw) else { throw RegistryError.invalid([FieldError(field, "日期应为 YYYY-MM-DD")]) }
        return d
    }

    static func input(_ b: FormBody) throws -> ReportFormInput {
        var errors: [FieldError] = []
        let fields = b.fields.map { list in
            list.enumerated().map { i, f -> ReportField in
                let kind = f.kind.flatMap(ReportFieldKind.init(rawValue:))
                if kind == nil {
                    errors.append(FieldError("fields[\(i)].kind", "栏目类型可选：\(ReportFieldKind.allCases.map { "\($0.rawValue)（\($0.label)）" }.joined(separator: "、"))"))
                }
                return ReportField(header: f.header ?? "", kind: kind ?? .text, measure: f.measure, filters: f.filters ?? [:])
            }
        }
        let input = ReportFormInput(title: b.title, referenceDate: try date(b.referenceDate, field: "reference_date"),
                                    dueDate: try date(b.dueDate, field: "due_date"), fields: fields)
        if !errors.isEmpty { throw RegistryError.invalid(errors) }
        return input
    }

    static func context(_ req: Request, _ form: ReportFormRecord) -> MeasureContext {
        MeasureContext(db: req.db, date: form.reference ?? req.application.linli.today(), cipher: req.application.linli.cipher)
    }

    /// The platform's values of the form's count and sum fields, for all `communities` in one pass per measure
    /// (`Capabilities.measures.values` once per form): by community, by field index. A field whose measure is
    /// not in the catalogue is absent.
    static func automatic(_ req: Request, _ form: ReportFormRecord, communities: [String]) async throws -> [String: [Int: String]] {
        let fields = form.fieldList
        var indices: [Int] = [], queries: [MeasureQuery] = []
        for (i, f) in fields.enumerated() where f.kind == .measure {
            if let q = f.query, Capabilities.measures.definition(q.measure) != nil { indices.append(i); queries.append(q) }
        }
        var out: [String: [Int: String]] = [:]
        for c in communities { out[c] = [:] }
        if !queries.isEmpty {
            let values = try await Capabilities.measures.values(queries, communities: communities, context: context(req, form))
            for (k, i) in indices.enumerated() { for c in communities { out[c]?[i] = String(values[k][c] ?? 0) } }
        }
        return out
    }

    /// The rows of a list field for one community; full only when `reveal` (checked and audited by the caller).
    static func listRows(_ req: Request, _ form: ReportFormRecord, field: Int, community: String, reveal: Bool) async throws -> (MeasureDefinition, [[String]])? {
        let fields = form.fieldList
        guard fields.indices.contains(field), fields[field].kind == .list, let q = fields[field].query,
              let d = Capabilities.measures.definition(q.measure), let s = Capabilities.measures.source(q.measure) else { return nil }
        return (d, try await s.rows(of: d, filters: q.filters, community: community, reveal: reveal, context: context(req, form)))
    }

    /// The values of a community's return as shown: frozen ones while submitted, the platform's otherwise, and
    /// the typed ones; a list field shows its number of rows.
    static func shown(_ req: Request, _ form: ReportFormRecord, community: String, saved: ReportReturnRecord?,
                      automatic: [Int: String], listCounts: Bool) async throws -> [String?] {
        let fields = form.fieldList
        let stored = saved?.valueList ?? []
        let frozen = saved?.status == .submitted
        var out: [String?] = []
        for (i, f) in fields.enumerated() {
            let kept = i < stored.count ? stored[i] : nil
            switch f.kind {
            case .number, .text: out.append(kept)
            case .measure: out.append(frozen && kept != nil ? kept : automatic[i])
            case .list:
                if frozen, let kept {
                    out.append(kept)
                } else if listCounts, let found = try await listRows(req, form, field: i, community: community, reveal: false) {
                    out.append("\(found.1.count)人")
                } else {
                    out.append(nil)
                }
            }
        }
        return out
    }

    /// The automatic answers to freeze on submitting: the platform's values and each list's row count.
    static func frozen(_ req: Request, _ form: ReportFormRecord, community: String) async throws -> [Int: String] {
        var auto = try await automatic(req, form, communities: [community])[community] ?? [:]
        for (i, f) in form.fieldList.enumerated() where f.kind == .list {
            if let found = try await listRows(req, form, field: i, community: community, reveal: false) { auto[i] = "\(found.1.count)人" }
        }
        return auto
    }

    /// The form and one of its communities the caller may see (404 otherwise).
    static func target(_ req: Request) async throws -> (ReportFormRecord, String) {
        let id = try req.pathUUID()
        let community = req.parameters.get("community") ?? ""
        let (f, seen) = try await req.reports.form(id, by: req.reportsActor)
        guard seen.contains(community) else { throw RegistryError.notFound("村/社区") }
        return (f, community)
    }

    static func returnDTO(_ req: Request, _ f: ReportFormRecord, _ community: String) async throws -> ReportReturnDTO {
        let saved = try await req.reports.returnRow(f.id, community: community)
        var auto: [Int: String] = [:]
        if saved?.status != .submitted { auto = try await ReportsService.automatic(req, f, communities: [community])[community] ?? [:] }
        let values = try await ReportsService.shown(req, f, community: community, saved: saved, automatic: auto, listCounts: true)
        return ReportReturnDTO(form: f.id, community: community, name: try await ReportsTable.names(req)[community], saved: saved, values: values)
    }
}
