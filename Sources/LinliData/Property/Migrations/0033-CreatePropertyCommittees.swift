import FluentKit
import SQLKit

/// 业主委员会. `property_committees` are the owners' committees of compounds: term, filing with the street (备案), the
/// compound's community code for scoping. `property_committee_members` are their members, residents of the registry,
/// one row per committee and person with the office held. `property_settings` holds the district's one row: how many
/// households make a compound large enough to need a committee (default 300). Same release as `CreateProperty`.
public struct CreatePropertyCommittees: AsyncMigration {
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema("property_committees")
            .id()
            .field("compound_id", .uuid, .required, .references("property_compounds", "id"))
            .field("community_code", .string, .required)
            .field("starts_on", .string, .required)
            .field("ends_on", .string, .required)
            .field("filed_on", .string)
            .field("members", .int, .required)
            .field("created_by", .string, .required)
            .field("created_at", .int64, .required)
            .create()
        try await database.createIndex("property_committees_compound", on: "property_committees", columns: ["compound_id", "ends_on"])
        try await database.createIndex("property_committees_community", on: "property_committees", columns: ["community_code", "ends_on"])

        try await database.schema("property_committee_members")
            .field("committee_id", .uuid, .required, .references("property_committees", "id"))
            .field("resident_id", .uuid, .required)
            .field("office", .string, .required)
            .compositeIdentifier(over: "committee_id", "resident_id")
            .create()

        try await database.schema("property_settings")
            .field("id", .int, .identifier(auto: false))
            .field("large_households", .int, .required)
            .field("version", .int, .required)
            .create()
        try await (database as! any SQLDatabase).insert(into: "property_settings").columns("id", "large_households", "version")
            .values(SQLBind(1), SQLBind(300), SQLBind(1)).run()
    }

    public func revert(on database: any Database) async throws {
        for t in ["property_settings", "property_committee_members", "property_committees"] { try await database.schema(t).delete() }
    }
}
