import FluentKit
import Foundation
import LinliCore
import SQLKit

public struct AccountRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var username: String
    public var displayName: String
    public var role: Role
    public var divisionCode: String
    public var passwordHash: String
    public var totpCipher: Data?
    public var totpLastStep: Int64?
    public var disabled: Bool
    public var failedAttempts: Int
    public var lockedUntil: Date?
    public var version: Int
    /// For department accounts: the department whose dispatched requests they handle.
    public var departmentCode: String?
    /// Made or reset by an administrator: until the holder has set a password (and enrolled a second
    /// factor), a sign-in opens only the setup step.
    public var setupRequired: Bool
}

/// A live session with its account, as an authenticated request sees it.
public struct SessionRecord: Sendable, Equatable {
    public var id: UUID
    public var account: AccountRecord
    public var lastSeenAt: Date
    public var expiresAt: Date
}

/// Accounts and sessions. Passwords arrive here already hashed; the server hashes them off the event loop.
public struct AccountQueries: Sendable {
    let db: any Database
    public init(_ db: any Database) { self.db = db }

    static let columns = ["id", "username", "display_name", "role", "division_code", "password_hash", "totp_cipher",
                          "totp_last_step", "disabled", "failed_attempts", "locked_until", "version", "department_code", "setup_required"]

    private func select() -> SQLSelectBuilder {
        var q = SQLHelpers.sql(db).select()
        for c in AccountQueries.columns { q = q.column(SQLColumn(c, table: "a")) }
        return q.from(SQLAlias(SQLIdentifier(Account.schema), as: SQLIdentifier("a")))
    }

    public func find(username: String) async throws -> AccountRecord? {
        try await select().where(SQLColumn("username", table: "a"), .equal, SQLBind(username)).first()?.decodeRecord(AccountRecord.self)
    }

    public func find(id: UUID) async throws -> AccountRecord? {
        try await select().where(SQLColumn("id", table: "a"), .equal, SQLBind(id)).first()?.decodeRecord(AccountRecord.self)
    }

    public func count() async throws -> Int { try await Account.query(on: db).count() }

    public func list(page: PageRequest) async throws -> ResultPage<AccountRecord> {
        let items = try await select().orderBy(SQLColumn("username", table: "a")).limit(page.perPage).offset(page.offset)
            .all().map { try $0.decodeRecord(AccountRecord.self) }
        return ResultPage(items: items, total: try await count(), page: page.page, perPage: page.perPage)
    }

