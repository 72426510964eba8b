import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 物业管理's part of the indicators, community by community: compounds, old compounds, and of each those managed today
/// (a contract in force, or services the community covers). One grouped query.
public struct PropertyIndicatorCounts: IndicatorSource {
    public init() {}

    public func count(into tally: inout IndicatorTally, on db: any Database) async throws {
        typealias K = PropertyIndicators.Key
        let day = tally.today.description, truth = db.isSQLite ? "1" : "true"
        // `managed`: a contract in force today or 准物业管理 services; `day` is a date the code computes.
        let rows = try await SQLHelpers.sql(db).raw("""
            SELECT community_code, CAST(COUNT(*) AS BIGINT) AS n,
                   CAST(SUM(CASE WHEN managed = 1 THEN 1 ELSE 0 END) AS BIGINT) AS managed,
                   CAST(SUM(CASE WHEN old = \(unsafeRaw: truth) THEN 1 ELSE 0 END) AS BIGINT) AS old,
                   CAST(SUM(CASE WHEN old = \(unsafeRaw: truth) AND managed = 1 THEN 1 ELSE 0 END) AS BIGINT) AS old_managed
            FROM (SELECT c.community_code, c.old,
                         CASE WHEN c.quasi_services <> '' OR EXISTS (SELECT 1 FROM property_contracts k WHERE k.compound_id = c.id
                              AND k.starts_on <= \(bind: day) AND k.ends_on >= \(bind: day)) THEN 1 ELSE 0 END AS managed
                  FROM property_compounds c WHERE c.community_code LIKE \(bind: PropertyQueries.area(tally.scope) + "%")) t
            GROUP BY community_code
            """).all()
        for row in rows {
            let counts = [K.compounds: try row.decode(column: "n", as: Int64?.self) ?? 0, K.managed: try row.decode(column: "managed", as: Int64?.self) ?? 0,
                          K.old: try row.decode(column: "old", as: Int64?.self) ?? 0, K.oldManaged: try row.decode(column: "old_managed", as: Int64?.self) ?? 0]
            tally.add(try row.decode(column: "community_code", as: String.self)) { c in for (k, v) in counts { c.more[k, default: 0] += v } }
        }
        // Large compounds and those with a committee in force: one row per compound (households counted on the buildings' index).
        let large = try await PropertyQueries(db, today: tally.today).largeHouseholds()
        for row in try await SQLHelpers.sql(db).raw("""
            SELECT c.community_code,
                   (SELECT COUNT(*) FROM property_compound_buildings pb JOIN households h ON h.building_id = pb.building_id WHERE pb.compound_id = c.id) AS households,
                   CASE WHEN EXISTS (SELECT 1 FROM property_committees m WHERE m.compound_id = c.id AND m.starts_on <= \(bind: day) AND m.ends_on >= \(bind: day))
                        THEN 1 ELSE 0 END AS committee
            FROM property_compounds c WHERE c.community_code LIKE \(bind: PropertyQueries.area(tally.scope) + "%")
            """).all() {
            guard try row.decode(column: "households", as: Int.self) >= large else { continue }
            let with: Int64 = try row.decode(column: "committee", as: Int.self) == 1 ? 1 : 0
            tally.add(try row.decode(column: "community_code", as: String.self)) { c in
                c.more[K.large, default: 0] += 1
                c.more[K.largeWithCommittee, default: 0] += with
            }
        }
        try await PropertyRatingIndicatorCounts().count(into: &tally, on: db)
    }
}
