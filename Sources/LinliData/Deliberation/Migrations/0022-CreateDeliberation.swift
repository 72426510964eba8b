import FluentKit
import Foundation
import SQLKit

/// 民主协商与网上议事. Meetings of a community (`community_code`, 12 digits) with their linked participants,
/// resolutions (each with an owner and a due date, done by a follow-up) and the follow-ups; proposals of 网上议事
/// with their supports (one per resident: the unique key) and comments. `supports` and `comments` on the proposal
/// row are changed in the transaction that writes the support or the comment, so the lists read no counts.
/// Days 'YYYY-MM-DD', times Unix seconds.
public struct CreateDeliberation: AsyncMigration {
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema("deliberation_meetings")
            .id()
            .field("community_code", .string, .required)
            .field("kind", .string, .required)
            .field("title", .string, .required)
            .field("agenda", .string, .required)
            .field("held_on", .string, .required)
            .field("place", .string, .required)
            // Linked residents plus the others who came, so the portal can show a count without reading names.
            .field("residents", .int, .required)
            .field("other_residents", .int, .required)
            .field("units", .string, .required)
            .field("officials", .string, .required)
            .field("minutes", .string)
            .field("resolutions", .int, .required)
            .field("version", .int, .required)
            .field("recorded_by", .string, .required)
            .field("created_at", .int64, .required)
            .field("updated_at", .int64, .required)
            .create()
        try await database.createIndex("deliberation_meetings_community", on: "deliberation_meetings", columns: ["community_code", "held_on"])
        try await database.createIndex("deliberation_meetings_day", on: "deliberation_meetings", columns: ["held_on"])

        try await database.schema("deliberation_participants")
            .field("meeting_id", .uuid, .required, .references("deliberation_meetings", "id"))
            .field("resident_id", .uuid, .required, .references("residents", "id"))
            .unique(on: "meeting_id", "resident_id")
            .create()

        try await database.schema("deliberation_resolutions")
            .id()
            .field("meeting_id", .uuid, .required, .references("deliberation_meetings", "id"))
            .field("community_code", .string, .required)
            .field("held_on", .string, .required)
            .field("text", .string, .required)
            .field("owner", .string, .required)
            .field("due_on", .string, .required)
            .field("state", .string, .required)
            .field("done_on", .string)
            // The request of the requests capability it turned into (its number), if any.
            .field("request_number", .string)
            .field("version", .int, .required)
            .field("created_at", .int64, .required)
            .create()
        try await database.createIndex("deliberation_resolutions_meeting", on: "deliberation_resolutions", columns: ["meeting_id"])
        try await database.createIndex("deliberation_resolutions_due", on: "deliberation_resolutions", columns: ["community_code", "state", "due_on"])

        try await database.schema("deliberation_followups")
            .id()
            .field("resolution_id", .uuid, .required, .references("deliberation_resolutions", "id"))
            .field("on_date", .string, .required)
            .field("note", .string, .required)
            .field("done", .bool, .required)
            .field("recorded_by", .string, .required)
            .field("created_at", .int64, .required)
            .create()
        try await database.createIndex("deliberation_followups_resolution", on: "deliberation_followups", columns: ["resolution_id", "created_at"])

        try await database.schema("consultation_proposals")
            .id()
            .field("community_code", .string, .required)
            .field("title", .string, .required)
            .field("what", .string, .required)
            .field("why", .string, .required)
            .field("cost", .int64)
            .field("deadline", .string, .required)
            .field("published_on", .string, .required)
            .field("state", .string, .required)
            .field("decision", .string)
            .field("response", .string)
            .field("supports", .int, .required)
            .field("comments", .int, .required)
            .field("version", .int, .required)
            .field("created_by", .string, .required)
            .field("created_at", .int64, .required)
            .field("closed_at", .int64)
            .create()
        try await database.createIndex("consultation_proposals_community", on: "consultation_proposals", columns: ["community_code", "published_on"])
        try await database.createIndex("consultation_proposals_day", on: "consultation_proposals", columns: ["published_on"])

        try await database.schema("consultation_supports")
            .field("proposal_id", .uuid, .required, .references("consultation_proposals", "id"))
            .field("resident_id", .uuid, .required, .references("residents", "id"))
            .field("created_at", .int64, .required)
            .unique(on: "proposal_id", "resident_id")
            .create()

        try await database.schema("consultation_comments")
            .id()
            .field("proposal_id", .uuid, .required, .references("consultation_proposals", "id"))
            .field("resident_id", .uuid, .required, .references("residents", "id"))
            // The author's name masked when written: the portal never needs the name itself.
            .field("author", .string, .required)
            .field("body", .string, .required)
            .field("hidden", .bool, .required)
            .field("hide_reason", .string)
            .field("hidden_by", .string)
            .field("created_at", .int64, .required)
            .create()
        try await database.createIndex("consultation_comments_proposal", on: "consultation_comments", columns: ["proposal_id", "created_at"])
    }

    public func revert(on database: any Database) async throws {
        for t in ["consultation_comments", "consultation_supports", "consultation_proposals", "deliberation_followups", "deliberation_resolutions",
                  "deliberation_participants", "deliberation_meetings"] { try await database.schema(t).delete() }
    }
}
