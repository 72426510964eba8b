import FluentKit
import SQLKit

/// 四位一体. `property_meetings` ties a deliberation meeting (a 事务协调会 in `deliberation_meetings`, where its minutes
/// and resolutions live) to the compound it coordinated, with the attendee of each of the four parties as typed and the
/// company and owners' committee that sat for the compound that day. `parties` is how many of the four attended,
/// `expected` how many the compound could send (no manager or no committee in its term means fewer).
public struct CreatePropertyMeetings: AsyncMigration {
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema("property_meetings")
            .field("meeting_id", .uuid, .identifier(auto: false), .references("deliberation_meetings", "id"))
            .field("compound_id", .uuid, .required, .references("property_compounds", "id"))
            .field("community_code", .string, .required)
            .field("held_on", .string, .required)
            .field("company_id", .uuid)
            .field("committee_id", .uuid)
            .field("residents_committee", .string)
            .field("property_manager", .string)
            .field("owners_committee", .string)
            .field("police", .string)
            .field("parties", .int, .required)
            .field("expected", .int, .required)
            .create()
        try await database.createIndex("property_meetings_compound", on: "property_meetings", columns: ["compound_id", "held_on"])
        try await database.createIndex("property_meetings_community", on: "property_meetings", columns: ["community_code", "held_on"])
    }

    public func revert(on database: any Database) async throws {
        try await database.schema("property_meetings").delete()
    }
}
