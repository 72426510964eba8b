import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import LinliCore
import LinliData
import Vapor

/// An API error body after RFC 9457 (`application/problem+json`), with a Chinese `detail` a person can
/// read and the fields at fault.
struct Problem: Content {
    struct Field: Content {
        var field: String
        var message: String
    }

    var type: String = "about:blank"
    var title: String
    var status: Int
    var detail: String
    var errors: [Field]?
    /// For a 409 after a stale edit: the record's version now.
    var currentVersion: Int?

    enum CodingKeys: String, CodingKey {
        case type, title, status, detail, errors
        case currentVersion = "current_version"
    }
}

/// Raised by handlers for a bad request that is not about one stored record.
struct ProblemError: Error {
    var status: HTTPResponseStatus
    var detail: String
    var errors: [FieldError] = []
    /// Seconds after which the client may try again (`Retry-After`).
    var retryAfter: Int? = nil

    static func badRequest(_ field: String, _ message: String) -> ProblemError {
        ProblemError(status: .badRequest, detail: message, errors: [FieldError(field, message)])
    }
}

/// Turns every error into a problem response: the client's mistakes get their 4xx with the field named,
/// and anything else a 500 without internals.
struct ProblemMiddleware: Middleware {
    // A future-based middleware: an async one would cost every request a hop onto a Swift task.
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        next.respond(to: request).flatMapError { error in
            let found = Self.problem(for: error, request: request)
            // A known path asked with a method it does not have: 405 and the methods it has.
            let allowed = found.status == 404 && request.route == nil ? Self.methods(for: request) : []
            let problem = allowed.isEmpty ? found
                : Problem(title: "Method Not Allowed", status: 405, detail: "该地址不支持 \(request.method.rawValue) 请求，可用：\(allowed.joined(separator: "、"))")
            let response = Response(status: HTTPResponseStatus(statusCode: problem.status))
            if !allowed.isEmpty { response.headers.replaceOrAdd(name: .allow, value: allowed.joined(separator: ", ")) }
            // A handler that refuses its method itself (a literal path shadowed by a parameter route).
            if allowed.isEmpty, problem.status == 405 {
                let others = Self.methods(for: request).filter { $0 != request.method.rawValue }
                response.headers.replaceOrAdd(name: .allow, value: others.joined(separator: ", "))
            }
            // Storage that cannot take a write now: nothing was written, and the client may try again later.
            if problem.status == 503 { response.headers.replaceOrAdd(name: .retryAfter, value: "30") }
            // A body refused for its size is not read to its end: the connection closes after the answer.
            if problem.status == 413 { response.headers.replaceOrAdd(name: .connection, value: "close") }
            if let wait = (error as? ProblemError)?.retryAfter { response.headers.replaceOrAdd(name: .retryAfter, value: String(wait)) }
            response.headers.contentType = HTTPMediaType(type: "application", subType: "problem+json", parameters: ["charset": "utf-8"])
            response.body = .init(data: (try? JSONEncoder.api.encode(problem)) ?? Data())
            guard Self.isAudited(request, status: problem.status) else { return request.eventLoop.makeSucceededFuture(response) }
            return request.eventLoop.makeFutureWithTask {
                await Self.audit(problem, request: request)
                return response
            }
        }
    }

    /// Records a refused write or a denied access (when `isAudited` says so).
    static func audit(_ problem: Problem, request: Request) async {
        guard isAudited(request, status: problem.status) else { return }
        let event = AuditEvent(PlatformAudit.refused, target: .http(request.method.rawValue, request.url.path),
                               outcome: problem.status == 403 ? "denied" : "failure",
                               detail: ["status": String(problem.status),
                                        "fields": (problem.errors ?? []).map(\.field).joined(separator: ",")])
        // The refusal is answered even if it cannot be recorded (a full disk, say).
        try? await AuditLog.record(event, by: request.auditActor, on: request.db, now: request.application.linli.now())
    }

    /// The methods registered for the request's path (parameters match any segment).
    /// The methods of the routes that have `segment` as a constant where the request has it (and match the rest).
    static func literalMethods(for request: Request, segment: String) -> [String] {
        let segments = request.url.path.split(separator: "/").map(String.init)
        var methods: [String] = []
        for route in request.application.routes.all where route.path.count == segments.count {
            var literal = false
            let matches = zip(route.path, segments).allSatisfy { component, s in
                switch component {
                case .constant(let c):
                    if c == segment && s == segment { literal = true }
                    return c == s
                default: return true
                }
            }
            if matches, literal, !methods.contains(route.method.rawValue) { methods.append(route.method.rawValue) }
        }
        return methods
    }

    static func methods(for request: Request) -> [String] {
        let segments = request.url.path.split(separator: "/").map(String.init)
        var methods: [String] = []
        for route in request.application.routes.all where route.path.count == segments.count {
            let matches = zip(route.path, segments).allSatisfy { component, segment in
                switch component {
                case .constant(let c): return c == segment
                default: return true
                }
            }
            if matches, !methods.contains(route.method.rawValue) { methods.append(route.method.rawValue) }
        }
        return methods
    }

    /// Refused writes and refused access are recorded: a write that failed (outcome "failure"), any
    /// request denied by role (outcome "denied"). Sign-ins record themselves; unknown routes are noise.
    static func isAudited(_ request: Request, status: Int) -> Bool {
        guard request.route != nil, (400..<500).contains(status), status != 401 || request.method != .GET,
              !request.url.string.hasPrefix("/api/v1/auth/token") else { return false }
        return request.method != .GET || status == 403
    }

    static func problem(for error: any Error, request: Request) -> Problem {
        func make(_ status: HTTPResponseStatus, _ detail: String, _ errors: [FieldError] = []) -> Problem {
            Problem(title: status.reasonPhrase, status: Int(status.code), detail: detail,
                    errors: errors.isEmpty ? nil : errors.map { .init(field: $0.field, message: $0.message) })
        }
        switch error {
        case let e as ProblemError:
            return make(e.status, e.detail, e.errors)
        case let e as RegistryError:
            switch e {
            case .notFound(let what): return make(.notFound, "未找到该\(what)")
            case .invalid(let errors): return make(.unprocessableEntity, "提交的信息有误：" + errors.map(\.message).joined(separator: "；"), errors)
            case .conflict(let field): return make(.conflict, field.message, [field])
            case .staleVersion(let current):
                var p = make(.conflict, "该记录已被他人修改（当前版本 \(current)），请刷新后重试", [FieldError("version", "版本已过期")])
                p.currentVersion = current
                return p
            case .conflictingState(let why): return make(.conflict, why, [FieldError("action", why)])
            case .forbidden(let why): return make(.forbidden, why)
            }
        case let e as DecodingError:
            let (field, message) = describe(e)
            return make(.badRequest, message, [FieldError(field, message)])
        case let e as any AbortError:
            switch e.status {
            case .notFound: return make(.notFound, "请求的地址不存在")
            case .payloadTooLarge: return make(.payloadTooLarge, "请求内容过大")
            case .methodNotAllowed: return make(.methodNotAllowed, "不支持该请求方法")
            case .unsupportedMediaType: return make(.unsupportedMediaType, "请求内容须为 JSON（Content-Type: application/json）")
            case .badRequest: return make(.badRequest, "请求格式有误")
            default:
                return make(e.status, e.status.code >= 500 ? "服务器内部错误" : "请求无法处理")
            }
        case let e as SQLiteError:
            // Storage that cannot take a write now: the client may retry, nothing was written.
            let reason = "\(e.reason)".lowercased()
            if reason.hasPrefix("busy") || reason.hasPrefix("locked") {
                request.application.requestMetrics.refused("busy")
                return make(.serviceUnavailable, "系统繁忙，请稍后重试")
            }
            // SQLITE_FULL (disk full), SQLITE_READONLY, SQLITE_IOERR, SQLITE_CANTOPEN: the data folder cannot be written.
            if reason.hasPrefix("readonly") || reason.hasPrefix("full") || reason.hasPrefix("ioerror") || reason.hasPrefix("cantopen") {
                request.logger.error("database cannot write: \(reason)")
                request.application.requestMetrics.refused("unwritable")
                return make(.serviceUnavailable, Self.unwritable)
            }
            if reason.hasPrefix("constraint") { return make(.conflict, "与已有记录冲突") }
            request.logger.error("database error: \(String(e.message.prefix(300)))")
            return make(.internalServerError, "服务器内部错误，请稍后重试")
        case let e as PSQLError where Self.unwritableStates.contains(e.serverInfo?[.sqlState] ?? ""):
            // PostgreSQL out of disk (53100), out of connections (53300), or a read-only standby (25006).
            request.logger.error("database cannot write: SQLSTATE \(e.serverInfo?[.sqlState] ?? "")")
            request.application.requestMetrics.refused("unwritable")
            return make(.serviceUnavailable, Self.unwritable)
        case let e as any DatabaseError where e.isConstraintFailure:
            // A unique key taken by a concurrent write between our check and our insert.
            return make(.conflict, "与已有记录冲突，请刷新后重试")
        default:
            // The type and message only: bound values (which may be personal data) are never in them.
            request.logger.error("unhandled error: \(String(reflecting: type(of: error))): \(String(String(describing: error).prefix(300)))")
            return make(.internalServerError, "服务器内部错误，请稍后重试")
        }
    }

    static let unwritable = "数据存储暂时无法写入（磁盘已满或为只读），请稍后重试；已有数据不受影响，查询照常可用"
    static let unwritableStates: Set<String> = ["53100", "53300", "25006"]

    /// The field a decoding error is about (in the API's snake_case) and a message in Chinese.
    static func describe(_ error: DecodingError) -> (String, String) {
        func path(_ p: [any CodingKey]) -> String {
            p.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue.snakeCased }.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .typeMismatch(let type, let ctx):
            let f = path(ctx.codingPath)
            return (f.isEmpty ? "body" : f, f.isEmpty ? "请求内容须为 JSON 对象" : "字段 \(f) 类型错误，应为\(typeName(type))")
        case .valueNotFound(let type, let ctx):
            let f = path(ctx.codingPath)
            return (f, "字段 \(f) 不能为空，应为\(typeName(type))")
        case .keyNotFound(let key, let ctx):
            let f = path(ctx.codingPath + [key])
            return (f, "缺少字段 \(f)")
        case .dataCorrupted(let ctx):
            let f = path(ctx.codingPath)
            if f.isEmpty { return ("body", "请求内容不是有效的 JSON") }
            return (f, "字段 \(f) 的值无效")
        @unknown default:
            return ("body", "请求内容无效")
        }
    }

    static func typeName(_ type: Any.Type) -> String {
        let n = String(describing: type)
        if n.contains("Int") { return "整数" }
        if n.contains("Double") || n.contains("Float") { return "数字" }
        if n.contains("Bool") { return "布尔值" }
        if n.contains("Array") { return "数组" }
        if n.contains("String") || n.contains("UUID") { return "字符串" }
        return "对象"
    }
}

/// The API's JSON: snake_case keys, ISO 8601 times.
extension JSONEncoder {
    static let api: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.withoutEscapingSlashes]
        e.dateEncodingStrategy = .iso8601
        e.keyEncodingStrategy = .convertToSnakeCase
        return e
    }()
}

extension JSONDecoder {
    static let api: JSONDecoder = {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        d.keyDecodingStrategy = .convertFromSnakeCase
        return d
    }()
}

extension String {
    /// `householdId` → `household_id`, as the API names fields.
    var snakeCased: String {
        var out = ""
        for c in self {
            if c.isUppercase { out += "_" + c.lowercased() } else { out.append(c) }
        }
        return out
    }
}
