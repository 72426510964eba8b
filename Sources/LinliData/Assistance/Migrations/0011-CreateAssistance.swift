import FluentKit
import LinliCore
import SQLKit

/// 社会救助. A case is one application of one kind for one household, from 受理 to its decision and, for the
/// monthly kinds, through its re-checks until it ends. What the application declares (incomes, assets, labour
/// capacity, disability, illness) is one sealed document (`facts_cipher`, the cipher of ID numbers): only the
/// amount, which the 公示 makes public anyway, is kept in the clear. Each case carries its grid, community and
/// street codes so that scope is a prefix and the street's roll one range. Money in whole yuan, days
/// 'YYYY-MM-DD', months 'YYYY-MM', times Unix seconds.
public struct CreateAssistance: AsyncMigration {
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema("assistance_standards")
            .id()
            .field("year", .int, .required)
            .field("area", .string, .required)
            .field("dibao", .int, .required)
            .field("tekun", .int, .required)
            .field("disability_living", .int, .required)
            .field("disability_care", .int, .required)
            .field("floor", .int, .required)
            .field("temporary_cap", .int, .required)
            .field("medical_percent", .int, .required)
            .field("version", .int, .required)
            .field("updated_by", .string, .required)
            .field("updated_at", .int64, .required)
            .unique(on: "year", "area")
            .create()

        // Per kind: who decides (the district, or the street where delegated) and the decision time limit.
        try await database.schema("assistance_settings")
            .field("kind", .string, .identifier(auto: false))
            .field("approval_level", .string, .required)
            .field("decision_days", .int, .required)
            .field("version", .int, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            var insert = sql.insert(into: "assistance_settings").columns("kind", "approval_level", "decision_days", "version")
            for k in AssistanceKind.allCases {
                insert = insert.values(SQLBind(k.rawValue), SQLBind(k.defaultApprovalLevel.rawValue), SQLBind(AssistanceSchedule.defaultDecisionDays), SQLBind(1))
            }
            try await insert.run()
        }

        try await database.schema("assistance_cases")
            .id()
            .field("number", .string, .required)
            .field("kind", .string, .required)
            .field("stage", .string, .required)
            .field("household_id", .uuid, .required, .references("households", "id"))
            .field("applicant_id", .uuid, .required, .references("residents", "id"))
            .field("grid_code", .string, .required)
            .field("community_code", .string, .required)
            .field("street_code", .string, .required)
            .field("area", .string, .required)
            .field("members", .int, .required)
            .field("facts_cipher", .data, .required)
            .field("amount", .int, .required)
            .field("accepted_on", .string, .required)
            .field("due_on", .string, .required)
            .field("decided_on", .string)
            .field("notice_from", .string)
            .field("notice_to", .string)
            .field("approval_level", .string, .required)
            .field("granted_first", .bool, .required)
            .field("first_month", .string)
            .field("next_recheck_on", .string)
            .field("ended_on", .string)
            .field("reason", .string)
            .field("accepted_by", .string, .required)
            .field("version", .int, .required)
            .field("created_at", .int64, .required)
            .field("updated_at", .int64, .required)
            .unique(on: "number")
            .create()
        try await database.createIndex("assistance_cases_grid", on: "assistance_cases", columns: ["grid_code", "stage"])
        try await database.createIndex("assistance_cases_household", on: "assistance_cases", columns: ["household_id", "kind"])
        try await database.createIndex("assistance_cases_stage", on: "assistance_cases", columns: ["stage", "community_code"])
        try await database.createIndex("assistance_cases_street", on: "assistance_cases", columns: ["street_code", "stage"])

        try await database.schema("assistance_members")
            .field("case_id", .uuid, .required, .references("assistance_cases", "id"))
            .field("resident_id", .uuid, .required, .references("residents", "id"))
            .field("relation", .string, .required)
            .unique(on: "case_id", "resident_id")
            .create()
        try await database.createIndex("assistance_members_resident", on: "assistance_members", columns: ["resident_id", "case_id"])

        try await database.schema("assistance_steps")
            .id()
            .field("case_id", .uuid, .required, .references("assistance_cases", "id"))
            .field("action", .string, .required)
            .field("from_stage", .string, .required)
            .field("to_stage", .string, .required)
            .field("actor", .string, .required)
            .field("actor_role", .string, .required)
            .field("at", .int64, .required)
            .field("done_on", .string, .required)
            .field("note", .string)
            // What the step found, as JSON: a check's source and date, the two investigators, the street's opinion …
            .field("detail", .string)
            .create()
        try await database.createIndex("assistance_steps_case", on: "assistance_steps", columns: ["case_id", "at"])

        try await database.schema("assistance_attachments")
            .id()
            .field("case_id", .uuid, .required, .references("assistance_cases", "id"))
            .field("label", .string, .required)
            .field("content_type", .string, .required)
            .field("size", .int, .required)
            .field("sha256", .string, .required)
            .field("uploaded_by", .string, .required)
            .field("created_at", .int64, .required)
            .create()
        try await database.createIndex("assistance_attachments_case", on: "assistance_attachments", columns: ["case_id"])

        try await database.schema("assistance_objections")
            .id()
            .field("case_id", .uuid, .required, .references("assistance_cases", "id"))
            .field("street_code", .string, .required)
            .field("lodged_at", .int64, .required)
            .field("text", .string, .required)
            // Who objected and how to reach them, if they said: sealed.
            .field("contact_cipher", .data)
            .field("status", .string, .required)
            .field("handled_by", .string)
            .field("handled_at", .int64)
            .field("handling_note", .string)
            .create()
        try await database.createIndex("assistance_objections_street", on: "assistance_objections", columns: ["street_code", "status"])
        try await database.createIndex("assistance_objections_case", on: "assistance_objections", columns: ["case_id"])

        try await database.schema("assistance_rechecks")
            .id()
            .field("case_id", .uuid, .required, .references("assistance_cases", "id"))
            .field("due_on", .string, .required)
            .field("done_on", .string, .required)
            .field("outcome", .string, .required)
            .field("old_amount", .int, .required)
            .field("new_amount", .int, .required)
            .field("reason", .string)
            .field("done_by", .string, .required)
            .field("created_at", .int64, .required)
            .create()
        try await database.createIndex("assistance_rechecks_case", on: "assistance_rechecks", columns: ["case_id", "done_on"])

        // A resident's portal account linked to their entry in the registry, so that they see their household's cases.
        try await database.schema("account_residents")
            .field("account_id", .uuid, .identifier(auto: false), .references("accounts", "id"))
            .field("resident_id", .uuid, .required, .references("residents", "id"))
            .field("linked_by", .string, .required)
            .field("linked_at", .int64, .required)
            .create()
    }

    public func revert(on database: any Database) async throws {
        for t in ["account_residents", "assistance_rechecks", "assistance_objections", "assistance_attachments", "assistance_steps", "assistance_members",
                  "assistance_cases", "assistance_settings", "assistance_standards"] {
            try await database.schema(t).delete()
        }
    }
}
