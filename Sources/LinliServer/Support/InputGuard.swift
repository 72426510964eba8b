import Foundation
import LinliCore
import Vapor

/// Bounds the work any request can cause before a handler runs, and applies `TextInput`'s rule to every
/// form and query string (JSON bodies meet it in `decodeJSON`, multipart fields in `CheckedFormDataDecoder`).
///
/// Vapor's URL-encoded decoder takes time quadratic in the number of parameters with the same key (each
/// new value copies the ones before), and every `req.query[…]` parses the whole query string again, so a
/// 250 KB body of `a=1&a=1…` cost 21 s of CPU before the CSRF check refused it. Here the raw bytes are
/// counted first, in one pass that stops at the first limit passed; only input within the limits reaches
/// a decoder. Forms are small (uploads are multipart and have their own limits).
struct InputGuard: Middleware {
    struct Limits: Sendable {
        var queryBytes = 8 * 1024
        var queryParameters = 64
        var formBytes = 64 * 1024
        var formParameters = 256
        /// No JSON input of the API comes near this (a resident is about 1 KB).
        var jsonBytes = 64 * 1024
        /// One key may repeat (`tags[]=…&tags[]=…`), but not without end.
        var repeatsOfOneKey = 64
        var keyBytes = 256
    }

    var limits = Limits()

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        if let refusal = checkQuery(request) { return refuse(request, refusal) }
        guard request.method != .GET, request.method != .HEAD, let type = request.headers.contentType else { return next.respond(to: request) }
        let isForm = type == .urlEncodedForm
        // JSON is checked by `decodeJSON` (`JSONText`); here only its size, which bounds the decoder's work.
        guard isForm || (type.type == "application" && (type.subType == "json" || type.subType.hasSuffix("+json"))) else {
            return next.respond(to: request)
        }
        let limit = isForm ? limits.formBytes : limits.jsonBytes
        // Refused on its declared length before a byte of it is read.
        if let length = request.headers.first(name: .contentLength).flatMap(Int.init), length > limit {
            return refuse(request, Self.tooLarge(limit))
        }
        let check: @Sendable (ByteBuffer) -> ProblemError? = { [limits] body in
            isForm ? Self.check(form: body.readableBytesView, limits: limits, bytesLimit: limit, field: "body") : nil
        }
        if let body = request.body.data {
            if let refusal = check(body) { return refuse(request, refusal) }
            return next.respond(to: request)
        }
        // A chunked body: collected here with the limit (the route would collect it anyway).
        return request.body.collect(max: limit).flatMap { body in
            if let body, let refusal = check(body) { return refuse(request, refusal) }
            return next.respond(to: request)
        }.flatMapError { error in
            if let abort = error as? any AbortError, abort.status == .payloadTooLarge { return refuse(request, Self.tooLarge(limit)) }
            return request.eventLoop.makeFailedFuture(error)
        }
    }

    private func checkQuery(_ request: Request) -> ProblemError? {
        // The raw target as received (`url.query` may come back already decoded).
        let target = request.url.string.utf8
        guard let mark = target.firstIndex(of: UInt8(ascii: "?")) else { return nil }
        var query = target[target.index(after: mark)...]
        if let hash = query.firstIndex(of: UInt8(ascii: "#")) { query = query[..<hash] }
        guard query.count <= limits.queryBytes else {
            return ProblemError(status: .uriTooLong, detail: "查询参数过长（不能超过 \(limits.queryBytes / 1024) KB）",
                                errors: [FieldError("query", "查询参数过长")])
        }
        return Self.check(form: query, limits: limits, bytesLimit: limits.queryBytes, field: "query", parameters: limits.queryParameters)
    }

    static func tooLarge(_ limit: Int) -> ProblemError {
        ProblemError(status: .payloadTooLarge, detail: "请求内容过大（表单和 JSON 不能超过 \(limit / 1024) KB；文件请以 multipart/form-data 上传）",
                     errors: [FieldError("body", "请求内容过大")])
    }

    /// One pass over `a=1&b=2…`: counts, key sizes and repeats, percent-escapes that decode to UTF-8, and
    /// every key and value against `TextInput`.
    static func check<C: Collection>(form bytes: C, limits: Limits, bytesLimit: Int, field: String,
                                     parameters: Int? = nil) -> ProblemError? where C.Element == UInt8 {
        guard bytes.count <= bytesLimit else { return tooLarge(bytesLimit) }
        let maxParameters = parameters ?? limits.formParameters
        // Where the count limit is the tighter one (query strings), no key can pass the repeat limit
        // before it, and every request is spared the dictionary.
        let countRepeats = maxParameters > limits.repeatsOfOneKey
        var count = 0
        var repeats: [String: Int] = [:]
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "&")) ?? bytes.endIndex
            defer { start = end == bytes.endIndex ? end : bytes.index(after: end) }
            let pair = bytes[start..<end]
            if pair.isEmpty { continue }
            count += 1
            guard count <= maxParameters else {
                return .badRequest(field, "参数过多（最多 \(maxParameters) 个）")
            }
            let eq = pair.firstIndex(of: UInt8(ascii: "=")) ?? pair.endIndex
            guard pair.distance(from: pair.startIndex, to: eq) <= limits.keyBytes else {
                return .badRequest(field, "参数名过长（最多 \(limits.keyBytes) 字节）")
            }
            guard let key = decode(pair[..<eq]) else { return .badRequest(field, "参数编码无效：须为 UTF-8 的百分号编码") }
            if countRepeats {
                let n = repeats[key, default: 0] + 1
                guard n <= limits.repeatsOfOneKey else { return .badRequest(key, "参数 \(key) 重复过多（最多 \(limits.repeatsOfOneKey) 次）") }
                repeats[key] = n
            }
            if let u = TextInput.firstRefused(in: key) { return .badRequest(field, "参数名" + TextInput.message(for: u)) }
            guard eq < pair.endIndex else { continue }
            guard let value = decode(pair[pair.index(after: eq)...]) else {
                return .badRequest(field, "参数 \(key) 编码无效：须为 UTF-8 的百分号编码")
            }
            if let error = TextInput.check(value, field: key) { return .badRequest(key, fieldLabel(key) + error.message) }
        }
        return nil
    }

    /// `+` as a space and `%XX` as its byte; nil when an escape is malformed or the bytes are not UTF-8.
    static func decode<C: Collection>(_ bytes: C) -> String? where C.Element == UInt8 {
        guard bytes.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else {
            return String(validating: bytes, as: UTF8.self)
        }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var it = bytes.makeIterator()
        func hex(_ c: UInt8?) -> UInt8? {
            switch c {
            case let c? where c >= 0x30 && c <= 0x39: return c - 0x30
            case let c? where c >= 0x41 && c <= 0x46: return c - 0x41 + 10
            case let c? where c >= 0x61 && c <= 0x66: return c - 0x61 + 10
            default: return nil
            }
        }
        while let c = it.next() {
            switch c {
            case UInt8(ascii: "+"): out.append(0x20)
            case UInt8(ascii: "%"):
                guard let hi = hex(it.next()), let lo = hex(it.next()) else { return nil }
                out.append(hi << 4 | lo)
            default: out.append(c)
            }
        }
        return String(validating: out, as: UTF8.self)
    }

    static func fieldLabel(_ key: String) -> String { "「\(key)」" }

    /// The refusal in the form the caller reads: Open311's error list, a page for the browser, or a problem.
    private func refuse(_ request: Request, _ problem: ProblemError) -> EventLoopFuture<Response> {
        let path = request.url.path
        if path.hasPrefix("/open311/") {
            let format: Open311API.Format = path.hasSuffix(".xml") ? .xml : .json
            let text = problem.errors.first.map { "\($0.field)：\($0.message)" } ?? problem.detail
            return request.eventLoop.makeSucceededFuture(Open311API.errors([(problem.status, text)], status: problem.status, format: format))
        }
        if !path.hasPrefix("/api/"), path != "/metrics", request.headers.accept.contains(where: { $0.mediaType == .html }) {
            let page = Console.errorPage(request, ProblemMiddleware.problem(for: problem, request: request))
            return request.eventLoop.makeSucceededFuture(page)
        }
        return request.eventLoop.makeFailedFuture(problem)
    }
}
