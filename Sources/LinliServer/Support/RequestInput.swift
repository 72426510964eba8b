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
        // NUL has no place in any field, and PostgreSQL cannot store it in text.
        if body.readableBytesView.firstRange(of: Array(#"\u0000"#.utf8)) != nil {
            throw ProblemError.badRequest("body", "请求内容含有不允许的控制字符")
        }
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
        guard let raw = parameters.get(name), let v = UUID(uuidString: raw) else {
            throw ProblemError.badRequest(name, "路径中的 \(name) 应为 UUID")
        }
        return v
    }

    func pageRequest() throws -> PageRequest {
        PageRequest(page: try queryInt("page", in: 1...100_000) ?? 1,
                    perPage: try queryInt("per_page", in: 1...PageRequest.maxPerPage) ?? 20)
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

    func encodeResponse(for request: Request) async throws -> Response {
        let response = Response(status: status)
        response.headers.contentType = .json
        response.body = .init(data: try JSONEncoder.api.encode(value))
        return response
    }
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
