import Fluent
import Foundation
import LinliCore
import LinliData
import Vapor

/// `/api/v1/auth`: sign-in for API clients, sign-out, who am I, change my password.
struct AuthAPI: RouteCollection {
    let limiter: RateLimiter
    /// A bcrypt hash of a random string, checked against when the username is unknown.
    let decoyHash: String

    func boot(routes: any RoutesBuilder) throws {
        let auth = routes.grouped("auth")
        auth.post("token", use: token)
        auth.post("logout", use: logout)
        auth.get("me", use: me)
        auth.post("password", use: changePassword)
    }

    struct TokenInput: Decodable {
        var username: String?
        var password: String?
        var totp: String?
    }

    struct TokenDTO: Encodable, Sendable {
        var token: String
        var expiresAt: Date
    }

    func token(req: Request) async throws -> JSONBody<TokenDTO> {
        let config = req.application.linli
        let now = config.now()
        let ip = req.remoteAddress?.ipAddress ?? "unknown"
        guard limiter.allow(ip, now: now) else {
            throw ProblemError(status: .tooManyRequests, detail: "登录尝试过于频繁，请稍后再试")
        }
        let input = try req.decodeJSON(TokenInput.self)
        var errors = FieldErrors()
        let username = (input.username ?? "").trimmingCharacters(in: .whitespaces)
        if username.isEmpty { errors.add("username", "请填写用户名") }
        if (input.password ?? "").isEmpty { errors.add("password", "请填写密码") }
        guard errors.isEmpty, username.count <= 64, let password = input.password, password.count <= 128 else {
            throw RegistryError.invalid(errors.isEmpty ? [FieldError("username", "用户名或密码过长")] : errors.errors)
        }
        let accounts = AccountQueries(req.db)
        let actor = AuditActor(id: nil, username: username, role: "anonymous", ip: ip)
        let refused = ProblemError(status: .unauthorized, detail: "用户名或密码错误")
        guard let account = try await accounts.find(username: username) else {
            // The same work as a real check, so that timing does not tell which usernames exist.
            _ = try? await req.password.async.verify(password, created: decoyHash)
            try await AuditLog.record(AuditEvent("auth.login", target: "account:\(username)", outcome: "failure",
                                                 detail: ["reason": "unknown_user"]), by: actor, on: req.db, now: now)
            throw refused
        }
        let accountActor = AuditActor(id: account.id, username: account.username, role: account.role, ip: ip)
        func fail(_ reason: String) async throws {
            try await accounts.recordFailure(id: account.id, lockAfter: config.lockoutThreshold, lockUntil: now.addingTimeInterval(config.lockoutDuration),
                                             audit: AuditEvent("auth.login", target: "account:\(username)", outcome: "failure", detail: ["reason": reason]),
                                             by: accountActor)
        }
        if account.disabled {
            try await AuditLog.record(AuditEvent("auth.login", target: "account:\(username)", outcome: "failure", detail: ["reason": "disabled"]),
                                      by: accountActor, on: req.db, now: now)
            throw refused
        }
        if let until = account.lockedUntil, until > now {
            try await AuditLog.record(AuditEvent("auth.login", target: "account:\(username)", outcome: "failure", detail: ["reason": "locked"]),
                                      by: accountActor, on: req.db, now: now)
            let minutes = Int((until.timeIntervalSince(now) / 60).rounded(.up))
            throw ProblemError(status: .init(statusCode: 423), detail: "连续登录失败次数过多，账号已锁定，请 \(minutes) 分钟后再试")
        }
        guard try await req.password.async.verify(password, created: account.passwordHash) else {
            try await fail("password")
            throw refused
        }
        var step: UInt64?
        if account.roleValue?.requiresTOTP == true {
            guard let code = input.totp, !code.isEmpty else {
                throw ProblemError(status: .unauthorized, detail: "该账号须输入动态口令", errors: [FieldError("totp", "请输入6位动态口令")])
            }
            guard let sealed = account.totpCipher, let secret = Base32.decode(try config.cipher.open(sealed)),
                  let s = TOTP.verify(code, secret: secret, at: now, after: account.totpLastStep.map { UInt64($0) }) else {
                try await fail("totp")
                throw ProblemError(status: .unauthorized, detail: "动态口令错误或已使用", errors: [FieldError("totp", "动态口令错误")])
            }
            step = s
        }
        let token = Sessions.newToken()
        let session = try await accounts.openSession(account: account, tokenHash: Sessions.hash(token), ip: ip, now: now,
                                                     lifetime: config.sessionLifetime, totpStep: step, by: accountActor)
        return JSONBody(TokenDTO(token: token, expiresAt: session.expiresAt))
    }

    func logout(req: Request) async throws -> Response {
        let p = try req.requireSignedIn()
        if let token = req.headers.first(name: .authorization).flatMap(Sessions.bearerToken) {
            req.application.linli.sessionCache.remove(Sessions.hash(token))
        }
        try await AccountQueries(req.db).revoke(session: p.session.id, account: p.account, reason: "auth.logout", by: req.auditActor,
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
        return JSONBody(MeDTO(id: p.account.id, username: p.account.username, displayName: p.account.displayName, role: p.account.role,
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
        guard let current = input.currentPassword, try await req.password.async.verify(current, created: p.account.passwordHash) else {
            throw RegistryError.invalid([FieldError("current_password", "当前密码不正确")])
        }
        let new = input.newPassword ?? ""
        let problems = PasswordPolicy.check(new, username: p.account.username, field: "new_password")
        guard problems.isEmpty else { throw RegistryError.invalid(problems) }
        let hash = try await req.password.async.hash(new)
        try await AccountQueries(req.db).setPassword(id: p.account.id, passwordHash: hash, action: "auth.change_password", by: req.auditActor)
        // Every session of the account has ended, in every cached copy.
        req.application.linli.sessionCache.removeAll()
        return Response(status: .noContent)
    }
}
