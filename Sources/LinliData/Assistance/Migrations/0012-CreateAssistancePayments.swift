import FluentKit
import SQLKit

/// 救助金发放: a street's monthly roll and its lines. A line is one case's payment for one month (or the one
/// payment of a one-off kind); once its roll is marked paid it never changes, and a correction is a new line
/// (`correction_of`) on a later roll. Money in whole yuan, months 'YYYY-MM', times Unix seconds.
public struct CreateAssistancePayments: AsyncMigration {
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema("assistance_rolls")
            .id()
            .field("street_code", .string, .required)
            .field("month", .string, .required)
            .field("status", .string, .required)
            .field("lines", .int, .required)
            .field("total", .int64, .required)
            .field("generated_by", .string, .required)
            .field("generated_at", .int64, .required)
            .field("checked_by", .string)
            .field("checked_at", .int64)
            .field("paid_by", .string)
            .field("paid_at", .int64)
            .field("version", .int, .required)
            .unique(on: "street_code", "month")
            .create()
        try await database.createIndex("assistance_rolls_month", on: "assistance_rolls", columns: ["month", "street_code"])

        try await database.schema("assistance_payments")
            .id()
            .field("roll_id", .uuid, .required, .references("assistance_rolls", "id"))
            .field("case_id", .uuid, .required, .references("assistance_cases", "id"))
            .field("grid_code", .string, .required)
            .field("community_code", .string, .required)
            .field("street_code", .string, .required)
            .field("kind", .string, .required)
            .field("month", .string, .required)
            .field("amount", .int, .required)
            .field("status", .string, .required)
            .field("correction_of", .uuid, .references("assistance_payments", "id"))
            .field("note", .string)
            .field("created_at", .int64, .required)
            .create()
        try await database.createIndex("assistance_payments_roll", on: "assistance_payments", columns: ["roll_id", "community_code"])
        try await database.createIndex("assistance_payments_case", on: "assistance_payments", columns: ["case_id", "month"])
        // The year's total paid, grid by grid (the indicator).
        try await database.createIndex("assistance_payments_year", on: "assistance_payments", columns: ["status", "month", "grid_code"])
    }

    public func revert(on database: any Database) async throws {
        try await database.schema("assistance_payments").delete()
        try await database.schema("assistance_rolls").delete()
    }
}
