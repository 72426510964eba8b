import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 一表通. `report_forms` a department's form under an admitted 数据报表 task: its fields (JSON, the department's
/// columns in order), reference and due dates; an edit after a community has started its return makes a new
/// row of the same series (`series_id`, `version_no`) and the old one `superseded`. `report_form_communities`
/// the communities it goes to (the task's, when published). `report_returns` a community's return: its answers
/// (JSON, one per field; automatic ones frozen when submitted), its state and the department's comment when
/// sent back. `report_settings` the district's settings (`minutes_per_field`). Days 'YYYY-MM-DD', times Unix seconds.
public struct CreateReports: AsyncMigration {
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema("report_forms")
            .id()
            .field("series_id", .uuid, .required)
            .field("version_no", .int, .required)
            .field("task_id", .uuid, .required)
            .field("department_code", .string, .required)
            .field("title", .string, .required)
            .field("reference_date", .string, .required)
            .field("due_date", .string, .required)
            .field("fields", .string, .required)
            .field("field_count", .int, .required)
            .field("automatic_count", .int, .required)
            // current | superseded
            .field("status", .string, .required)
            .field("version", .int, .required)
            .field("created_by", .string, .required)
            .field("created_at", .int64, .required)
            .create()
        try await database.createIndex("report_forms_department", on: "report_forms", columns: ["department_code", "status", "due_date"])
        try await database.createIndex("report_forms_series", on: "report_forms", columns: ["series_id", "version_no"])

        try await database.schema("report_form_communities")
            .field("form_id", .uuid, .required, .references("report_forms", "id"))
            .field("community_code", .string, .required)
            .unique(on: "form_id", "community_code")
            .create()
        try await database.createIndex("report_form_communities_community", on: "report_form_communities", columns: ["community_code", "form_id"])

        try await database.schema("report_returns")
            .id()
            .field("form_id", .uuid, .required, .references("report_forms", "id"))
            .field("community_code", .string, .required)
            .field("status", .string, .required)
            .field("answers", .string, .required)
            .field("automatic_fields", .int, .required)
            .field("comment", .string)
            .field("version", .int, .required)
            .field("updated_by", .string, .required)
            .field("updated_at", .int64, .required)
            .field("submitted_by", .string)
            .field("submitted_at", .int64)
            .unique(on: "form_id", "community_code")
            .create()
        try await database.createIndex("report_returns_community", on: "report_returns", columns: ["community_code", "status"])

        try await database.schema("report_settings")
            .field("key", .string, .identifier(auto: false))
            .field("value", .int, .required)
            .field("version", .int, .required)
            .field("updated_by", .string, .required)
            .field("updated_at", .int64, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.insert(into: "report_settings").columns("key", "value", "version", "updated_by", "updated_at")
                .values(SQLBind("minutes_per_field"), SQLBind(3), SQLBind(1), SQLBind("(default)"), SQLBind(0)).run()
        }
    }

    public func revert(on database: any Database) async throws {
        for t in ["report_settings", "report_returns", "report_form_communities", "report_forms"] {
            try await database.schema(t).delete()
        }
    }
}
