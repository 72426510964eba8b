import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 业主委员会 in the demo district: about four in five large compounds (the district's size in households) get a
/// committee of five owners living there (the first the director), most filed with the street; about one in ten of those
/// ends within the reminder window. One grouped count of households per building, one short query per large compound.
enum DemoCommittees {
    static func load(on db: any Database, seed: UInt64, today: CivilDate, now: Int64) async throws -> Int {
        let sql = SQLHelpers.sql(db)
        var rng = SeededRandom(seed: seed ^ 0xC0_3317)
        let large = try await PropertyQueries(db, today: today).largeHouseholds()
        var households: [UUID: Int] = [:]
        for row in try await sql.select().column("building_id").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("households").groupBy("building_id").all() {
            households[try row.decode(column: "building_id", as: UUID.self)] = try row.decode(column: "n", as: Int.self)
        }
        var compounds: [UUID: (community: String, buildings: [UUID])] = [:]
        for row in try await sql.raw("""
            SELECT pb.compound_id, pb.building_id, c.community_code FROM property_compound_buildings pb JOIN property_compounds c ON c.id = pb.compound_id
            ORDER BY pb.compound_id, pb.building_id
            """).all() {
            let id = try row.decode(column: "compound_id", as: UUID.self), community = try row.decode(column: "community_code", as: String.self)
            compounds[id, default: (community, [])].buildings.append(try row.decode(column: "building_id", as: UUID.self))
        }
        var committees = BulkInsert("property_committees", ["id", "compound_id", "community_code", "starts_on", "ends_on", "filed_on", "members", "created_by", "created_at"])
        var members = BulkInsert("property_committee_members", ["committee_id", "resident_id", "office"])
        var made = 0, batches: [BulkInsert.Batch] = []
        func keep(_ bulk: inout BulkInsert) { if bulk.isFull, let x = bulk.take() { batches.append(x) } }
        for id in compounds.keys.sorted(by: { $0.uuidString < $1.uuidString }) {
            let c = compounds[id]!
            guard c.buildings.reduce(0, { $0 + (households[$1] ?? 0) }) >= large, rng.chance(0.8) else { continue }
            let people = try await sql.raw("""
                SELECT r.id FROM residents r JOIN households h ON h.id = r.household_id
                WHERE h.building_id IN \(SQLBind.group(c.buildings)) AND r.life_status = \(bind: LifeStatus.active.rawValue) ORDER BY r.id LIMIT 5
                """).all().map { try $0.decode(column: "id", as: UUID.self) }
            guard people.count == 5 else { continue }
            let ending = rng.chance(0.1)
            let starts = ending ? today.adding(days: rng.int(10...85) - 1825) : today.adding(days: -rng.int(30...1600))
            let ends = starts.adding(days: 1825)
            let committee = rng.uuid()
            committees.add([committee, id, c.community, starts.description, ends.description, rng.chance(0.85) ? starts.adding(days: rng.int(5...30)).description : nil,
                            5, "demo", now])
            keep(&committees)
            for (i, p) in people.enumerated() {
                members.add([committee, p, i == 0 ? CommitteeOffice.director.rawValue : CommitteeOffice.member.rawValue])
                keep(&members)
            }
            made += 1
        }
        batches += [committees.take(), members.take()].compactMap { $0 }
        // The committees before their members.
        let ordered = batches.filter { $0.table == "property_committees" } + batches.filter { $0.table != "property_committees" }
        guard !ordered.isEmpty else { return 0 }
        try await db.writeTransaction(bulk: true) { db in for x in ordered { try await x.run(on: db) } }
        return made
    }
}
