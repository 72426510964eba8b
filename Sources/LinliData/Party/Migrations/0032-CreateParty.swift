import FluentKit
import SQLKit

/// 社区党建. `party_orgs` is the tree: a street's 街道社会工作党委 (`division_code` the street), a community's
/// 党委/党总支/党支部 and the 党小组 under them (`functional_kind` set for the four kinds of 功能型党小组); `members` is the
/// count of members who belong to it (or joined it, for a group), kept in the write transaction. `party_members`: a
/// member is a registry resident (`resident_id` unique: no second copy of the person, and one organization at a
/// time — `org_id` in the tree, or `outside_org` named when it is elsewhere); where they live is read from the
/// registry, so a move needs no second write. `reported_on` is the day of 报到 in the community where they live.
/// `party_group_members` are the groups joined. `party_centres` are the 三级党员服务中心, each one a facility of the
/// register, with `party_centre_duty` the members on duty. `party_brands` are the brand projects; volunteer
/// activities marked `party_service` (and optionally a brand) are party-member service, so hours stay the
/// volunteers' own. Days 'YYYY-MM-DD', times Unix seconds.
public struct CreateParty: AsyncMigration {
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema("party_orgs")
            .id()
            .field("parent_id", .uuid, .references("party_orgs", "id"))
            .field("kind", .string, .required)
            .field("functional_kind", .string)
            .field("name", .string, .required)
            .field("name_pinyin", .string, .required)
            .field("division_code", .string, .required)
            .field("secretary_member_id", .uuid)
            .field("members", .int, .required)
            .field("version", .int, .required)
            .field("created_by", .string, .required)
            .field("created_at", .int64, .required)
            .create()
        try await database.createIndex("party_orgs_division", on: "party_orgs", columns: ["division_code", "kind", "name_pinyin"])
        try await database.createIndex("party_orgs_parent", on: "party_orgs", columns: ["parent_id"])

        try await database.schema("party_members")
            .id()
            .field("resident_id", .uuid, .required, .references("residents", "id"))
            .field("org_id", .uuid, .references("party_orgs", "id"))
            .field("outside_org", .string)
            .field("joined_on", .string, .required)
            .field("reported_on", .string)
            .field("version", .int, .required)
            .field("created_by", .string, .required)
            .field("created_at", .int64, .required)
            .field("updated_at", .int64, .required)
            .unique(on: "resident_id")
            .create()
        try await database.createIndex("party_members_org", on: "party_members", columns: ["org_id"])

        try await database.schema("party_group_members")
            .field("group_id", .uuid, .required, .references("party_orgs", "id"))
            .field("member_id", .uuid, .required, .references("party_members", "id"))
            .field("joined_on", .string, .required)
            .unique(on: "group_id", "member_id")
            .create()
        try await database.createIndex("party_group_members_member", on: "party_group_members", columns: ["member_id"])

        try await database.schema("party_centres")
            .id()
            .field("facility_id", .uuid, .required, .references("facilities", "id"))
            .field("level", .string, .required)
            .field("division_code", .string, .required)
            .field("name", .string, .required)
            .field("services", .string, .required)
            .field("opening_hours", .string, .required)
            .field("version", .int, .required)
            .field("created_by", .string, .required)
            .field("created_at", .int64, .required)
            .unique(on: "facility_id")
            .create()
        try await database.createIndex("party_centres_division", on: "party_centres", columns: ["division_code"])

        try await database.schema("party_centre_duty")
            .field("centre_id", .uuid, .required, .references("party_centres", "id"))
            .field("member_id", .uuid, .required, .references("party_members", "id"))
            .unique(on: "centre_id", "member_id")
            .create()

        try await database.schema("party_brands")
            .id()
            .field("org_id", .uuid, .required, .references("party_orgs", "id"))
            .field("name", .string, .required)
            .field("summary", .string, .required)
            .field("started_on", .string, .required)
            .field("results", .string)
            .field("version", .int, .required)
            .field("created_by", .string, .required)
            .field("created_at", .int64, .required)
            .create()
        try await database.createIndex("party_brands_org", on: "party_brands", columns: ["org_id"])

        // Party-member service is volunteer service marked so; the brand project it belongs to, when it does.
        try await database.schema("volunteer_activities").field("party_service", .bool).update()
        try await database.schema("volunteer_activities").field("party_brand_id", .uuid).update()
        try await database.createIndex("volunteer_activities_party", on: "volunteer_activities", columns: ["party_service", "starts_at"])
    }

    public func revert(on database: any Database) async throws {
        for t in ["party_brands", "party_centre_duty", "party_centres", "party_group_members", "party_members", "party_orgs"] {
            try await database.schema(t).delete()
        }
    }
}
