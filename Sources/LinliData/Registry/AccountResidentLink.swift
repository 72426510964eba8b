import FluentKit
import Foundation
import LinliCore
import SQLKit

/// A resident's portal account linked to their own entry in the registry (实名核验), in `account_residents`
/// (migration 11). A resident links themself by typing their name and 公民身份号码: the number is found through
/// the blind index, within the account's division, and the name must match; any mismatch answers the same
/// message, so the form does not tell whether a number is registered. Capabilities read the link to act for
/// the person (我的志愿服务, 我家的救助).
public struct AccountResidentLink: Sendable {
    let db: any Database
    let cipher: PersonalDataCipher
    let today: CivilDate
    let now: @Sendable () -> Date

    public init(_ db: any Database, cipher: PersonalDataCipher, today: CivilDate, now: @escaping @Sendable () -> Date = { Date() }) {
        self.db = db
        self.cipher = cipher
        self.today = today
        self.now = now
    }

    /// The one message for every mismatch.
    public static let mismatch = FieldError("id_number", "姓名与公民身份号码不一致，或您不在本账号所属的社区登记。请核对后重试，仍有问题请到社区办理")

    /// The registry resident linked to the account, if any (active or not: the caller decides).
    public func resident(of account: UUID) async throws -> ResidentRecord? {
        guard let row = try await SQLHelpers.sql(db).select().column("resident_id").from("account_residents")
            .where("account_id", .equal, SQLBind(account)).first() else { return nil }
        return try await ResidentQueries(db, cipher: cipher, today: today).find(id: try row.decode(column: "resident_id", as: UUID.self), in: .everything)
    }

    /// Links the account to the active resident of `scope` with this name and number (a previous link is replaced).
    /// Audited either way; a refusal records only the masked number.
    public func link(account: UUID, name: String?, idNumber: String?, scope: RegistryScope, by actor: AuditActor) async throws -> ResidentRecord {
        let typedName = (name ?? "").trimmingCharacters(in: .whitespaces)
        let typedNumber = (idNumber ?? "").trimmingCharacters(in: .whitespaces).uppercased()
        var errors: [FieldError] = []
        if typedName.isEmpty { errors.append(FieldError("name", "请填写姓名")) }
        if typedNumber.isEmpty { errors.append(FieldError("id_number", "请填写公民身份号码")) }
        guard errors.isEmpty else { throw RegistryError.invalid(errors) }
        let found = try await ResidentQueries(db, cipher: cipher, today: today).find(idNumber: typedNumber, in: scope)
        guard let r = found, r.name == typedName, r.lifeStatus == .active else {
            let masked = typedNumber.count == 18 ? Masking.citizenID(typedNumber) : "（格式不符）"
            try await AuditLog.record(AuditEvent(VolunteersAudit.linkRefused, target: .account(actor.username), outcome: "refused",
                                                 detail: ["id_number": masked]), by: actor, on: db)
            throw RegistryError.invalid([Self.mismatch])
        }
        let at = Int64(now().timeIntervalSince1970)
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            try await sql.delete(from: "account_residents").where("account_id", .equal, SQLBind(account)).run()
            try await sql.insert(into: "account_residents").columns("account_id", "resident_id", "linked_by", "linked_at")
                .values(SQLBind(account), SQLBind(r.id), SQLBind(actor.username), SQLBind(at)).run()
            try await AuditLog.append([AuditEvent(VolunteersAudit.linkAccount, target: .resident(r.id), detail: ["id_number": r.idMasked])],
                                      by: actor, on: db)
        }
        return r
    }
}
