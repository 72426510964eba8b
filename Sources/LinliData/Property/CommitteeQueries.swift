import FluentKit
import Foundation
import LinliCore
import SQLKit

/// An owners' committee (业主委员会) of a compound.
public struct CommitteeRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var compoundId: UUID
    public var compoundName: String?
    public var communityCode: String
    public var startsOn: String
    public var endsOn: String
    public var filedOn: String?
    public var members: Int
}

/// A member: the name masked as lists show it (first character), the office.
public struct CommitteeMemberRecord: Codable, Sendable, Equatable {
    public var residentId: UUID
    public var nameMasked: String
    public var office: CommitteeOffice
}

struct CommitteeMemberRow: Codable {
    var residentId: UUID
    var name: String
    var office: CommitteeOffice
}

/// 业主委员会: committees of the compounds of the caller's area; members are residents living in the compound's buildings.
extension PropertyQueries {
    /// The district's threshold of a large compound (households).
    public func largeHouseholds() async throws -> Int {
        try await sql.select().column("large_households").from("property_settings").where("id", .equal, SQLBind(1)).first()
            .map { try $0.decode(column: "large_households", as: Int.self) } ?? CommitteeRules.defaultLargeHouseholds
    }

    public func setLargeHouseholds(_ n: Int?, by actor: PropertyActor) async throws -> Int {
        guard let n, (10...100_000).contains(n) else { throw RegistryError.invalid([FieldError("large_households", "户数应在10至100000之间")]) }
        try await db.writeTransaction { db in
            try await SQLHelpers.sql(db).update("property_settings").set("large_households", to: SQLBind(n)).where("id", .equal, SQLBind(1)).run()
            try await AuditLog.append([AuditEvent(PropertyAudit.settings, target: .table("property_settings"), detail: ["large_households": String(n)])],
                                      by: actor.audit, on: db)
        }
        return n
    }

    func committeeQuery(_ filter: SQLQueryString) -> SQLQueryString {
        var q: SQLQueryString = """
            SELECT m.id, m.compound_id, c.name AS compound_name, m.community_code, m.starts_on, m.ends_on, m.filed_on, m.members
            FROM property_committees m JOIN property_compounds c ON c.id = m.compound_id WHERE
            """
        q.appendLiteral(" ")
        q = q + filter
        q.appendLiteral(" ORDER BY m.ends_on DESC, m.id LIMIT 200")
        return q
    }

    public func committees(ofCompound id: UUID, in scope: RegistryScope) async throws -> [CommitteeRecord] {
        _ = try await requireCompound(id, in: scope)
        return try await sql.raw(committeeQuery("m.compound_id = \(bind: id)")).all().map { try $0.decodeRecord(CommitteeRecord.self) }
    }

    public func members(of committee: UUID) async throws -> [CommitteeMemberRecord] {
        try await sql.raw("""
            SELECT cm.resident_id, r.name, cm.office FROM property_committee_members cm JOIN residents r ON r.id = cm.resident_id
            WHERE cm.committee_id = \(bind: committee) ORDER BY r.name_pinyin, r.id
            """).all().map { try $0.decodeRecord(CommitteeMemberRow.self) }
            .map { CommitteeMemberRecord(residentId: $0.residentId, nameMasked: Masking.name($0.name), office: $0.office) }
    }

    /// Committees of the area whose term ends within the reminder window.
    public func committeesEndingSoon(in scope: RegistryScope) async throws -> [CommitteeRecord] {
        try await sql.raw(committeeQuery("""
            m.community_code LIKE \(bind: Self.area(scope) + "%") AND m.ends_on >= \(bind: today.description)
            AND m.ends_on <= \(bind: today.adding(days: CommitteeRules.reminderDays).description)
            """)).all().map { try $0.decodeRecord(CommitteeRecord.self) }
    }

    /// Compounds of the area of at least the large size without a committee in force.
    public func compoundsWithoutCommittee(in scope: RegistryScope) async throws -> [CompoundRecord] {
        let large = try await largeHouseholds()
        let all = try await sql.raw(compoundQuery("""
            c.community_code LIKE \(bind: Self.area(scope) + "%") AND NOT EXISTS (SELECT 1 FROM property_committees m WHERE m.compound_id = c.id
            AND m.starts_on <= \(bind: today.description) AND m.ends_on >= \(bind: today.description))
            """)).all().map { try $0.decodeRecord(CompoundRecord.self) }
        return all.filter { CommitteeRules.isGap(households: $0.households, committeeInForce: false, large: large) }
    }

    /// Records a committee: members are active residents living in the compound's buildings (anyone else is 422 at
    /// `members`); a term overlapping another committee of the compound is 409.
    public func addCommittee(compound id: UUID, _ input: CommitteeInput, by actor: PropertyActor) async throws -> CommitteeRecord {
        guard actor.mayWrite else { throw RegistryError.forbidden("您没有登记业主委员会的权限") }
        let c = try await requireCompound(id, in: actor.scope)
        let errors = CommitteeRules.check(input, today: today)
        guard errors.isEmpty, let starts = input.startsOn, let ends = input.endsOn else { throw RegistryError.invalid(errors) }
        let ids = input.members.map(\.residentId)
        let living = try await sql.raw("""
            SELECT r.id FROM residents r JOIN households h ON h.id = r.household_id JOIN property_compound_buildings pb ON pb.building_id = h.building_id
            WHERE pb.compound_id = \(bind: id) AND r.life_status = \(bind: LifeStatus.active.rawValue) AND r.id IN \(SQLBind.group(ids))
            """).all().map { try $0.decode(column: "id", as: UUID.self) }
        let missing = Set(ids).subtracting(living)
        guard missing.isEmpty else {
            throw RegistryError.invalid([FieldError("members", "\(missing.count)名成员不是本小区登记的居民（业主委员会成员应为本小区业主，须先在居民信息中登记）")])
        }
        let committeeId = UUID(), at = nowSeconds
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            try await sql.update("property_compounds").set("updated_at", to: SQLBind(at)).where("id", .equal, SQLBind(id)).run()
            if try await sql.select().column("id").from("property_committees").where("compound_id", .equal, SQLBind(id))
                .where("starts_on", .lessThanOrEqual, SQLBind(ends.description)).where("ends_on", .greaterThanOrEqual, SQLBind(starts.description)).first() != nil {
                throw RegistryError.conflict(FieldError("starts_on", "任期与本小区已登记的业主委员会重叠"))
            }
            try await sql.insert(into: "property_committees")
                .columns("id", "compound_id", "community_code", "starts_on", "ends_on", "filed_on", "members", "created_by", "created_at")
                .values(SQLBind(committeeId), SQLBind(id), SQLBind(c.communityCode), SQLBind(starts.description), SQLBind(ends.description),
                        SQLBind(input.filedOn?.description), SQLBind(input.members.count), SQLBind(actor.audit.username), SQLBind(at)).run()
            var insert = sql.insert(into: "property_committee_members").columns("committee_id", "resident_id", "office")
            for m in input.members { insert = insert.values(SQLBind(committeeId), SQLBind(m.residentId), SQLBind(m.office.rawValue)) }
            try await insert.run()
            try await AuditLog.append([AuditEvent(PropertyAudit.committeeCreate, target: .compound(id),
                                                  detail: ["members": String(input.members.count), "ends_on": ends.description])], by: actor.audit, on: db)
        }
        guard let k = try await sql.raw(committeeQuery("m.id = \(bind: committeeId)")).first()?.decodeRecord(CommitteeRecord.self) else {
            throw RegistryError.notFound("业主委员会")
        }
        return k
    }
}
