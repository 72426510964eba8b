import Foundation
import LinliCore
import LinliData
import Vapor

extension Request {
    /// The body as JSON of type `T`; a wrong content type is 415, malformed JSON or a wrong type 400.
    func decodeJSON<T: Decodable>(_ type: T.Type) throws -> T {
        guard let ct = headers.contentType, ct.type == "application", ct.subType == "json" || ct.subType.hasSuffix("+json") else {
            throw Abort(.unsupportedMediaType)
        }
        guard let body = body.data, body.readableBytes > 0 else {
            throw ProblemError.badRequest("body", "请求内容为空，应为 JSON 对象")
        }
        // The one rule for characters (`TextInput`), with the field at fault named.
        if let refused = JSONText.firstRefused(in: body) { throw ProblemError.badRequest(refused.field, refused.message) }
        return try JSONDecoder.api.decode(T.self, from: body)
    }

    func queryString(_ name: String, maxLength: Int = 100) throws -> String? {
        guard let v = query[String.self, at: name], !v.isEmpty else { return nil }
        guard v.count <= maxLength else { throw ProblemError.badRequest(name, "参数 \(name) 过长（最多\(maxLength)个字符）") }
        guard !v.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw ProblemError.badRequest(name, "参数 \(name) 含有不允许的控制字符")
        }
        return v
    }

    func queryInt(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let raw = query[String.self, at: name], !raw.isEmpty else { return nil }
        guard let v = Int(raw), range.contains(v) else {
            throw ProblemError.badRequest(name, "参数 \(name) 应为 \(range.lowerBound) 至 \(range.upperBound) 之间的整数")
        }
        return v
    }

    func queryEnum<T: RawRepresentable & CaseIterable>(_ name: String, _ type: T.Type) throws -> T? where T.RawValue == String {
        guard let raw = query[String.self, at: name], !raw.isEmpty else { return nil }
        guard let v = T(rawValue: raw) else {
            throw ProblemError.badRequest(name, "参数 \(name) 无效，可选值：\(T.allCases.map(\.rawValue).joined(separator: "、"))")
        }
        return v
    }

    func queryUUID(_ name: String) throws -> UUID? {
        guard let raw = query[String.self, at: name], !raw.isEmpty else { return nil }
        guard let v = UUID(uuidString: raw) else { throw ProblemError.badRequest(name, "参数 \(name) 应为 UUID") }
        return v
    }

    /// A division code given as a query parameter (`division`, `grid`).
    func queryDivisionCode(_ name: String, level: DivisionLevel? = nil) throws -> DivisionCode? {
        guard let raw = query[String.self, at: name], !raw.isEmpty else { return nil }
        do {
            let code = try DivisionCode(raw)
            if let level, code.level != level { throw ProblemError.badRequest(name, "参数 \(name) 应为\(level.label)代码") }
            return code
        } catch let e as DivisionCode.Problem {
            throw ProblemError.badRequest(name, "参数 \(name)：\(e.message)")
        }
    }

    func pathUUID(_ name: String = "id") throws -> UUID {
        guard let raw = parameters.get(name), let v = UUID(fastString: raw) else {
            // A literal path shadowed by this parameter route (`/organizations/public` under `/organizations/:id`)
            // asked with a method it does not have: 405, as for any known path.
            let literal = ProblemMiddleware.literalMethods(for: self, segment: parameters.get(name) ?? "")
            if !literal.isEmpty, !literal.contains(method.rawValue) {
                throw ProblemError(status: .methodNotAllowed, detail: "该地址不支持 \(method.rawValue) 请求，可用：\(literal.joined(separator: "、"))")
            }
            throw ProblemError.badRequest(name, "路径中的 \(name) 应为 UUID")
        }
        return v
    }

    /// `page` and `per_page` (pages of the console pass their own page size).
    func pageRequest(perPage fixed: Int? = nil) throws -> PageRequest {
        PageRequest(page: try queryInt("page", in: 1...100_000) ?? 1,
                    perPage: try fixed ?? queryInt("per_page", in: 1...PageRequest.maxPerPage) ?? 20)
    }

    /// A console form's parameter as text, blank treated as absent (console forms send empty fields).
    func formQuery(_ name: String) -> String? {
        guard let v = query[String.self, at: name]?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
        return v
    }

    /// A console form's checkbox (`value="true"`): ticked or not; a page never refuses a filter it does not know.
    func formFlag(_ name: String) -> Bool { formQuery(name) == "true" }

    /// A console list's page: `page` kept within 1…100,000 (a link typed by hand shows the nearest page, not an error).
    func consolePage(perPage: Int) -> PageRequest {
        PageRequest(page: min(max(1, Int(formQuery("page") ?? "") ?? 1), 100_000), perPage: perPage)
    }

    /// A yes/no parameter: `true`/`1`/`yes`/`on` or `false`/`0`/`no`/`off`; anything else is 400.
    func queryBool(_ name: String) throws -> Bool? {
        guard let raw = query[String.self, at: name], !raw.isEmpty else { return nil }
        switch raw.lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default: throw ProblemError.badRequest(name, "参数 \(name) 应为 true 或 false")
        }
    }

    /// A date parameter, `YYYY-MM-DD`.
    func queryDate(_ name: String) throws -> CivilDate? {
        guard let raw = query[String.self, at: name], !raw.isEmpty else { return nil }
        guard let d = CivilDate(raw) else { throw ProblemError.badRequest(name, "参数 \(name) 应为日期（YYYY-MM-DD）") }
        return d
    }

    /// The caller's scope, or the division given as `division` inside it; a division outside is 404, as
    /// if it did not exist. Every list that can be narrowed to a division uses this.
    func narrowedScope(_ name: String = "division") throws -> RegistryScope {
        guard let division = try queryDivisionCode(name) else { return registryScope }
        guard registryScope.contains(code: division.value) else { throw RegistryError.notFound("区划") }
        return RegistryScope(division: division)
    }
}