    /// Checks the account's fields (the password policy is checked by the caller, who has the clear text).
    public static func check(username: String, displayName: String, role: String, divisionCode: String,
                             departmentCode: String? = nil, on db: any Database) async throws -> (Role, DivisionCode) {
        var errors = FieldErrors()
        if username.count < 3 || username.count > 32
            || !username.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }) {
            errors.add("username", "用户名应为3至32位字母、数字或 . _ -")
        }
        if displayName.isEmpty || displayName.count > 40 { errors.add("display_name", "姓名应为1至40个字") }
        let r = Role(rawValue: role)
        if r == nil { errors.add("role", "角色无效，可选：\(Role.allCases.map(\.rawValue).joined(separator: "、"))") }
        var code: DivisionCode?
        do { code = try DivisionCode(divisionCode) } catch { errors.add("division_code", error.message) }
        if let r, let c = code, !r.allowedScopeLevels.contains(c.level) {
            errors.add("division_code", "\(r.label)应绑定到\(r.allowedScopeLevels.map(\.label).joined(separator: "或"))")
        }
        if let c = code, errors.isEmpty, try await Division.query(on: db).filter(\.$code == c.value).count() == 0 {
            errors.add("division_code", "区划 \(c.value) 不存在")
        }
        if r == .department {
            if let d = departmentCode, !d.isEmpty {
                if errors.isEmpty, try await SQLHelpers.count(SQLHelpers.sql(db).select().column(SQLFunction("count", args: SQLLiteral.all), as: "n")
                    .from("departments").where("code", .equal, SQLBind(d))) == 0 {
                    errors.add("department_code", "部门 \(d) 不存在")
                }
            } else {
                errors.add("department_code", "部门用户须指定所属部门")
            }
        } else if departmentCode != nil {
            errors.add("department_code", "只有部门用户可以指定所属部门")
        }
        guard errors.isEmpty, let r, let code else { throw RegistryError.invalid(errors.errors) }
        return (r, code)
    }

    public func create(username: String, displayName: String, role: String, divisionCode: String, departmentCode: String? = nil,
                       passwordHash: String, totpCipher: Data?, setupRequired: Bool = false,
                       by actor: AuditActor) async throws -> AccountRecord {
        let (r, code) = try await AccountQueries.check(username: username, displayName: displayName, role: role,
                                                       divisionCode: divisionCode, departmentCode: departmentCode, on: db)
        let id = UUID()
        try await db.writeTransaction { db in
            if try await Account.query(on: db).filter(\.$username == username).count() > 0 {
                throw RegistryError.conflict(FieldError("username", "用户名 \(username) 已存在"))
            }
            let a = Account()
            a.id = id
            a.username = username
            a.displayName = displayName
            a.role = r.rawValue
            a.divisionCode = code.value
            a.departmentCode = departmentCode
            a.passwordHash = passwordHash
            a.totpCipher = totpCipher
            a.disabled = false
            a.failedAttempts = 0
            a.version = 1
            a.setupRequired = setupRequired
            try await a.create(on: db)
            var detail = ["role": r.rawValue, "division": code.value]
            if setupRequired { detail["setup_required"] = "true" }
            try await AuditLog.append([AuditEvent(PlatformAudit.accountCreate, target: .account(username), detail: detail)], by: actor, on: db)
        }
        return try await find(id: id)!
    }

    /// Changes role, scope or the disabled flag, if `version` is current. Disabling ends the account's sessions.
    public func update(id: UUID, displayName: String?, role: String?, divisionCode: String?, disabled: Bool?, version: Int,
                       by actor: AuditActor) async throws -> AccountRecord {
        guard let current = try await find(id: id) else { throw RegistryError.notFound("账号") }
        let (r, code) = try await AccountQueries.check(username: current.username, displayName: displayName ?? current.displayName,
                                                       role: role ?? current.role.rawValue, divisionCode: divisionCode ?? current.divisionCode,
                                                       departmentCode: (role ?? current.role.rawValue) == Role.department.rawValue ? current.departmentCode : nil,
                                                       on: db)
        // An account still to be set up enrols its second factor then, for whatever role it has by that time.
        if r.requiresTOTP && current.totpCipher == nil && !current.setupRequired && r != current.role {
            throw RegistryError.invalid([FieldError("role", "\(r.label)需要动态口令：请先为该用户重置密码（首次登录时绑定动态口令）后再改角色")])
        }
        var detail: [String: String] = [:]
        if r != current.role { detail["role"] = "\(current.role.rawValue) → \(r.rawValue)" }
        if code.value != current.divisionCode { detail["division"] = "\(current.divisionCode) → \(code.value)" }
        if let d = disabled, d != current.disabled { detail["disabled"] = String(d) }
        try await db.writeTransaction { [detail] db in
            let changed = try await SQLHelpers.sql(db).update(Account.schema)
                .set("display_name", to: SQLBind(displayName ?? current.displayName)).set("role", to: SQLBind(r.rawValue))
                .set("division_code", to: SQLBind(code.value)).set("disabled", to: SQLBind(disabled ?? current.disabled))
                .set("version", to: SQLBind(version + 1)).set("updated_at", to: SQLBind(Date()))
                .where("id", .equal, SQLBind(id)).where("version", .equal, SQLBind(version)).returning("id").all()
            if changed.isEmpty { throw RegistryError.staleVersion(current: current.version) }
            if disabled == true || r != current.role || code.value != current.divisionCode {
                try await AccountQueries.revokeSessions(of: id, on: db)
            }
            try await AuditLog.append([AuditEvent(PlatformAudit.accountUpdate, target: .account(current.username), detail: detail)], by: actor, on: db)
        }
        return try await find(id: id)!
    }

    /// Sets a new password (and optionally a new TOTP secret, or none), clears a lockout and ends every
    /// session but `keeping` (the holder's own during first-sign-in setup). `setupRequired` marks or
    /// clears the first-sign-in setup when given.
    public func setPassword(id: UUID, passwordHash: String, totpCipher: Data?? = nil, setupRequired: Bool? = nil, keeping: UUID? = nil,
                            action: PlatformAudit, by actor: AuditActor) async throws {
        guard let current = try await find(id: id) else { throw RegistryError.notFound("账号") }
        try await db.writeTransaction { db in
            var u = SQLHelpers.sql(db).update(Account.schema).set("password_hash", to: SQLBind(passwordHash))
                .set("failed_attempts", to: SQLBind(0)).set("locked_until", to: SQLBind(Date?.none))
                .set("version", to: SQLBind(current.version + 1)).set("updated_at", to: SQLBind(Date()))
            if let totp = totpCipher { u = u.set("totp_cipher", to: SQLBind(totp)).set("totp_last_step", to: SQLBind(Int64?.none)) }
            if let setupRequired { u = u.set("setup_required", to: SQLBind(setupRequired)) }
            try await u.where("id", .equal, SQLBind(id)).run()
            try await AccountQueries.revokeSessions(of: id, except: keeping, on: db)
            var detail: [String: String] = [:]
            if let setupRequired { detail["setup_required"] = String(setupRequired) }
            try await AuditLog.append([AuditEvent(action, target: .account(current.username), detail: detail)], by: actor, on: db)
        }
    }

    /// Ends first-sign-in setup once the holder has shown a code of the new second factor (`totpStep`, so
    /// the code is not accepted again).
    public func finishSetup(id: UUID, totpStep: UInt64?, by actor: AuditActor) async throws {
        guard let current = try await find(id: id) else { throw RegistryError.notFound("账号") }
        try await db.writeTransaction { db in
            var u = SQLHelpers.sql(db).update(Account.schema).set("setup_required", to: SQLBind(false))
                .set("version", to: SQLBind(current.version + 1)).set("updated_at", to: SQLBind(Date()))
            if let totpStep { u = u.set("totp_last_step", to: SQLBind(Int64(totpStep))) }
            try await u.where("id", .equal, SQLBind(id)).run()
            try await AuditLog.append([AuditEvent(PlatformAudit.setupComplete, target: .account(current.username))], by: actor, on: db)
        }
    }

    /// Opens a session after a successful sign-in and records it.
    public func openSession(account: AccountRecord, tokenHash: String, ip: String, now: Date, lifetime: TimeInterval,
                            totpStep: UInt64?, by actor: AuditActor) async throws -> SessionRecord {
        let id = UUID()
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            var u = sql.update(Account.schema).set("failed_attempts", to: SQLBind(0)).set("locked_until", to: SQLBind(Date?.none))
            if let totpStep { u = u.set("totp_last_step", to: SQLBind(Int64(totpStep))) }
            try await u.where("id", .equal, SQLBind(account.id)).run()
            try await sql.insert(into: Session.schema).columns("id", "token_hash", "account_id", "created_at", "last_seen_at", "expires_at", "ip")
                .values(SQLBind(id), SQLBind(tokenHash), SQLBind(account.id), SQLBind(now), SQLBind(now),
                        SQLBind(now.addingTimeInterval(lifetime)), SQLBind(ip)).run()
            try await AuditLog.append([AuditEvent(PlatformAudit.login, target: .account(account.username))], by: actor, on: db, now: now)
        }
        return SessionRecord(id: id, account: account, lastSeenAt: now, expiresAt: now.addingTimeInterval(lifetime))
    }

    /// The live session for a token hash, with its account; nil when unknown, revoked or expired.
    public func session(tokenHash: String, now: Date) async throws -> SessionRecord? {
        let sql = SQLHelpers.sql(db)
        guard let row = try await sql.select().columns("id", "account_id", "last_seen_at", "expires_at", "revoked_at")
            .from(Session.schema).where("token_hash", .equal, SQLBind(tokenHash)).first() else { return nil }
        if try row.decodeNil(column: "revoked_at") == false { return nil }
        let expires = try row.decode(column: "expires_at", as: Date.self)
        guard expires > now, let account = try await find(id: try row.decode(column: "account_id", as: UUID.self)) else { return nil }
        return SessionRecord(id: try row.decode(column: "id", as: UUID.self), account: account,
                             lastSeenAt: try row.decode(column: "last_seen_at", as: Date.self), expiresAt: expires)
    }

    public func touch(session id: UUID, at now: Date) async throws {
        try await SQLHelpers.sql(db).update(Session.schema).set("last_seen_at", to: SQLBind(now)).where("id", .equal, SQLBind(id)).run()
    }

    public func revoke(session id: UUID, account: AccountRecord, reason: PlatformAudit, by actor: AuditActor, now: Date = Date()) async throws {
        try await db.writeTransaction { db in
            try await SQLHelpers.sql(db).update(Session.schema).set("revoked_at", to: SQLBind(now)).where("id", .equal, SQLBind(id)).run()
            try await AuditLog.append([AuditEvent(reason, target: .account(account.username))], by: actor, on: db, now: now)
        }
    }

    static func revokeSessions(of account: UUID, except keep: UUID? = nil, on db: any Database) async throws {
        var u = SQLHelpers.sql(db).update(Session.schema).set("revoked_at", to: SQLBind(Date()))
            .where("account_id", .equal, SQLBind(account)).where("revoked_at", .is, SQLLiteral.null)
        if let keep { u = u.where("id", .notEqual, SQLBind(keep)) }
        try await u.run()
    }
}
