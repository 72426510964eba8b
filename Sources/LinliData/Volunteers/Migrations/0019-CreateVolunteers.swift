import FluentKit
import SQLKit

/// 志愿者. A volunteer is a registry resident (`resident_id` unique: no second copy of the person), in the
/// community of their grid; `minutes` is their verified service so far, kept in the write transaction of every
/// verification and correction, so lists and stars read it without summing the entries. Hours are rows of
/// `volunteer_hours` (a verification, or a correction: a new row with the change and its reason, never an update).
/// A sign-up to an activity takes a place with a conditional UPDATE of `volunteer_activities.taken`.
/// `organization_id` and `project_id` name the 社会组织 and its purchased-service project (migration 18). `volunteer_monthly`
/// holds each community's figures by month, written with the records. The portal's account links use
/// `account_residents` (migration 11). Days 'YYYY-MM-DD', times Unix seconds, hours in minutes.
public struct CreateVolunteers: AsyncMigration {
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema("volunteers")
            .id()
            .field("resident_id", .uuid, .required, .references("residents", "id"))
            .field("community_code", .string, .required)
            .field("state", .string, .required)
            .field("skills", .string, .required)
            .field("skill_note", .string)
            .field("service_areas", .string, .required)
            .field("availability", .string, .required)
            .field("registered_on", .string, .required)
            .field("confirmed_on", .string)
            .field("signed_on", .string)
            .field("terms_version", .string)
            .field("signature", .string)
            .field("guardian_name", .string)
            .field("guardian_relation", .string)
            .field("guardian_consent_on", .string)
            .field("withdrawn_on", .string)
            .field("minutes", .int, .required)
            .field("last_served_on", .string)
            .field("registered_via", .string, .required)
            .field("version", .int, .required)
            .field("created_by", .string, .required)
            .field("created_at", .int64, .required)
            .field("updated_at", .int64, .required)
            .unique(on: "resident_id")
            .create()
        // The roll's order (community, registration) and the same within a state, so a page of the district reads 30 index entries.
        try await database.createIndex("volunteers_community", on: "volunteers", columns: ["community_code", "registered_on", "id"])
        try await database.createIndex("volunteers_state", on: "volunteers", columns: ["community_code", "state", "registered_on", "id"])
        // Signed volunteers with no service since a day (绩效), counted from the index alone.
        try await database.createIndex("volunteers_served", on: "volunteers", columns: ["community_code", "state", "last_served_on"])
        try await database.createIndex("volunteers_minutes", on: "volunteers", columns: ["community_code", "minutes"])

        try await database.schema("volunteer_teams")
            .id()
            .field("community_code", .string, .required)
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("skill", .string)
            // The 社会组织 (migration 18) whose team it is.
            .field("organization_id", .uuid, .references("organizations", "id"))
            .field("leader_id", .uuid, .references("volunteers", "id"))
            .field("members", .int, .required)
            .field("minutes", .int, .required)
            .field("version", .int, .required)
            .field("created_by", .string, .required)
            .field("created_at", .int64, .required)
            .unique(on: "community_code", "name")
            .create()
        try await database.createIndex("volunteer_teams_minutes", on: "volunteer_teams", columns: ["community_code", "minutes"])

        try await database.schema("volunteer_team_members")
            .field("team_id", .uuid, .required, .references("volunteer_teams", "id"))
            .field("volunteer_id", .uuid, .required, .references("volunteers", "id"))
            .field("joined_on", .string, .required)
            .unique(on: "team_id", "volunteer_id")
            .create()
        try await database.createIndex("volunteer_team_members_volunteer", on: "volunteer_team_members", columns: ["volunteer_id"])

        try await database.schema("volunteer_activities")
            .id()
            .field("community_code", .string, .required)
            .field("team_id", .uuid, .references("volunteer_teams", "id"))
            .field("organization_id", .uuid, .references("organizations", "id"))
            .field("project_id", .uuid, .references("organization_projects", "id"))
            .field("title", .string, .required)
            .field("place", .string, .required)
            .field("detail", .string)
            .field("skills", .string, .required)
            .field("starts_at", .int64, .required)
            .field("ends_at", .int64, .required)
            .field("places", .int, .required)
            .field("taken", .int, .required)
            .field("code", .string, .required)
            // 取消: the day an activity was called off before it started, and why.
            .field("cancelled_on", .string)
            .field("cancel_reason", .string)
            .field("created_by", .string, .required)
            .field("created_at", .int64, .required)
            .create()
        try await database.createIndex("volunteer_activities_community", on: "volunteer_activities", columns: ["community_code", "starts_at"])
        try await database.createIndex("volunteer_activities_starts", on: "volunteer_activities", columns: ["starts_at"])
        // A purchased-service project's page lists its activities.
        try await database.createIndex("volunteer_activities_project", on: "volunteer_activities", columns: ["project_id", "starts_at"])

        try await database.schema("volunteer_signups")
            .id()
            .field("activity_id", .uuid, .required, .references("volunteer_activities", "id"))
            .field("volunteer_id", .uuid, .required, .references("volunteers", "id"))
            .field("via", .string, .required)
            .field("signed_up_at", .int64, .required)
            .field("check_in_at", .int64)
            .field("check_out_at", .int64)
            .field("proposed_minutes", .int)
            .field("verified_minutes", .int)
            .field("verified_at", .int64)
            .field("verified_by", .string)
            .unique(on: "activity_id", "volunteer_id")
            .create()
        try await database.createIndex("volunteer_signups_volunteer", on: "volunteer_signups", columns: ["volunteer_id", "signed_up_at"])

        try await database.schema("volunteer_hours")
            .id()
            .field("volunteer_id", .uuid, .required, .references("volunteers", "id"))
            .field("community_code", .string, .required)
            .field("signup_id", .uuid, .references("volunteer_signups", "id"))
            .field("activity_id", .uuid, .references("volunteer_activities", "id"))
            .field("team_id", .uuid)
            .field("kind", .string, .required)
            .field("minutes", .int, .required)
            .field("reason", .string)
            .field("served_on", .string, .required)
            .field("recorded_by", .string, .required)
            .field("created_at", .int64, .required)
            .create()
        try await database.createIndex("volunteer_hours_volunteer", on: "volunteer_hours", columns: ["volunteer_id", "served_on"])
        try await database.createIndex("volunteer_hours_community", on: "volunteer_hours", columns: ["community_code", "served_on"])

        try await database.schema("volunteer_certificates")
            .field("code", .string, .identifier(auto: false))
            .field("volunteer_id", .uuid, .required, .references("volunteers", "id"))
            .field("name_masked", .string, .required)
            .field("community_name", .string, .required)
            // "2025=1230;2026=340": minutes by year as issued.
            .field("minutes_by_year", .string, .required)
            .field("minutes", .int, .required)
            .field("issued_on", .string, .required)
            .field("issued_by", .string, .required)
            .field("created_at", .int64, .required)
            .create()

        try await database.schema("volunteer_monthly")
            .field("community_code", .string, .required)
            .field("month", .string, .required)
            .field("registrations", .int, .required)
            .field("activities", .int, .required)
            .field("minutes", .int, .required)
            .unique(on: "community_code", "month")
            .create()
    }

    public func revert(on database: any Database) async throws {
        for t in ["volunteer_monthly", "volunteer_certificates", "volunteer_hours", "volunteer_signups", "volunteer_activities",
                  "volunteer_team_members", "volunteer_teams", "volunteers"] {
            try await database.schema(t).delete()
        }
    }
}
