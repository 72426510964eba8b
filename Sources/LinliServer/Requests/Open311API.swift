import Foundation
import LinliCore
import LinliData
import Vapor

/// Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) under `/open311/v2/`, in JSON and XML,
/// so that existing GeoReport clients work unchanged. Errors use the spec's own body, not problem+json.
struct Open311API {
    let submitLimiter: RateLimiter

    func boot(_ routes: Routes) {
        // Reads are public; a submission needs an API key, which the handler checks (Open311's own error format).
        let root = routes.grouped("open311")
        root.get(":resource", needs: .open, use: wrap(discovery))
        let v2 = root.grouped("v2")
        v2.get(":resource", needs: .open, use: wrap(collection))
        v2.get(":resource", ":file", needs: .open, use: wrap(member))
        v2.on(.POST, ":resource", needs: .open, body: .collect(maxSize: "64kb"), use: wrap(post))
    }

    enum Format: String { case json, xml }

    /// A spec error: `[{"code": 400, "description": "…"}]`.
    struct Failure: Error {
        var status: HTTPResponseStatus
        var description: String
    }

    /// `name.json` / `name.xml` → (name, format).
    static func split(_ file: String) throws -> (String, Format) {
        guard let dot = file.lastIndex(of: "."), let format = Format(rawValue: String(file[file.index(after: dot)...]).lowercased()) else {
            throw Failure(status: .notFound, description: "未知的地址：须以 .json 或 .xml 结尾")
        }
        return (String(file[..<dot]), format)
    }

    func wrap(_ handler: @escaping @Sendable (Request) async throws -> Response) -> @Sendable (Request) async throws -> Response {
        { req in
            let format = (try? Open311API.split(req.url.path.split(separator: "/").last.map(String.init) ?? "").1) ?? .json
            do {
                return try await handler(req)
            } catch let f as Failure {
                return Open311API.errors([(f.status, f.description)], status: f.status, format: format)
            } catch RegistryError.invalid(let errors) {
                return Open311API.errors(errors.map { (.badRequest, "\($0.field)：\($0.message)") }, status: .badRequest, format: format)
            } catch RegistryError.notFound(let what) {
                return Open311API.errors([(.notFound, "未找到该\(what)")], status: .notFound, format: format)
            } catch let e as any AbortError where e.status.code < 500 {
                return Open311API.errors([(e.status, "请求格式有误")], status: e.status, format: format)
            }
        }
    }

    static func errors(_ list: [(HTTPResponseStatus, String)], status: HTTPResponseStatus, format: Format) -> Response {
        let items: [Open311Value] = list.map { .object([("code", .int(Int($0.0.code))), ("description", .string($0.1))]) }
        return render(.array(items), xmlRoot: "errors", xmlItem: "error", format: format, status: status)
    }

    // MARK: Resources

    func discovery(req: Request) async throws -> Response {
        let (name, format) = try Open311API.split(req.parameters.get("resource") ?? "")
        guard name == "discovery" else { throw Failure(status: .notFound, description: "未知的地址") }
        // The configured address, never the request's Host header (which the client writes).
        let base = req.application.publicURL + "/open311/v2/"
        let endpoint: Open311Value = .object([
            ("specification", .string("http://wiki.open311.org/GeoReport_v2")), ("url", .string(base)),
            ("changeset", .string("2026-11-25T00:00:00+08:00")), ("type", .string("production")),
            ("formats", .array([.string("application/json"), .string("text/xml")])),
        ])
        let body: Open311Value = .object([
            ("changeset", .string("2026-11-25T00:00:00+08:00")), ("contact", .string("邻里社区治理平台 区网格化服务管理中心")),
            ("key_service", .string("API 密钥由平台管理员用 linli open311 keys create --name 应用名 发放")),
            ("endpoints", .array([endpoint])),
        ])
        return Open311API.render(body, xmlRoot: "discovery", xmlItem: "endpoint", format: format)
    }

    func collection(req: Request) async throws -> Response {
        let (name, format) = try Open311API.split(req.parameters.get("resource") ?? "")
        switch name {
        case "services": return try await services(req, format)
        case "requests": return try await requests(req, format)
        default: throw Failure(status: .notFound, description: "未知的地址")
        }
    }

