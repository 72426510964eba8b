import FluentKit
import SQLKit

/// The plan's indicators kept month by month (one row per indicator, division and period), and an
/// index that lets the population figures be counted from the index alone.
public struct CreateIndicatorSnapshots: AsyncMigration {
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema("indicator_snapshots")
            .field("indicator_code", .string, .required)
            .field("division_code", .string, .required)
            .field("period", .string, .required)
            .field("value", .double)
            .field("numerator", .double)
            .field("denominator", .double)
            .field("taken_at", .int64, .required)
            .compositeIdentifier(over: "indicator_code", "division_code", "period")
            .create()
        // Age bands and 户籍/常住/流动 per grid: a scan of this index, not of the table.
        try await database.createIndex("residents_structure", on: "residents",
                                       columns: ["life_status", "grid_code", "birth_date", "residence_status"])
    }

    public func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase { try await sql.drop(index: "residents_structure").run() }
        try await database.schema("indicator_snapshots").delete()
    }
}
