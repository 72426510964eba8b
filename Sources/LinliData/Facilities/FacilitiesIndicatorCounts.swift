import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 设施与服务圈's part of the indicators, per community and summed up the tree: read from the coverage snapshot
/// and one grouped count of the register (no scan of the residents).
public struct FacilitiesIndicatorCounts: IndicatorSource {
    public init() {}

    public func count(into tally: inout IndicatorTally, on db: any Database) async throws {
        typealias K = FacilitiesIndicators.Key
        let sql = SQLHelpers.sql(db)
        for c in tally.divisions.filter({ $0.level == .community }).map(\.code) { tally.add(c) { $0.more = [K.communities: 1] } }
        let wanted = Set(FacilitiesIndicators.keyKinds.map(\.rawValue) + ServiceCircle.allCases.map(CoverageRow.circleKey))
        var residentsSeen = Set<String>()
        for row in try await FacilitiesCoverage(db).rows(prefix: tally.scope.prefix) {
            if residentsSeen.insert(row.code).inserted { tally.add(row.code) { $0.more = [K.residents: Int64(row.share.residents)] } }
            if wanted.contains(row.kind) { tally.add(row.code) { $0.more = [K.covered(row.kind): Int64(row.share.residentsCovered)] } }
        }
        for row in try await sql.select().column("community_code").column(SQLRaw("CAST(count(*) AS BIGINT)"), as: "n").from("facilities")
            .wherePrefix("community_code", tally.scope.prefix, sqlite: db.isSQLite).groupBy("community_code").all() {
            let n = try row.decode(column: "n", as: Int64?.self) ?? 0
            tally.add(try row.decode(column: "community_code", as: String.self)) { $0.more = [K.facilities: n] }
        }
    }
}