    func member(req: Request) async throws -> Response {
        let (id, format) = try Open311API.split(req.parameters.get("file") ?? "")
        let q = req.requestQueries
        switch req.parameters.get("resource") {
        case "services":
            guard let c = try await q.category(code: id), c.isLeaf, c.active else { throw Failure(status: .notFound, description: "服务 \(id) 不存在") }
            let attributes: [Open311Value] = c.attributeList.enumerated().map { i, a in
                var fields: [(String, Open311Value)] = [("variable", .bool(true)), ("code", .string(a.code)), ("datatype", .string(a.datatype.rawValue)),
                                                        ("required", .bool(a.required)), ("datatype_description", .null),
                                                        ("order", .int(i + 1)), ("description", .string(a.description))]
                if let values = a.values {
                    fields.append(("values", .array(values.sorted { $0.key < $1.key }.map { .object([("key", .string($0.key)), ("name", .string($0.value))]) })))
                }
                return .object(fields)
            }
            let body: Open311Value = .object([("service_code", .string(c.code)), ("attributes", .array(attributes))])
            return Open311API.render(body, xmlRoot: "service_definition", xmlItem: "attribute", format: format)
        case "requests":
            guard let r = try await q.find(number: id, in: .everything) else { throw Failure(status: .notFound, description: "事项 \(id) 不存在") }
            return try await renderRequests([r], req, format)
        case "tokens":
            guard let uuid = UUID(uuidString: id), let r = try await q.find(id: uuid, in: .everything) else {
                throw Failure(status: .notFound, description: "令牌 \(id) 不存在")
            }
            let body: Open311Value = .array([.object([("service_request_id", .string(r.number)), ("token", .string(id))])])
            return Open311API.render(body, xmlRoot: "service_requests", xmlItem: "request", format: format)
        default:
            throw Failure(status: .notFound, description: "未知的地址")
        }
    }

    func services(_ req: Request, _ format: Format) async throws -> Response {
        let all = try await req.requestQueries.categories()
        let groups = Dictionary(uniqueKeysWithValues: all.filter { !$0.isLeaf }.map { ($0.code, $0.name) })
        let items: [Open311Value] = all.filter(\.isLeaf).map { c in
            .object([("service_code", .string(c.code)), ("service_name", .string(c.name)),
                     ("description", .string("\(c.kind.label)·\(groups[c.parentCode ?? ""] ?? "")：\(c.name)，处置时限\(c.limitHours)小时")),
                     ("metadata", .bool(!c.attributeList.isEmpty)), ("type", .string("realtime")),
                     ("keywords", .string([c.kind.label, groups[c.parentCode ?? ""]].compactMap { $0 }.joined(separator: ","))),
                     ("group", .string(groups[c.parentCode ?? ""] ?? ""))])
        }
        return Open311API.render(.array(items), xmlRoot: "services", xmlItem: "service", format: format)
    }

