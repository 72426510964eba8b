import Fluent
import Foundation
import LinliCore
import LinliData
import Vapor

/// `/api/v1/auth`: sign-in for API clients, sign-out, who am I, change my password.
struct AuthAPI {
    let limiter: RateLimiter
    /// A bcrypt hash of a random string, checked against when the username is unknown.
    let decoyHash: DecoyHash

    func boot(_ routes: Routes) {
        let auth = routes.grouped("auth")
        auth.post("token", needs: .open, use: token)
        auth.post("logout", needs: .signedIn, use: logout)
        auth.get("me", needs: .signedIn, use: me)
        auth.post("password", needs: .signedIn, use: changePassword)
    }

    struct TokenInput: Decodable {
        var username: String?
        var password: String?
        var totp: String?
    }

    struct TokenDTO: Encodable, Sendable {
        var token: String
        var expiresAt: Date
        /// The account was made or reset by an administrator: this token opens only `/api/v1/auth/setup`
        /// (new password, then the second factor) and `/api/v1/auth/logout`.
        var setupRequired: Bool
    }

    func token(req: Request) async throws -> JSONBody<TokenDTO> {
        let input = try req.decodeJSON(TokenInput.self)
        switch try await SignIn.attempt(username: input.username ?? "", password: input.password ?? "", totp: input.totp,
                                        req: req, limiter: limiter, decoyHash: decoyHash) {
        case .signedIn(let token, let session):
            return JSONBody(TokenDTO(token: token, expiresAt: session.expiresAt, setupRequired: session.account.setupRequired))
        case .refused(let problem): throw problem
        }
    }

    func logout(req: Request) async throws -> Response {
        let p = try req.requireSignedIn()
        if let token = req.headers.first(name: .authorization).flatMap(Sessions.bearerToken) {
            req.application.linli.sessionCache.remove(Sessions.hash(token))
        }
        try await AccountQueries(req.db).revoke(session: p.session.id, account: p.account, reason: .logout, by: req.auditActor,
                                                now: req.application.linli.now())
        return Response(status: .noContent)
    }

    struct MeDTO: Encodable, Sendable {
        var id: UUID
        var username: String
        var displayName: String
        var role: String
        var roleLabel: String
        var divisionCode: String
        var permissions: [String]
        var sessionExpiresAt: Date
    }

    func me(req: Request) async throws -> JSONBody<MeDTO> {
        let p = try req.requireSignedIn()
        return JSONBody(MeDTO(id: p.account.id, username: p.account.username, displayName: p.account.displayName, role: p.account.role.rawValue,
                              roleLabel: p.role.label, divisionCode: p.account.divisionCode,
                              permissions: p.role.permissions.map(\.rawValue).sorted(), sessionExpiresAt: p.session.expiresAt))
    }

    struct PasswordInput: Decodable {
        var currentPassword: String?
        var newPassword: String?
    }

    /// Changes one's own password; every session of the account ends, this one too.
    func changePassword(req: Request) async throws -> Response {
        let p = try req.requireSignedIn()
        let input = try req.decodeJSON(PasswordInput.self)
        try await AccountService.changePassword(of: p, current: input.currentPassword, new: input.newPassword, req: req)
        return Response(status: .noContent)
    }

}

/// Signing in, for the API and the web console alike: rate limit, lockout, bcrypt, second factor,
/// session, audit.
/// A bcrypt hash of a random text, checked against when the username is unknown: the same work as a
/// real check, so that timing does not tell which usernames exist.
struct DecoyHash: Sendable {
    private let task: Task<String, any Error>

    init(_ app: Application) {
        task = Task { [app] in try await app.password.async.hash(UUID().uuidString) }
    }

    var value: String? { get async { try? await task.value } }
}

enum SignIn {
    enum Outcome {
        case signedIn(token: String, session: LinliData.SessionRecord)
        case refused(ProblemError)
    }

    static func attempt(username rawUsername: String, password: String, totp: String?, req: Request, limiter: RateLimiter,
                        decoyHash: DecoyHash) async throws -> Outcome {
        let config = req.application.linli
        let now = config.now()
        let ip = req.clientAddress
        guard limiter.allow(ip, now: now) else {
            return .refused(ProblemError(status: .tooManyRequests, detail: "登录尝试过于频繁，请稍后再试"))
        }
        var errors = FieldErrors()
        let username = rawUsername.trimmingCharacters(in: .whitespaces)
        if username.isEmpty { errors.add("username", "请填写用户名") }
        if password.isEmpty { errors.add("password", "请填写密码") }
        if username.count > 64 { errors.add("username", "用户名过长") }
        if password.count > 128 { errors.add("password", "密码过长") }
        guard errors.isEmpty else {
            return .refused(ProblemError(status: .unprocessableEntity, detail: errors.errors.map(\.message).joined(separator: "；"), errors: errors.errors))
        }
        let accounts = AccountQueries(req.db)
        let refused = ProblemError(status: .unauthorized, detail: "用户名或密码错误")
        let throttle = req.application.signInThrottle
        // Everything up to a right password answers and costs the same whether the username exists, is
        // disabled or not: the same wait, the same bcrypt work, the same refusal.
        let account = try await accounts.find(username: username)
        let actor = account.map { AuditActor(id: $0.id, username: $0.username, role: $0.role.rawValue, ip: ip) }
            ?? AuditActor(id: nil, username: username, role: "anonymous", ip: ip)
        func record(_ reason: String, wait: Int? = nil) async throws {
            var detail = ["reason": reason]
            if let wait { detail["wait_seconds"] = String(wait) }
            try await AuditLog.record(AuditEvent(PlatformAudit.login, target: .account(username), outcome: "failure", detail: detail),
                                      by: actor, on: req.db, now: now)
        }
        func fail(_ reason: String) async throws {
            try await record(reason, wait: throttle.fail(username: username, address: ip, now: now))
        }
        if let wait = throttle.wait(username: username, address: ip, now: now) {
            try await record("throttled", wait: wait)
            return .refused(SignInThrottle.refusal(wait: wait))
        }
        guard let account, !account.disabled else {
            if let decoy = await decoyHash.value { _ = try? await req.password.async.verify(password, created: decoy) }
            try await fail(account == nil ? "unknown_user" : "disabled")
            return .refused(refused)
        }
        guard try await req.password.async.verify(password, created: account.passwordHash) else {
            try await fail("password")
            return .refused(refused)
        }
        var step: UInt64?
        // An account still to be set up has no second factor of its holder's yet: its session opens only the setup.
        if account.role.requiresTOTP, !account.setupRequired {
            guard let code = totp, !code.isEmpty else {
                return .refused(ProblemError(status: .unauthorized, detail: "该账号须输入动态口令", errors: [FieldError("totp", "请输入6位动态口令")]))
            }
            guard let sealed = account.totpCipher, let secret = Base32.decode(try config.cipher.open(sealed)),
                  let s = TOTP.verify(code, secret: secret, at: now, after: account.totpLastStep.map { UInt64($0) }) else {
                try await fail("totp")
                return .refused(ProblemError(status: .unauthorized, detail: "动态口令错误或已使用", errors: [FieldError("totp", "动态口令错误")]))
            }
            step = s
        }
        throttle.succeed(username: username, address: ip)
        let token = Sessions.newToken()
        let session = try await accounts.openSession(account: account, tokenHash: Sessions.hash(token), ip: ip, now: now,
                                                     lifetime: config.sessionLifetime, totpStep: step, by: actor)
        return .signedIn(token: token, session: session)
    }
}
