import Fluent
import Foundation
import LinliCore
import LinliData
import Vapor

/// `/api/v1/accounts`: the security administrator's work — accounts, roles and scopes.
struct AccountsAPI {
    func boot(_ routes: Routes) {
        let accounts = routes.grouped("accounts")
        accounts.get(needs: .permission(.accountsManage), use: list)
        accounts.post(needs: .permission(.accountsManage), use: create)
        accounts.get(":id", needs: .permission(.accountsManage), use: show)
        accounts.patch(":id", needs: .permission(.accountsManage), use: update)
        accounts.post(":id", "password", needs: .permission(.accountsManage), use: resetPassword)
        routes.get("exports", "accounts", needs: .permission(.accountsManage), use: export)
    }

    /// Every account as a file, for the security administrator's records (no password or secret in it). Audited.
    func export(req: Request) async throws -> Response {
        try req.require(.accountsManage)
        return try await ListExport.write(req, sheet: "账号", name: "账号列表", action: PlatformAudit.accountsExport,
                                          header: ["用户名", "姓名", "角色", "所属区划", "所属部门", "状态", "动态口令", "版本"],
                                          widths: [16, 20, 12, 16, 10, 10, 10, 6]) { write in
            try await ListExport.pages { page in
                let p = try await AccountQueries(req.db).list(page: page)
                for a in p.items {
                    let state = a.disabled ? "已停用" : a.setupRequired ? "待本人设置" : "正常"
                    try write([.text(a.username), .text(a.displayName), .text(a.role.label), .text(a.divisionCode),
                               a.departmentCode.map { .text($0) } ?? .empty, .text(state), .text(a.totpCipher == nil || a.setupRequired ? "无" : "已绑定"),
                               .number(Double(a.version))])
                }
                return p.items.count
            }
        }
    }

    struct AccountDTO: Encodable, Sendable {
        var id: UUID
        var username: String
        var displayName: String
        var role: String
        var roleLabel: String
        var divisionCode: String
        var departmentCode: String?
        var disabled: Bool
        var totpEnrolled: Bool
        /// The holder has yet to set their own password and second factor (never shown to the administrator).
        var setupRequired: Bool
        var version: Int

        init(_ a: AccountRecord) {
            id = a.id; username = a.username; displayName = a.displayName; role = a.role.rawValue
            roleLabel = a.role.label; divisionCode = a.divisionCode; departmentCode = a.departmentCode; disabled = a.disabled
            totpEnrolled = a.totpCipher != nil && !a.setupRequired
            setupRequired = a.setupRequired; version = a.version
        }
    }

    struct AccountInput: Decodable {
        var username: String?
        var displayName: String?
        var role: String?
        var divisionCode: String?
        var departmentCode: String?
        var password: String?
        var disabled: Bool?
        var version: Int?
    }

    func list(req: Request) async throws -> JSONBody<PageDTO<AccountDTO>> {
        try req.require(.accountsManage)
        let page = try await AccountQueries(req.db).list(page: try req.pageRequest())
        return JSONBody(PageDTO(page) { AccountDTO($0) })
    }

    func show(req: Request) async throws -> JSONBody<AccountDTO> {
        try req.require(.accountsManage)
        guard let a = try await AccountQueries(req.db).find(id: try req.pathUUID()) else { throw RegistryError.notFound("账号") }
        return JSONBody(AccountDTO(a))
    }

    func create(req: Request) async throws -> JSONBody<AccountDTO> {
        try req.require(.accountsManage)
        let i = try req.decodeJSON(AccountInput.self)
        let username = (i.username ?? "").trimmingCharacters(in: .whitespaces)
        let password = i.password ?? ""
        var errors = PasswordPolicy.check(password, username: username)
        if i.role == nil { errors.append(FieldError("role", "请选择角色")) }
        if i.divisionCode == nil { errors.append(FieldError("division_code", "请选择所属区划")) }
        guard errors.isEmpty else { throw RegistryError.invalid(errors) }
        let created = try await AccountProvisioning.create(username: username, displayName: i.displayName ?? username, role: i.role!,
                                                           divisionCode: i.divisionCode!, departmentCode: i.departmentCode,
                                                           password: password, firstSignInSetup: true, app: req.application,
                                                           db: req.db, by: req.auditActor)
        return JSONBody(AccountDTO(created.account), status: .created)
    }

