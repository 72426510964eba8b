import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 四个公开与财务公开. `disclosure_notices` the communities' notices of the four kinds (a withdrawal sets the
/// status and keeps who, when and why; `disclosure_notice_history` keeps the text as it was at each change).
/// `disclosure_ledger_entries` each community's income and expense entries in fen, signed by direction only in
/// the statements; a reversing entry (冲正) points at the entry it reverses (`reverses_id`) and carries the
/// same amount. `disclosure_statements` one statement per community and quarter — the unique key is what keeps
/// two publications of the same quarter from making two statements. Days 'YYYY-MM-DD', times Unix seconds.
public struct CreateDisclosure: AsyncMigration {
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema("disclosure_notices")
            .id()
            .field("community_code", .string, .required)
            .field("kind", .string, .required)
            .field("title", .string, .required)
            .field("body", .string, .required)
            .field("publish_on", .string, .required)
            .field("end_on", .string)
            .field("minimum_days", .int, .required)
            .field("status", .string, .required)
            // Set on the 财务 notice a quarterly statement publishes.
            .field("statement_id", .uuid)
            .field("version", .int, .required)
            .field("created_by", .string, .required)
            .field("created_at", .int64, .required)
            .field("withdrawn_by", .string)
            .field("withdrawn_at", .int64)
            .field("withdrawn_reason", .string)
            .create()
        try await database.createIndex("disclosure_notices_community", on: "disclosure_notices", columns: ["community_code", "publish_on"])
        try await database.createIndex("disclosure_notices_day", on: "disclosure_notices", columns: ["publish_on", "community_code"])

        try await database.schema("disclosure_notice_history")
            .id()
            .field("notice_id", .uuid, .required, .references("disclosure_notices", "id"))
            .field("action", .string, .required)
            .field("title", .string, .required)
            .field("body", .string, .required)
            .field("reason", .string)
            .field("by_user", .string, .required)
            .field("at", .int64, .required)
            .create()
        try await database.createIndex("disclosure_notice_history_notice", on: "disclosure_notice_history", columns: ["notice_id", "at"])

        // Files attached to a notice (images or PDF, as the assistance capability keeps its scans): in the data
        // folder under names the platform chooses; here what they are.
        try await database.schema("disclosure_attachments")
            .id()
            .field("notice_id", .uuid, .required, .references("disclosure_notices", "id"))
            .field("label", .string, .required)
            .field("content_type", .string, .required)
            .field("size", .int, .required)
            .field("sha256", .string, .required)
            .field("uploaded_by", .string, .required)
            .field("created_at", .int64, .required)
            .create()
        try await database.createIndex("disclosure_attachments_notice", on: "disclosure_attachments", columns: ["notice_id"])

        try await database.schema("disclosure_statements")
            .id()
            .field("community_code", .string, .required)
            .field("quarter", .string, .required)
            .field("opening_fen", .int64, .required)
            .field("income_fen", .int64, .required)
            .field("expense_fen", .int64, .required)
            .field("closing_fen", .int64, .required)
            // The lines (subject, direction, amount) as JSON: a statement is never recomputed once published.
            .field("lines", .string, .required)
            .field("entries", .int, .required)
            .field("notice_id", .uuid, .required)
            .field("published_on", .string, .required)
            .field("published_by", .string, .required)
            .field("created_at", .int64, .required)
            .unique(on: "community_code", "quarter")
            .create()
        try await database.createIndex("disclosure_statements_quarter", on: "disclosure_statements", columns: ["quarter", "community_code"])

        try await database.schema("disclosure_ledger_entries")
            .id()
            .field("community_code", .string, .required)
            .field("quarter", .string, .required)
            .field("direction", .string, .required)
            .field("on_date", .string, .required)
            .field("subject", .string, .required)
            .field("counterpart", .string, .required)
            .field("amount_fen", .int64, .required)
            .field("voucher_no", .string, .required)
            .field("status", .string, .required)
            .field("reverses_id", .uuid)
            .field("reversed_by_id", .uuid)
            .field("statement_id", .uuid)
            .field("version", .int, .required)
            .field("recorded_by", .string, .required)
            .field("created_at", .int64, .required)
            .field("approved_by", .string)
            .field("approved_at", .int64)
            .unique(on: "community_code", "voucher_no")
            .create()
        try await database.createIndex("disclosure_ledger_quarter", on: "disclosure_ledger_entries", columns: ["community_code", "quarter", "status"])
        try await database.createIndex("disclosure_ledger_status", on: "disclosure_ledger_entries", columns: ["status", "community_code"])
    }

    public func revert(on database: any Database) async throws {
        for t in ["disclosure_ledger_entries", "disclosure_statements", "disclosure_attachments", "disclosure_notice_history", "disclosure_notices"] {
            try await database.schema(t).delete()
        }
    }
}