extension UUID {
    /// Parses the 36-character form without Foundation's formatted scanning (this is on every by-id read).
    init?(fastString s: String) {
        var bytes = [UInt8]()
        bytes.reserveCapacity(16)
        var high: UInt8?
        var count = 0
        for (i, c) in s.utf8.enumerated() {
            count += 1
            if i == 8 || i == 13 || i == 18 || i == 23 {
                guard c == UInt8(ascii: "-") else { return nil }
                continue
            }
            let v: UInt8
            switch c {
            case 48...57: v = c - 48
            case 65...70: v = c - 55
            case 97...102: v = c - 87
            default: return nil
            }
            if let h = high { bytes.append(h << 4 | v); high = nil } else { high = v }
        }
        guard count == 36, bytes.count == 16 else { return nil }
        self.init(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                         bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}

/// A JSON response with the API's key style.
struct JSONBody<T: Encodable & Sendable>: AsyncResponseEncodable {
    var value: T
    var status: HTTPResponseStatus = .ok
    init(_ value: T, status: HTTPResponseStatus = .ok) {
        self.value = value
        self.status = status
    }

    func encodeResponse(for request: Request) async throws -> Response { try response() }

    func response() throws -> Response {
        let response = Response(status: status)
        response.headers.contentType = .json
        // Bodies whose keys are already snake_case skip the encoder's key conversion (a hot path).
        let encoder = value is any SnakeCaseKeyed ? JSONEncoder.plain : JSONEncoder.api
        response.body = .init(data: try encoder.encode(value))
        return response
    }
}

/// A DTO whose coding keys are spelled as the wire spells them.
protocol SnakeCaseKeyed {}

extension JSONEncoder {
    static let plain: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.withoutEscapingSlashes]
        e.dateEncodingStrategy = .iso8601
        return e
    }()
}

/// One page of a list as the API returns it.
struct PageDTO<Item: Encodable & Sendable>: Encodable, Sendable {
    var items: [Item]
    var total: Int
    var page: Int
    var perPage: Int

    init<R>(_ page: ResultPage<R>, _ map: (R) -> Item) {
        items = page.items.map(map)
        total = page.total
        self.page = page.page
        perPage = page.perPage
    }
}

/// Refuses a request whose header fields add up to more than 32 KiB with 431 (the proxy in front
/// allows less; heads past NIO's own 80 KB limit never reach the application: the connection is closed).
struct HeaderSizeGuard: Middleware {
    static let limit = 32 * 1024

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        var size = 0
        for (name, value) in request.headers { size += name.utf8.count + value.utf8.count + 4 }
        guard size <= Self.limit else {
            return request.eventLoop.makeFailedFuture(ProblemError(status: .requestHeaderFieldsTooLarge, detail: "请求头过大（合计不能超过 32 KB）"))
        }
        return next.respond(to: request)
    }
}
