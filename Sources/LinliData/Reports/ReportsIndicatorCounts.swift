import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 一表通's part of the indicators, per community: the fields of the current forms sent to it and those the
/// platform fills; the minutes saved by its submitted returns. Grouped reads of the forms' communities and
/// the returns (never the residents).
public struct ReportsIndicatorCounts: IndicatorSource {
    public init() {}

    public func count(into tally: inout IndicatorTally, on db: any Database) async throws {
        typealias K = ReportsIndicators.Key
        let sql = SQLHelpers.sql(db), sqlite = db.isSQLite, prefix = tally.scope.prefix
        for row in try await sql.select().column(SQLColumn("community_code", table: "c"))
            .column(SQLRaw("CAST(SUM(f.field_count) AS BIGINT)"), as: "n").column(SQLRaw("CAST(SUM(f.automatic_count) AS BIGINT)"), as: "a")
            .from(SQLAlias(SQLIdentifier("report_form_communities"), as: SQLIdentifier("c")))
            .join(SQLAlias(SQLIdentifier("report_forms"), as: SQLIdentifier("f")), method: SQLJoinMethod.inner,
                  on: SQLColumn("id", table: "f"), .equal, SQLColumn("form_id", table: "c"))
            .where(SQLColumn("status", table: "f"), .equal, SQLBind("current"))
            .wherePrefix("c.community_code", prefix, sqlite: sqlite).groupBy(SQLColumn("community_code", table: "c")).all() {
            let n = try row.decode(column: "n", as: Int64?.self) ?? 0, a = try row.decode(column: "a", as: Int64?.self) ?? 0
            tally.add(try row.decode(column: "community_code", as: String.self)) { $0.more = [K.fields: n, K.fieldsAutomatic: a] }
        }
        let minutes = Int64(try await ReportsQueries(db, today: tally.today).minutesPerField())
        for row in try await sql.select().column("community_code").column(SQLRaw("CAST(SUM(automatic_fields) AS BIGINT)"), as: "n")
            .from("report_returns").where("status", .equal, SQLBind(ReturnStatus.submitted.rawValue))
            .wherePrefix("community_code", prefix, sqlite: sqlite).groupBy("community_code").all() {
            let n = try row.decode(column: "n", as: Int64?.self) ?? 0
            tally.add(try row.decode(column: "community_code", as: String.self)) { $0.more = [K.minutesSaved: n * minutes] }
        }
    }
}
