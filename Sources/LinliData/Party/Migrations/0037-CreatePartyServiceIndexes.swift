import FluentKit
import SQLKit

/// The party-service hours by brand (党建品牌) and by activity: a brand's activities from their brand, each activity's
/// hours of a year from the activity. Without the second index, the first made SQLite build a temporary index of the
/// year's hours on each brands page; the member-led queries (`serviceByGrid`, an organization's year) fix their own
/// join order and do not use either.
public struct CreatePartyServiceIndexes: AsyncMigration {
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.createIndex("volunteer_activities_brand", on: "volunteer_activities", columns: ["party_brand_id"])
        try await database.createIndex("volunteer_hours_activity", on: "volunteer_hours", columns: ["activity_id", "served_on"])
    }

    public func revert(on database: any Database) async throws {
        let sql = SQLHelpers.sql(database)
        try await sql.raw("DROP INDEX IF EXISTS volunteer_hours_activity").run()
        try await sql.raw("DROP INDEX IF EXISTS volunteer_activities_brand").run()
    }
}