    func update(req: Request) async throws -> JSONBody<AccountDTO> {
        let me = try req.require(.accountsManage)
        let id = try req.pathUUID()
        let i = try req.decodeJSON(AccountInput.self)
        if id == me.account.id, i.role != nil || i.divisionCode != nil || i.disabled != nil {
            // No one raises, moves or unlocks themselves: another security administrator must do it.
            throw ProblemError(status: .forbidden, detail: "不能修改自己的角色、范围或状态")
        }
        let version = try requireVersion(i.version)
        let a = try await AccountQueries(req.db).update(id: id, displayName: i.displayName, role: i.role, divisionCode: i.divisionCode,
                                                        disabled: i.disabled, version: version, by: req.auditActor)
        req.application.linli.sessionCache.removeAll()
        return JSONBody(AccountDTO(a))
    }

    /// Sets a temporary password chosen by the administrator and drops the second factor: the holder sets
    /// their own of both at the next sign-in.
    func resetPassword(req: Request) async throws -> JSONBody<AccountDTO> {
        let me = try req.require(.accountsManage)
        let id = try req.pathUUID()
        if id == me.account.id {
            throw ProblemError(status: .forbidden, detail: "请通过“修改密码”修改自己的密码（需要当前密码）")
        }
        let i = try req.decodeJSON(AccountInput.self)
        guard let a = try await AccountQueries(req.db).find(id: id) else { throw RegistryError.notFound("账号") }
        _ = try await AccountProvisioning.resetPassword(a, password: i.password ?? "", firstSignInSetup: true, app: req.application,
                                                        db: req.db, by: req.auditActor)
        req.application.linli.sessionCache.removeAll()
        guard let updated = try await AccountQueries(req.db).find(id: id) else { throw RegistryError.notFound("账号") }
        return JSONBody(AccountDTO(updated))
    }
}

/// Creating accounts and resetting passwords, shared by the API and the operators' CLI. With
/// `firstSignInSetup` (the API) the password is only a temporary one and no second factor is made: the
/// holder sets both at first sign-in, so the administrator never holds them. The CLI and `linli demo`
/// hand the secret to the operator at the machine, who holds the data key anyway (docs/decisions/0011).
public enum AccountProvisioning {
    public struct Created: Sendable {
        public var account: AccountRecord
        public var totpURI: String?
    }

    public static func create(username: String, displayName: String, role: String, divisionCode: String, departmentCode: String? = nil,
                              password: String, firstSignInSetup: Bool = false, app: Application, db: any Database,
                              by actor: AuditActor) async throws -> Created {
        let problems = PasswordPolicy.check(password, username: username)
        guard problems.isEmpty else { throw RegistryError.invalid(problems) }
        var secret: [UInt8]?
        if Role(rawValue: role)?.requiresTOTP == true, !firstSignInSetup { secret = TOTP.newSecret() }
        let hash = try await app.password.async.hash(password)
        let account = try await AccountQueries(db).create(username: username, displayName: displayName, role: role, divisionCode: divisionCode,
                                                          departmentCode: departmentCode, passwordHash: hash, totpCipher: try secret.map { try app.linli.cipher.seal(Base32.encode($0)) },
                                                          setupRequired: firstSignInSetup, by: actor)
        return Created(account: account, totpURI: secret.map { TOTP.uri(secret: $0, account: username) })
    }

    /// Returns the new otpauth:// URI when the role signs in with a second factor (never with `firstSignInSetup`,
    /// which drops the second factor instead).
    public static func resetPassword(_ account: AccountRecord, password: String, firstSignInSetup: Bool = false, app: Application,
                                     db: any Database, by actor: AuditActor) async throws -> String? {
        let problems = PasswordPolicy.check(password, username: account.username)
        guard problems.isEmpty else { throw RegistryError.invalid(problems) }
        var secret: [UInt8]?
        if account.role.requiresTOTP, !firstSignInSetup { secret = TOTP.newSecret() }
        let hash = try await app.password.async.hash(password)
        let sealed: Data?? = firstSignInSetup ? .some(nil) : try secret.map { .some(try app.linli.cipher.seal(Base32.encode($0))) } ?? nil
        try await AccountQueries(db).setPassword(id: account.id, passwordHash: hash, totpCipher: sealed, setupRequired: firstSignInSetup,
                                                 action: .accountResetPassword, by: actor)
        return secret.map { TOTP.uri(secret: $0, account: account.username) }
    }
}
