import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 社工队伍's part of the indicators, division by division (a worker counts where they serve — a community or a
/// street): on the register, with a professional title, with a qualification. One grouped query over the register.
public struct WorkersIndicatorCounts: IndicatorSource {
    public init() {}

    public func count(into tally: inout IndicatorTally, on db: any Database) async throws {
        let sql = SQLHelpers.sql(db), sqlite = db.isSQLite
        typealias K = WorkersIndicators.Key
        // A grid's scope counts nothing here.
        let prefix = tally.scope.prefix.count > 12 ? "~" : tally.scope.prefix
        func when(_ condition: String) -> SQLRaw { SQLRaw("CAST(sum(CASE WHEN \(condition) THEN 1 ELSE 0 END) AS BIGINT)") }
        for row in try await sql.select().column("division_code").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .column(when("titled <> \(sqlite ? "0" : "false")"), as: "titled").column(when("qualification IS NOT NULL"), as: "qualified")
            .from("workers").wherePrefix("division_code", prefix, sqlite: sqlite).groupBy("division_code").all() {
            func n(_ c: String) throws -> Int64 { try row.decode(column: c, as: Int64?.self) ?? 0 }
            let counts = [K.workers: try n("n"), K.titled: try n("titled"), K.qualified: try n("qualified")]
            tally.add(try row.decode(column: "division_code", as: String.self)) { $0.more = counts }
        }
    }
}