    func requests(_ req: Request, _ format: Format) async throws -> Response {
        var filter = RequestFilter()
        if let ids = req.query[String.self, at: "service_request_id"], !ids.isEmpty {
            filter.numbers = try ids.split(separator: ",").prefix(1000).map {
                guard let n = Int64($0.trimmingCharacters(in: .whitespaces)) else { throw Failure(status: .badRequest, description: "service_request_id 应为数字") }
                return n
            }
        }
        if let codes = req.query[String.self, at: "service_code"], !codes.isEmpty {
            filter.categories = codes.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        }
        let now = req.nowSeconds
        func date(_ name: String) throws -> Int64? {
            guard let raw = req.query[String.self, at: name], !raw.isEmpty else { return nil }
            guard let d = Open311API.parseDate(raw) else { throw Failure(status: .badRequest, description: "\(name) 应为 W3C 日期时间，如 2026-11-01T00:00:00+08:00") }
            return d
        }
        // The spec's default window: the last 90 days, unless dates are given (at most 90 days apart).
        let end = try date("end_date") ?? now
        let start = try date("start_date") ?? (end - 90 * 86400)
        guard start <= end, end - start <= 90 * 86400 else { throw Failure(status: .badRequest, description: "start_date 与 end_date 应相隔不超过90天") }
        if filter.numbers.isEmpty {
            filter.reportedFrom = start
            filter.reportedTo = end + 1
        }
        if let s = req.query[String.self, at: "status"], !s.isEmpty {
            let set = Set(s.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            guard set.isSubset(of: ["open", "closed"]) else { throw Failure(status: .badRequest, description: "status 可选 open、closed") }
            if set.count == 1 { filter.isOpen = set.contains("open") }
        }
        // The spec's limit: at most 1,000 requests in one answer.
        return try await renderRequests(try await req.requestQueries.recent(in: .everything, filter: filter, now: now, limit: 1000), req, format)
    }

    func renderRequests(_ items: [RequestRecord], _ req: Request, _ format: Format) async throws -> Response {
        let q = req.requestQueries
        let names = try await RequestNames.load(q)
        let divisions = try await DivisionQueries(req.db).all(in: .everything).reduce(into: [String: String]()) { $0[$1.code] = $1.name }
        // Only what the staff wrote to the reporter is public; their internal notes never leave the console.
        let replies = try await q.lastReplies(of: items.filter { names.categories[$0.categoryCode]?.kind == .facility }.map(\.id))
        var out: [Open311Value] = []
        for r in items {
            let c = names.categories[r.categoryCode]
            let open = r.status.isOpen
            // Event descriptions (disputes, safety) may name people, and so may the replies about them: both stay off the public API.
            let publicText = c?.kind == .facility
            out.append(.object([
                ("service_request_id", .string(r.number)), ("status", .string(open ? "open" : "closed")),
                ("status_notes", publicText ? replies[r.id].map { .string($0) } ?? .null : .null),
                ("service_name", .string(c?.name ?? r.categoryCode)), ("service_code", .string(r.categoryCode)),
                ("description", publicText ? .string(r.description) : .null),
                ("agency_responsible", .string(names.unitName(r.handler ?? r.holderCode, divisions: divisions) ?? "")),
                ("service_notice", .string("处置时限\(c?.limitHours ?? 0)小时；当前：\(r.status.label)")),
                ("requested_datetime", .string(WireTime.string(r.reportedAt))), ("updated_datetime", .string(WireTime.string(r.updatedAt))),
                ("expected_datetime", .string(WireTime.string(r.dueAt))),
                ("address", r.address.map { .string($0) } ?? .null), ("address_id", r.buildingId.map { .string($0.uuidString.lowercased()) } ?? .null),
                ("zipcode", .null), ("lat", r.latitude.map { .double($0) } ?? .null), ("long", r.longitude.map { .double($0) } ?? .null),
                ("media_url", .null),
            ]))
        }
        return Open311API.render(.array(out), xmlRoot: "service_requests", xmlItem: "request", format: format)
    }

    struct PostForm: Decodable {
        var api_key: String?
        var service_code: String?
        var lat: String?
        var long: String?
        var address_string: String?
        var address_id: String?
        var email: String?
        var device_id: String?
        var account_id: String?
        var first_name: String?
        var last_name: String?
        var phone: String?
        var description: String?
        var media_url: String?
        var attribute: [String: String]?
    }

    func post(req: Request) async throws -> Response {
        let (name, format) = try Open311API.split(req.parameters.get("resource") ?? "")
        guard name == "requests" else { throw Failure(status: .notFound, description: "未知的地址") }
        guard req.headers.contentType == .urlEncodedForm else {
            throw Failure(status: .badRequest, description: "请以 application/x-www-form-urlencoded 提交")
        }
        let form: PostForm
        do { form = try req.content.decode(PostForm.self) } catch { throw Failure(status: .badRequest, description: "表单格式有误") }
        guard let app = try await Open311Keys(req.db).application(for: form.api_key ?? "") else {
            throw Failure(status: .forbidden, description: "api_key 无效或已吊销")
        }
        guard submitLimiter.allow("open311:" + app, now: req.application.linli.now()) else {
            throw Failure(status: .tooManyRequests, description: "提交过于频繁，请稍后再试")
        }
        func coordinate(_ raw: String?, _ field: String) throws -> Double? {
            guard let raw, !raw.isEmpty else { return nil }
            guard let v = Double(raw), v.isFinite else { throw Failure(status: .badRequest, description: "\(field) 应为数字") }
            return v
        }
        var building: UUID?
        if let a = form.address_id, !a.isEmpty {
            guard let id = UUID(uuidString: a) else { throw Failure(status: .badRequest, description: "address_id 应为楼栋编号（UUID）") }
            building = id
        }
        let reporter = [form.last_name, form.first_name].compactMap { $0?.trimmingCharacters(in: .whitespaces) }.joined()
        let draft = RequestDraft(categoryCode: form.service_code, description: form.description, buildingID: building,
                                 latitude: try coordinate(form.lat, "lat"), longitude: try coordinate(form.long, "long"),
                                 address: form.address_string, attributes: form.attribute ?? [:], reporterName: reporter.isEmpty ? nil : reporter,
                                 phone: form.phone, email: form.email, channel: "open311")
        let actor = AuditActor(id: nil, username: "(open311:\(app))", role: "open311", ip: req.clientAddress)
        let submitted = try await req.requestQueries.submit(draft, reporter: actor, accountID: nil, now: req.nowSeconds)
        let r = submitted.request
        var fields: [(String, Open311Value)] = [("service_request_id", .string(r.number)),
                                                ("service_notice", .string("已受理登记，编号 \(r.number)，查询码 \(submitted.accessCode ?? "")，预计 \(WireTime.string(r.dueAt)) 前办结"))]
        fields.append(("account_id", form.account_id.map { .string($0) } ?? .null))
        return Open311API.render(.array([.object(fields)]), xmlRoot: "service_requests", xmlItem: "request", format: format, status: .created)
    }

    /// W3C date-times (`2026-11-01T08:00:00+08:00`, `…Z`, or a bare date).
    static func parseDate(_ s: String) -> Int64? {
        if let d = CivilDate(s) { return Int64(d.dayNumber) * 86400 - 8 * 3600 }
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        if let d = f.date(from: s) { return Int64(d.timeIntervalSince1970) }
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.date(from: s).map { Int64($0.timeIntervalSince1970) }
    }

    // MARK: Rendering

    static func render(_ value: Open311Value, xmlRoot: String, xmlItem: String, format: Format, status: HTTPResponseStatus = .ok) -> Response {
        let response = Response(status: status)
        switch format {
        case .json:
            response.headers.contentType = .json
            response.body = .init(string: value.json)
        case .xml:
            response.headers.replaceOrAdd(name: .contentType, value: "text/xml; charset=utf-8")
            response.body = .init(string: #"<?xml version="1.0" encoding="utf-8"?>"# + value.xml(root: xmlRoot, item: xmlItem))
        }
        return response
    }
}

extension Application {
    /// Where clients reach the server: `LINLI_PUBLIC_URL`, else the address the server listens on.
    var publicURL: String {
        if let url = linli.publicURL { return url }
        let c = http.server.shared.configuration
        let host = c.hostname.contains(":") ? "[\(c.hostname)]" : c.hostname
        return "http://\(host):\(c.port)"
    }
}

/// A value as both of Open311's formats write it.
indirect enum Open311Value: Sendable {
    case string(String), int(Int), double(Double), bool(Bool), null
    case array([Open311Value])
    case object([(String, Open311Value)])

    var json: String {
        switch self {
        case .string(let s): return Open311Value.jsonString(s)
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        case .array(let a): return "[" + a.map(\.json).joined(separator: ",") + "]"
        case .object(let o): return "{" + o.map { Open311Value.jsonString($0.0) + ":" + $0.1.json }.joined(separator: ",") + "}"
        }
    }

    static func jsonString(_ s: String) -> String {
        var json = JSONBytes()
        json.string(s)
        return String(decoding: json.bytes, as: UTF8.self)
    }

    /// Arrays become `<root><item>…</item>…</root>`; nested arrays take their key as the wrapper and its
    /// singular (`attributes` → `attribute`, `values` → `value`, `endpoints` → `endpoint`) for items.
    func xml(root: String, item: String) -> String {
        switch self {
        case .array(let a): return "<\(root)>" + a.map { $0.xmlBody(tag: item) }.joined() + "</\(root)>"
        default: return xmlBody(tag: root)
        }
    }

    private func xmlBody(tag: String) -> String {
        switch self {
        case .null: return "<\(tag)></\(tag)>"
        case .string(let s): return "<\(tag)>\(HTML.escape(s))</\(tag)>"
        case .int, .double, .bool: return "<\(tag)>\(json)</\(tag)>"
        case .array(let a):
            let child = tag == "formats" ? "format" : tag.hasSuffix("s") ? String(tag.dropLast()) : "item"
            return "<\(tag)>" + a.map { $0.xmlBody(tag: child) }.joined() + "</\(tag)>"
        case .object(let o): return "<\(tag)>" + o.map { $0.1.xmlBody(tag: $0.0) }.joined() + "</\(tag)>"
        }
    }
}
