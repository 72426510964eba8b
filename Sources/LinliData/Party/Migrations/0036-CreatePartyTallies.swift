import FluentKit
import SQLKit

/// `party_tallies` (see `PartyTally`): members by the community where they live and the community of their
/// organization ('' for 外单位), with those who have 报到, filled from the roll as it stands.
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
        try await PartyTally.rebuild(on: database)
    }

    public func revert(on database: any Database) async throws {
        try await database.schema("party_tallies").delete()
    }
}
