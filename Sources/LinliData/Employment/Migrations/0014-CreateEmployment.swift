import FluentKit
import LinliCore
import SQLKit

/// 就业援助. A registration (失业登记) is one spell of unemployment of one resident, open until its exit; at most
/// one is open per resident (a partial unique index, so two registrations at once cannot both pass). Contacts
/// and referrals hang from it; `last_contact_on` is kept in the same transaction so that 动态管理's "no contact
/// in 30 days" is one indexed range. Public-welfare posts (公益性岗位) and placements into them: `until_on` is the
/// day a placement stops holding its place (its planned end, or the day it ended early). Each row carries its
/// grid, community and street codes, so that scope is a prefix and a street's roll one range. Days
/// 'YYYY-MM-DD', money whole yuan, times Unix seconds.
public struct CreateEmployment: AsyncMigration {
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema("employment_registrations")
            .id()
            .field("resident_id", .uuid, .required, .references("residents", "id"))
            .field("household_id", .uuid, .required)
            .field("grid_code", .string, .required)
            .field("community_code", .string, .required)
            .field("street_code", .string, .required)
            .field("registered_on", .string, .required)
            .field("reason", .string, .required)
            .field("last_job", .string)
            .field("skills", .string)
            .field("wishes", .string)
            .field("designated", .bool, .required)
            .field("categories", .string, .required)
            .field("category_note", .string)
            .field("designated_on", .string)
            .field("status", .string, .required)
            .field("last_contact_on", .string, .required)
            .field("exit_reason", .string)
            .field("exit_on", .string)
            .field("exit_employer", .string)
            .field("exit_note", .string)
            .field("exit_days", .int)
            .field("registered_by", .string, .required)
            .field("version", .int, .required)
            .field("created_at", .int64, .required)
            .field("updated_at", .int64, .required)
            .create()
        try await database.createIndex("employment_registrations_grid", on: "employment_registrations", columns: ["grid_code", "status", "last_contact_on"])
        try await database.createIndex("employment_registrations_resident", on: "employment_registrations", columns: ["resident_id", "status"])
        try await database.createIndex("employment_registrations_household", on: "employment_registrations", columns: ["household_id", "status"])
        if let sql = database as? any SQLDatabase {
            try await sql.raw("CREATE UNIQUE INDEX employment_registrations_one_open ON employment_registrations (resident_id) WHERE status = 'open'").run()
        }

        try await database.schema("employment_contacts")
            .id()
            .field("registration_id", .uuid, .required, .references("employment_registrations", "id"))
            .field("contacted_on", .string, .required)
            .field("way", .string, .required)
            .field("content", .string, .required)
            .field("recorded_by", .string, .required)
            .field("created_at", .int64, .required)
            .create()
        try await database.createIndex("employment_contacts_registration", on: "employment_contacts", columns: ["registration_id", "contacted_on"])

        try await database.schema("employment_referrals")
            .id()
            .field("registration_id", .uuid, .required, .references("employment_registrations", "id"))
            .field("referred_on", .string, .required)
            .field("employer", .string, .required)
            .field("post", .string, .required)
            .field("result", .string, .required)
            .field("recorded_by", .string, .required)
            .field("created_at", .int64, .required)
            .create()
        try await database.createIndex("employment_referrals_registration", on: "employment_referrals", columns: ["registration_id", "referred_on"])

        try await database.schema("employment_posts")
            .id()
            .field("title", .string, .required)
            .field("employer", .string, .required)
            .field("community_code", .string, .required)
            .field("street_code", .string, .required)
            .field("hours_per_week", .int, .required)
            .field("monthly_allowance", .int, .required)
            .field("places", .int, .required)
            .field("created_by", .string, .required)
            .field("version", .int, .required)
            .field("created_at", .int64, .required)
            .create()
        try await database.createIndex("employment_posts_community", on: "employment_posts", columns: ["community_code"])

        try await database.schema("employment_placements")
            .id()
            .field("post_id", .uuid, .required, .references("employment_posts", "id"))
            .field("registration_id", .uuid, .required, .references("employment_registrations", "id"))
            .field("resident_id", .uuid, .required, .references("residents", "id"))
            .field("grid_code", .string, .required)
            .field("street_code", .string, .required)
            .field("start_on", .string, .required)
            .field("end_on", .string, .required)
            .field("until_on", .string, .required)
            .field("ended_reason", .string)
            .field("monthly_allowance", .int, .required)
            .field("placed_by", .string, .required)
            .field("version", .int, .required)
            .field("created_at", .int64, .required)
            .create()
        try await database.createIndex("employment_placements_post", on: "employment_placements", columns: ["post_id", "until_on"])
        try await database.createIndex("employment_placements_resident", on: "employment_placements", columns: ["resident_id", "until_on"])
        try await database.createIndex("employment_placements_street", on: "employment_placements", columns: ["street_code", "until_on"])
        try await database.createIndex("employment_placements_grid", on: "employment_placements", columns: ["grid_code", "until_on"])

        try await database.schema("employment_settings")
            .field("key", .string, .identifier(auto: false))
            .field("value", .int, .required)
            .field("version", .int, .required)
            .field("updated_by", .string, .required)
            .field("updated_at", .int64, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.insert(into: "employment_settings").columns("key", "value", "version", "updated_by", "updated_at")
                .values(SQLBind("placement_term_months"), SQLBind(EmploymentRules.defaultTermMonths), SQLBind(1), SQLBind("(default)"), SQLBind(0)).run()
        }
    }

    public func revert(on database: any Database) async throws {
        for t in ["employment_settings", "employment_placements", "employment_posts", "employment_referrals", "employment_contacts", "employment_registrations"] {
            try await database.schema(t).delete()
        }
    }
}
