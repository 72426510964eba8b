import FluentKit
import SQLKit

/// 居家养老, second step: a care plan of a resident under 60 records why they are in care (`under_60_reason`,
/// 未满60周岁纳入原因: 失能、残疾、特殊困难…), and service records are found by provider and time, so that a
/// provider's overlapping records can be refused (`care_records_provider`).
public struct UpdateCareAddUnder60ReasonAndProviderIndex: AsyncMigration {
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema("care_plans").field("under_60_reason", .string).update()
        try await database.createIndex("care_records_provider", on: "care_records", columns: ["provider_name", "provided_at"])
    }

    public func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase { try await sql.drop(index: "care_records_provider").run() }
        try await database.schema("care_plans").deleteField("under_60_reason").update()
    }
}
