import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 换届选举. An election per community and term (`community_code`, the 12-digit code); its roll drawn from the
/// registry with one INSERT … SELECT and corrected row by row (`basis`: registry, application, excluded — an
/// excluded person stays on the record with the decision); `roll_count` is kept in the transactions that change
/// the roll, so no page counts it. Candidates with the round they stand in; ballot boxes per round with the two
/// entries of their count (JSON) and whether they agree; proxies; the elected members with their terms; the
/// objections lodged on the portal. Days 'YYYY-MM-DD', times Unix seconds.
public struct CreateElections: AsyncMigration {
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema("elections")
            .id()
            .field("community_code", .string, .required)
            .field("committee_kind", .string, .required)
            .field("method", .string, .required)
            .field("seats", .int, .required)
            .field("vice_chairs", .int, .required)
            // The election committee's members, names joined by '、' (officials acting publicly, not residents' data).
            .field("committee", .string, .required)
            .field("roll_published_on", .string, .required)
            .field("roll_frozen_on", .string, .required)
            .field("candidates_published_on", .string, .required)
            .field("election_day", .string, .required)
            .field("status", .string, .required)
            .field("round", .int, .required)
            .field("roll_count", .int, .required)
            // Votes cast at the first ballot (nil until it is counted), whether it filled every seat, members elected.
            .field("first_cast", .int)
            .field("first_ballot", .bool)
            .field("elected", .int, .required)
            .field("term_start", .string)
            .field("term_end", .string)
            .field("version", .int, .required)
            .field("created_by", .string, .required)
            .field("created_at", .int64, .required)
            .field("updated_at", .int64, .required)
            .create()
        try await database.createIndex("elections_community", on: "elections", columns: ["community_code", "election_day"])

        try await database.schema("election_voters")
            .field("election_id", .uuid, .required, .references("elections", "id"))
            .field("resident_id", .uuid, .required, .references("residents", "id"))
            .field("grid_code", .string, .required)
            .field("name", .string, .required)
            .field("name_initials", .string, .required)
            .field("birth_date", .string, .required)
            .field("basis", .string, .required)
            // The application or the decision that excludes the person.
            .field("decision", .string)
            .field("recorded_by", .string, .required)
            .field("recorded_at", .int64, .required)
            .unique(on: "election_id", "resident_id")
            .create()
        try await database.createIndex("election_voters_list", on: "election_voters", columns: ["election_id", "name_initials", "resident_id"])

        try await database.schema("election_candidates")
            .field("election_id", .uuid, .required, .references("elections", "id"))
            .field("resident_id", .uuid, .required, .references("residents", "id"))
            .field("name", .string, .required)
            .field("post", .string, .required)
            .field("formal", .bool, .required)
            // The latest round the candidate stands in (1, then 2 … for a further round).
            .field("round", .int, .required)
            .field("recorded_by", .string, .required)
            .field("recorded_at", .int64, .required)
            .unique(on: "election_id", "resident_id")
            .create()

        try await database.schema("election_boxes")
            .id()
            .field("election_id", .uuid, .required, .references("elections", "id"))
            .field("round", .int, .required)
            .field("kind", .string, .required)
            .field("label", .string, .required)
            .field("first_entry", .string)
            .field("first_by", .string)
            .field("second_entry", .string)
            .field("second_by", .string)
            // The fields in which the two entries differ, joined by ','; empty when they agree.
            .field("differences", .string)
            .field("confirmed", .bool, .required)
            .field("version", .int, .required)
            .field("updated_at", .int64, .required)
            .create()
        try await database.createIndex("election_boxes_round", on: "election_boxes", columns: ["election_id", "round"])

        try await database.schema("election_proxies")
            .field("election_id", .uuid, .required, .references("elections", "id"))
            .field("grantor_id", .uuid, .required)
            .field("holder_id", .uuid, .required)
            .field("recorded_by", .string, .required)
            .field("recorded_at", .int64, .required)
            .unique(on: "election_id", "grantor_id")
            .create()
        try await database.createIndex("election_proxies_holder", on: "election_proxies", columns: ["election_id", "holder_id"])

        try await database.schema("election_members")
            .field("election_id", .uuid, .required, .references("elections", "id"))
            .field("resident_id", .uuid, .required)
            .field("name", .string, .required)
            .field("post", .string, .required)
            .field("round", .int, .required)
            .field("votes", .int, .required)
            .field("term_start", .string, .required)
            .field("term_end", .string, .required)
            .unique(on: "election_id", "resident_id")
            .create()

        try await database.schema("election_objections")
            .id()
            .field("election_id", .uuid, .required, .references("elections", "id"))
            .field("name", .string, .required)
            // Sealed with the personal-data cipher (on `KeyRotation.tables`).
            .field("contact_cipher", .data, .required)
            .field("body", .string, .required)
            .field("answer", .string)
            .field("answered_by", .string)
            .field("created_at", .int64, .required)
            .field("answered_at", .int64)
            .create()
        try await database.createIndex("election_objections_election", on: "election_objections", columns: ["election_id", "created_at"])
    }

    public func revert(on database: any Database) async throws {
        for t in ["election_objections", "election_members", "election_proxies", "election_boxes", "election_candidates", "election_voters", "elections"] {
            try await database.schema(t).delete()
        }
    }
}
