import Foundation
import LinliCore
import LinliData
import Vapor

/// First sign-in of an account the security administrator made or reset: its holder sets their own
/// password, then enrols their own second factor, before the account may do anything else. The
/// administrator chose only a temporary password and never sees the secret (docs/decisions/0011).
enum FirstSignIn {
    /// What a session still to be set up may call in the API.
    static let apiPaths: Set<String> = ["/api/v1/auth/setup", "/api/v1/auth/setup/confirm", "/api/v1/auth/logout"]

    /// The refusal of any other API call by a session still to be set up.
    static func apiRefusal(_ request: Request) -> ProblemError? {
        guard let p = request.principal, p.account.setupRequired, !apiPaths.contains(request.url.path) else { return nil }
        return ProblemError(status: .forbidden, detail: "该账号须先完成首次登录设置（设置本人密码并绑定动态口令）后才能使用：请调用 POST /api/v1/auth/setup")
    }

    /// Console pages send a session still to be set up to the setup page; elsewhere (the portal, the
    /// sign-in page) it counts as no session at all.
    static func webRedirect(_ request: Request) -> Response? {
        guard let p = request.principal, p.account.setupRequired else { return nil }
        let path = request.url.path
        if path == "/console/setup" || path == "/console/setup/confirm" || path == "/logout" { return nil }
        if path == "/console" || path.hasPrefix("/console/") { return request.redirect(to: "/console/setup") }
        request.auth.logout(Principal.self)
        request.storage[SessionKeyHash.self] = nil
        return nil
    }

    /// The secret to enrol once the password is set, or nil while the password is still the administrator's.
    static func pendingSecret(_ p: Principal, req: Request) throws -> [UInt8]? {
        guard let sealed = p.account.totpCipher else { return nil }
        return Base32.decode(try req.application.linli.cipher.open(sealed))
    }

    static func requirePending(_ p: Principal) throws {
        guard p.account.setupRequired else { throw ProblemError(status: .conflict, detail: "该账号已完成首次登录设置") }
    }

    /// Step 1: the holder's own password (not the temporary one). For a role with a second factor it makes
    /// the secret and returns it; otherwise setup is done. Other sessions of the account end.
    static func setPassword(_ p: Principal, new: String?, req: Request) async throws -> [UInt8]? {
        try requirePending(p)
        let new = new ?? ""
        let problems = PasswordPolicy.check(new, username: p.account.username, field: "new_password")
        guard problems.isEmpty else { throw RegistryError.invalid(problems) }
        if try await req.password.async.verify(new, created: p.account.passwordHash) {
            throw RegistryError.invalid([FieldError("new_password", "新密码不能与当前密码（管理员设置的初始密码）相同")])
        }
        let secret = p.role.requiresTOTP ? TOTP.newSecret() : nil
        let hash = try await req.password.async.hash(new)
        let sealed = try secret.map { try req.application.linli.cipher.seal(Base32.encode($0)) }
        try await AccountQueries(req.db).setPassword(id: p.account.id, passwordHash: hash, totpCipher: .some(sealed), setupRequired: secret != nil,
                                                     keeping: p.session.id, action: .setupPassword, by: req.auditActor)
        req.application.linli.sessionCache.removeAll()
        return secret
    }

    /// Step 2: a code from the new secret ends setup; the session becomes an ordinary one.
    static func confirm(_ p: Principal, code: String?, req: Request) async throws {
        try requirePending(p)
        guard let secret = try pendingSecret(p, req: req) else {
            throw RegistryError.invalid([FieldError("new_password", "请先设置本人密码")])
        }
        guard let code, let step = TOTP.verify(code, secret: secret, at: req.application.linli.now(),
                                               after: p.account.totpLastStep.map { UInt64($0) }) else {
            throw RegistryError.invalid([FieldError("totp", "动态口令错误，请核对手机时间后输入身份验证器上当前的6位数字")])
        }
        try await AccountQueries(req.db).finishSetup(id: p.account.id, totpStep: step, by: req.auditActor)
        req.application.linli.sessionCache.removeAll()
    }
}

/// `/api/v1/auth/setup`: the first sign-in steps, for the token that `POST /api/v1/auth/token` answered
/// with `setup_required: true`.
struct FirstSignInAPI {
    func boot(_ routes: Routes) {
        // Any signed-in account may call them (409 once set up).
        let setup = routes.grouped("auth", "setup")
        setup.post(needs: .signedIn, use: setPassword)
        setup.post("confirm", needs: .signedIn, use: confirm)
    }

    struct PasswordInput: Decodable {
        var newPassword: String?
    }

    struct SetupDTO: Encodable, Sendable {
        /// True until the second factor is confirmed (`POST /api/v1/auth/setup/confirm`).
        var setupRequired: Bool
        /// The new secret, for the holder's authenticator app (base32 and as an otpauth:// URI).
        var totpSecret: String?
        var totpUri: String?
    }

    func setPassword(req: Request) async throws -> JSONBody<SetupDTO> {
        let p = try req.requireSignedIn()
        try FirstSignIn.requirePending(p)
        let input = try req.decodeJSON(PasswordInput.self)
        let secret = try await FirstSignIn.setPassword(p, new: input.newPassword, req: req)
        return JSONBody(SetupDTO(setupRequired: secret != nil, totpSecret: secret.map(Base32.encode),
                                 totpUri: secret.map { TOTP.uri(secret: $0, account: p.account.username) }))
    }

    struct ConfirmInput: Decodable {
        var totp: String?
    }

    func confirm(req: Request) async throws -> JSONBody<SetupDTO> {
        let p = try req.requireSignedIn()
        try FirstSignIn.requirePending(p)
        let input = try req.decodeJSON(ConfirmInput.self)
        try await FirstSignIn.confirm(p, code: input.totp, req: req)
        return JSONBody(SetupDTO(setupRequired: false))
    }
}
