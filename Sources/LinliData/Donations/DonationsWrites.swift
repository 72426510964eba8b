import FluentKit
import Foundation
import LinliCore
import SQLKit

/// The writes of a donation point: registering and editing it, a donation received, a hand-out. Each is one
/// transaction with its audit entry. The stock changes only through one statement that checks and changes at
/// once (`quantity = quantity - n … AND quantity >= n`), so two hand-outs at the same time cannot both take the
/// last goods, on SQLite or PostgreSQL.
extension DonationsQueries {
    func checked(_ input: DonationPointInput) throws -> (needs: String, phone: String) {
        let errors = DonationRules.check(input)
        guard errors.isEmpty else { throw RegistryError.invalid(errors) }
        return (input.needs.joined(separator: "\n"), input.keeperPhone!.filter { $0 != " " })
    }

    /// Registers the point of a community in the caller's area: one per community, a second is 409.
    public func createPoint(community: String?, _ input: DonationPointInput, by actor: DonationsActor) async throws -> DonationPointRecord {
        guard actor.mayManagePoints else { throw RegistryError.forbidden("您没有登记捐赠物资接收点的权限") }
        guard let code = community?.trimmingCharacters(in: .whitespaces), !code.isEmpty else {
            throw RegistryError.invalid([FieldError("community_code", "请选择接收点所在的村/社区")])
        }
        guard let division = try await DivisionQueries(db).find(code: code), division.level == .community, actor.scope.contains(code: code) else {
            throw RegistryError.invalid([FieldError("community_code", "本辖区没有这个村/社区")])
        }
        let (needs, phone) = try checked(input)
        let sealed = try cipher.seal(phone)
        let id = UUID(), at = nowSeconds
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            if !db.isSQLite { try await sql.raw("LOCK TABLE donation_points IN SHARE ROW EXCLUSIVE MODE").run() }
            if try await sql.select().column("id").from("donation_points").where("community_code", .equal, SQLBind(code)).first() != nil {
                throw RegistryError.conflict(FieldError("community_code", "\(division.name)已登记捐赠物资接收点，请修改原接收点"))
            }
            try await sql.insert(into: "donation_points")
                .columns("id", "community_code", "street_code", "name", "address", "opening_hours", "keeper_name", "keeper_phone_cipher",
                         "keeper_phone_masked", "latitude", "longitude", "needs", "open", "last_activity_on", "movements", "version", "created_by", "created_at", "updated_at")
                .values(SQLBind(id), SQLBind(code), SQLBind(String(code.prefix(9))), SQLBind(input.name!.trimmed), SQLBind(input.address!.trimmed),
                        SQLBind(input.openingHours!.trimmed), SQLBind(input.keeperName!.trimmed), SQLBind(sealed), SQLBind(Masking.phone(phone)),
                        SQLBind(input.latitude), SQLBind(input.longitude), SQLBind(needs), SQLBind(input.open), SQLBind(String?.none),
                        SQLBind(0), SQLBind(1), SQLBind(actor.audit.username), SQLBind(at), SQLBind(at))
                .run()
            try await AuditLog.append([AuditEvent(DonationsAudit.pointCreate, target: .donationPoint(code))], by: actor.audit, on: db)
        }
        return try await requirePoint(id, in: actor.scope)
    }

    /// Edits a point (place, hours, keeper, map point, needs, open or closed) at the version the caller read.
    public func updatePoint(_ id: UUID, _ input: DonationPointInput, version: Int, by actor: DonationsActor) async throws -> DonationPointRecord {
        guard actor.mayManagePoints else { throw RegistryError.forbidden("您没有修改捐赠物资接收点的权限") }
        let p = try await requirePoint(id, in: actor.scope)
        guard actor.scope.contains(code: p.communityCode) else { throw RegistryError.forbidden("只能修改本辖区的接收点") }
        let (needs, phone) = try checked(input)
        let sealed = try cipher.seal(phone)
        let at = nowSeconds
        try await db.writeTransaction { db in
            let changed = try await SQLHelpers.sql(db).update("donation_points")
                .set("name", to: SQLBind(input.name!.trimmed)).set("address", to: SQLBind(input.address!.trimmed))
                .set("opening_hours", to: SQLBind(input.openingHours!.trimmed)).set("keeper_name", to: SQLBind(input.keeperName!.trimmed))
                .set("keeper_phone_cipher", to: SQLBind(sealed)).set("keeper_phone_masked", to: SQLBind(Masking.phone(phone)))
                .set("latitude", to: SQLBind(input.latitude)).set("longitude", to: SQLBind(input.longitude))
                .set("needs", to: SQLBind(needs)).set("open", to: SQLBind(input.open))
                .set("version", to: SQLBind(version + 1)).set("updated_at", to: SQLBind(at))
                .where("id", .equal, SQLBind(id)).where("version", .equal, SQLBind(version)).returning("id").all()
            if changed.isEmpty { throw RegistryError.staleVersion(current: p.version) }
            try await AuditLog.append([AuditEvent(DonationsAudit.pointUpdate, target: .donationPoint(p.communityCode),
                                                  detail: ["open": input.open ? "true" : "false"])], by: actor.audit, on: db)
        }
        return try await requirePoint(id, in: actor.scope)
    }

    /// The point the caller keeps: in their area and open (a closed point takes and hands out nothing).
    func keptPoint(_ id: UUID, by actor: DonationsActor) async throws -> DonationPointRecord {
        guard actor.mayWrite else { throw RegistryError.forbidden("您没有登记接收和发放的权限") }
        let p = try await requirePoint(id, in: actor.scope)
        guard actor.scope.contains(code: p.communityCode) else { throw RegistryError.forbidden("只能为本辖区的接收点登记接收和发放") }
        guard p.open else { throw RegistryError.conflictingState("接收点已关闭，请先在接收点信息中设为开放") }
        return p
    }

    /// The point's next ledger number; the UPDATE locks the point's row until the movement commits.
    static func nextSeq(_ pointID: UUID, sql: any SQLDatabase) async throws -> Int {
        let row = try await sql.raw("UPDATE donation_points SET movements = movements + 1 WHERE id = \(bind: pointID) RETURNING movements").first()
        return try row?.decode(column: "movements", as: Int.self) ?? 1
    }

    static func touch(_ pointID: UUID, on day: String, at: Int64, sql: any SQLDatabase) async throws {
        try await sql.update("donation_points").set("last_activity_on", to: SQLBind(day)).set("updated_at", to: SQLBind(at))
            .where("id", .equal, SQLBind(pointID))
            .where { $0.where("last_activity_on", .is, SQLLiteral.null).orWhere("last_activity_on", .lessThan, SQLBind(day)) }.run()
    }

    /// A donation received: into the point's stock and onto its ledger with the balance after it.
    public func receive(_ pointID: UUID, _ input: DonationInput, by actor: DonationsActor) async throws -> DonationMovementRecord {
        let p = try await keptPoint(pointID, by: actor)
        let errors = DonationRules.check(input, today: today)
        guard errors.isEmpty, let quantity = input.quantity, let category = input.category, let date = input.date else { throw RegistryError.invalid(errors) }
        let goods = input.goods!.trimmed, unit = input.unit!.trimmed, donor = DonationRules.donor(input.donor)
        let id = UUID(), at = nowSeconds
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            // Insert or add, in one statement (two receipts of a new item at once both count).
            let row = try await sql.raw("""
                INSERT INTO donation_stock (point_id, goods, unit, category, quantity, updated_at)
                VALUES (\(bind: pointID), \(bind: goods), \(bind: unit), \(bind: category.rawValue), \(bind: quantity), \(bind: at))
                ON CONFLICT (point_id, goods, unit) DO UPDATE SET quantity = donation_stock.quantity + excluded.quantity, updated_at = excluded.updated_at
                RETURNING quantity
                """).first()
            let balance = try row?.decode(column: "quantity", as: Int.self) ?? quantity
            let seq = try await Self.nextSeq(pointID, sql: sql)
            try await sql.insert(into: "donation_movements")
                .columns("id", "point_id", "community_code", "kind", "goods", "unit", "category", "quantity", "balance", "on_date", "donor", "seq",
                         "recorded_by", "created_at")
                .values(SQLBind(id), SQLBind(pointID), SQLBind(p.communityCode), SQLBind(DonationMovementKind.received.rawValue), SQLBind(goods),
                        SQLBind(unit), SQLBind(category.rawValue), SQLBind(quantity), SQLBind(balance), SQLBind(date.description), SQLBind(donor),
                        SQLBind(seq), SQLBind(actor.audit.username), SQLBind(at))
                .run()
            try await Self.touch(pointID, on: date.description, at: at, sql: sql)
            try await AuditLog.append([AuditEvent(DonationsAudit.receive, target: .donationPoint(p.communityCode),
                                                  detail: ["goods": goods, "quantity": String(quantity), "unit": unit])], by: actor.audit, on: db)
        }
        return try await movement(id)
    }

    /// A hand-out to a household of the point's community, from the point's stock: refused at `quantity` when
    /// the stock is short, at `household_id` when the household is of another community.
    public func handOut(_ pointID: UUID, household: UUID?, _ input: HandOutInput, by actor: DonationsActor) async throws -> DonationMovementRecord {
        let p = try await keptPoint(pointID, by: actor)
        var errors = DonationRules.check(input, today: today)
        var householdID: UUID?
        if let household {
            if let row = try await sql.select().column("grid_code").from(Household.schema).where("id", .equal, SQLBind(household)).first() {
                let grid = try row.decode(column: "grid_code", as: String.self)
                if grid.hasPrefix(p.communityCode) { householdID = household } else {
                    errors.append(FieldError("household_id", "该户不在本接收点所在的村/社区，请由其所在社区的接收点发放"))
                }
            } else {
                errors.append(FieldError("household_id", "没有这一户"))
            }
        } else {
            errors.append(FieldError("household_id", "请选择领取物资的家庭"))
        }
        guard errors.isEmpty, let householdID, let quantity = input.quantity, let date = input.date else { throw RegistryError.invalid(errors) }
        let goods = input.goods!.trimmed, unit = input.unit!.trimmed
        let id = UUID(), at = nowSeconds
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            // Checks and takes at once: of two hand-outs of the last goods, the second finds `quantity >= n` false.
            let row = try await sql.raw("""
                UPDATE donation_stock SET quantity = quantity - \(bind: quantity), updated_at = \(bind: at)
                WHERE point_id = \(bind: pointID) AND goods = \(bind: goods) AND unit = \(bind: unit) AND quantity >= \(bind: quantity)
                RETURNING quantity, category
                """).first()
            guard let row else {
                let have = try await sql.select().column("quantity").from("donation_stock").where("point_id", .equal, SQLBind(pointID))
                    .where("goods", .equal, SQLBind(goods)).where("unit", .equal, SQLBind(unit)).first()
                throw RegistryError.invalid([DonationRules.shortage(goods, unit: unit, have: try have?.decode(column: "quantity", as: Int.self) ?? 0)])
            }
            let balance = try row.decode(column: "quantity", as: Int.self), category = try row.decode(column: "category", as: String.self)
            let assistance = try await Self.assistance(of: householdID, sql: sql)
            let seq = try await Self.nextSeq(pointID, sql: sql)
            try await sql.insert(into: "donation_movements")
                .columns("id", "point_id", "community_code", "kind", "goods", "unit", "category", "quantity", "balance", "on_date", "household_id",
                         "assistance_kind", "assistance_stage", "note", "seq", "recorded_by", "created_at")
                .values(SQLBind(id), SQLBind(pointID), SQLBind(p.communityCode), SQLBind(DonationMovementKind.handedOut.rawValue), SQLBind(goods),
                        SQLBind(unit), SQLBind(category), SQLBind(quantity), SQLBind(balance), SQLBind(date.description), SQLBind(householdID),
                        SQLBind(assistance?.kind.rawValue), SQLBind(assistance?.stage.rawValue), SQLBind(input.note?.trimmedOrNil),
                        SQLBind(seq), SQLBind(actor.audit.username), SQLBind(at))
                .run()
            try await Self.touch(pointID, on: date.description, at: at, sql: sql)
            try await AuditLog.append([AuditEvent(DonationsAudit.handOut, target: .donationPoint(p.communityCode),
                                                  detail: ["goods": goods, "quantity": String(quantity), "unit": unit, "household": householdID.uuidString])],
                                      by: actor.audit, on: db)
        }
        return try await movement(id)
    }

    func movement(_ id: UUID) async throws -> DonationMovementRecord {
        guard let row = try await movementSelect.where(SQLColumn("id", table: "m"), .equal, SQLBind(id)).first() else {
            throw RegistryError.notFound("台账记录")
        }
        return try row.decodeRecord(DonationMovementRecord.self)
    }
}

extension String {
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
