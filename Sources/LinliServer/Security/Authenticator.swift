import Crypto
import Foundation
import LinliData
import Vapor

/// Resolves `Authorization: Bearer <token>` to a live session. Sessions end after an absolute lifetime,
/// after 30 minutes without use, on sign-out, and when the account is disabled or its role changes.
/// A request with a token that is not live gets 401 at once; a request without one goes on anonymous
/// (the public routes), and handlers that need an account refuse it.
struct BearerAuthenticator: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        // Signing in ignores a stale token the client still sends.
        guard let header = request.headers.first(name: .authorization), request.url.path != "/api/v1/auth/token" else {
            return try await next.respond(to: request)
        }
        guard header.lowercased().hasPrefix("bearer "), header.count < 200 else {
            throw ProblemError(status: .unauthorized, detail: "Authorization 头格式应为 Bearer 令牌")
        }
        let token = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        let config = request.application.linli
        let now = config.now()
        let key = Sessions.hash(token)
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
            try await AccountQueries(request.db).revoke(session: s.id, account: s.account, reason: "auth.idle_timeout",
                                                        by: AuditActor(id: s.account.id, username: s.account.username,
                                                                       role: s.account.role, ip: request.remoteAddress?.ipAddress ?? "unknown"),
                                                        now: now)
            throw ProblemError(status: .unauthorized, detail: "超过30分钟未操作，请重新登录")
        }
        // Record activity at most once a minute: enough for the idle timeout, cheap for busy sessions.
        if now.timeIntervalSince(s.lastSeenAt) > 60 {
            try await AccountQueries(request.db).touch(session: s.id, at: now)
            config.sessionCache.update(key) { $0.lastSeenAt = now }
        }
        request.auth.login(Principal(session: s))
        return try await next.respond(to: request)
    }
}

enum Sessions {
    /// A new bearer token: 256 random bits, base64url.
    static func newToken() -> String {
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Only this is stored: a stolen database does not yield usable tokens.
    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { b in
            let s = String(b, radix: 16)
            return s.count == 1 ? "0" + s : s
        }.joined()
    }
}
