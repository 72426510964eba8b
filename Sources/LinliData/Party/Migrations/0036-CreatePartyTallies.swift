import FluentKit
import SQLKit

/// `party_tallies` (see `PartyTally`): members by the community where they live and the community of their
/// organization ('' for 外单位), with those who have 报到, filled from the roll as it stands. Also an index for the
/// brand projects' activities, which the brands page and an organization's page look up by brand.
public struct CreatePartyTallies: AsyncMigration {
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema("party_tallies")
            .field("community_code", .string, .required)
            .field("org_community_code", .string, .required)
            .field("members", .int64, .required)
            .field("reported", .int64, .required)
            .unique(on: "community_code", "org_community_code")
            .create()
        try await database.createIndex("party_tallies_org", on: "party_tallies", columns: ["org_community_code"])
        try await database.createIndex("volunteer_activities_brand", on: "volunteer_activities", columns: ["party_brand_id"])
        try await PartyTally.rebuild(on: database)
    }

    public func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("DROP INDEX volunteer_activities_brand").run()
        try await database.schema("party_tallies").delete()
    }
}
