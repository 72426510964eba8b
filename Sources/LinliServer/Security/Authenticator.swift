import Crypto
import Foundation
import LinliData
import Vapor

/// Resolves `Authorization: Bearer <token>` to a live session. Sessions end after an absolute lifetime,
/// after 30 minutes without use, on sign-out, and when the account is disabled or its role changes.
/// A request with a token that is not live gets 401 at once; a request without one goes on anonymous
/// (the public routes), and handlers that need an account refuse it.
struct BearerAuthenticator: Middleware {
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        // Signing in ignores a stale token the client still sends.
        guard let header = request.headers.first(name: .authorization), !request.url.string.hasPrefix("/api/v1/auth/token") else {
            return next.respond(to: request)
        }
        guard let token = Sessions.bearerToken(header) else {
            return request.eventLoop.makeFailedFuture(ProblemError(status: .unauthorized, detail: "Authorization 头格式应为 Bearer 令牌"))
        }
        let key = Sessions.hash(token)
        let config = request.application.linli
        let now = config.now()
        // The common case needs no database and no task: a cached live session seen within the minute.
        if let s = config.sessionCache.get(key), s.expiresAt > now, !s.account.disabled, now.timeIntervalSince(s.lastSeenAt) <= 60 {
            request.auth.login(Principal(session: s))
            if let refusal = FirstSignIn.apiRefusal(request) { return request.eventLoop.makeFailedFuture(refusal) }
            return next.respond(to: request)
        }
        return request.eventLoop.makeFutureWithTask {
            try await Self.resolve(key: key, request: request, now: now)
            // A session still to be set up opens only the setup steps.
            if let refusal = FirstSignIn.apiRefusal(request) { throw refusal }
        }.flatMap { next.respond(to: request) }
    }

    static func resolve(key: String, request: Request, now: Date) async throws {
        let config = request.application.linli
        var session = config.sessionCache.get(key)
        if session == nil {
            let t = config.sessionCache.readToken()
            session = try await AccountQueries(request.db).session(tokenHash: key, now: now)
            if let session { config.sessionCache.put(key, session, token: t) }
        }
        guard let s = session, s.expiresAt > now, !s.account.disabled else {
            throw ProblemError(status: .unauthorized, detail: "登录已失效，请重新登录")
        }
        if now.timeIntervalSince(s.lastSeenAt) > config.idleTimeout {
            config.sessionCache.remove(key)
            try await AccountQueries(request.db).revoke(session: s.id, account: s.account, reason: .idleTimeout,
                                                        by: AuditActor(id: s.account.id, username: s.account.username,
                                                                       role: s.account.role.rawValue, ip: request.clientAddress),
                                                        now: now)
            throw ProblemError(status: .unauthorized, detail: "超过30分钟未操作，请重新登录")
        }
        // Record activity at most once a minute: enough for the idle timeout, cheap for busy sessions.
        if now.timeIntervalSince(s.lastSeenAt) > 60 {
            try await AccountQueries(request.db).touch(session: s.id, at: now)
            config.sessionCache.update(key) { $0.lastSeenAt = now }
        }
        request.auth.login(Principal(session: s))
    }
}

enum Sessions {
    /// The token of an `Authorization: Bearer <token>` header (scheme in any case), or nil. Plain byte
    /// work: this runs on every signed-in request.
    static func bearerToken(_ header: String) -> String? {
        let bytes = Array(header.utf8)
        guard bytes.count > 7, bytes.count < 200 else { return nil }
        let scheme = bytes[0..<7].map { $0 | 0x20 }
        guard scheme == Array("bearer ".utf8) else { return nil }
        let token = bytes[7...].drop { $0 == 32 }.reversed().drop { $0 == 32 }.reversed()
        return token.isEmpty ? nil : String(decoding: token, as: UTF8.self)
    }

    /// A new bearer token: 256 random bits, base64url.
    static func newToken() -> String {
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Only this is stored: a stolen database does not yield usable tokens.
    static func hash(_ token: String) -> String {
        Hex.encode(SHA256.hash(data: Data(token.utf8)))
    }
}
