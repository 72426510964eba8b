import FluentKit
import Foundation
import LinliCore
import SQLKit

/// The requests' part of the indicators: the tallies kept per community (decision 0006).
public struct RequestIndicatorCounts: IndicatorSource {
    public init() {}

    public func count(into tally: inout IndicatorTally, on db: any Database) async throws {
        let sql = SQLHelpers.sql(db), sqlite = db.isSQLite
        let communityPrefix = tally.scope.prefix.count > 12 ? "~" : tally.scope.prefix
        let sums = ["n", "escalated", "handled", "on_time", "handling_seconds", "rated", "rating_sum"]
        let tallies = try await sums.reduce(sql.select().column("community_code")) { $0.column(SQLRaw("CAST(sum(\($1)) AS BIGINT)"), as: $1) }
            .from("request_tallies").wherePrefix("community_code", communityPrefix, sqlite: sqlite).groupBy("community_code").all()
        for row in tallies {
            let code = try row.decode(column: "community_code", as: String.self)
            guard (try? DivisionCode(code))?.level == .community else { continue }
            let r = RequestCounts(total: try row.decode(column: "n", as: Int64.self), escalated: try row.decode(column: "escalated", as: Int64.self),
                                  handled: try row.decode(column: "handled", as: Int64.self), onTime: try row.decode(column: "on_time", as: Int64.self),
                                  handlingSeconds: try row.decode(column: "handling_seconds", as: Int64.self),
                                  rated: try row.decode(column: "rated", as: Int64.self), ratingSum: try row.decode(column: "rating_sum", as: Int64.self))
            tally.add(code) { $0.requests = r }
        }

    }
}
