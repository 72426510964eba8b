import FluentKit
import SQLKit

/// 居家养老. The roll itself is not stored: an elder is an active resident aged 60 or more (decision 0007).
/// Stored are the care-specific rows, each with the elder's grid code so that scope is one prefix range:
/// assessments (item scores encrypted), the current state of each elder (`care_status`: level, next due
/// date, last visit, whether a plan exists — kept in the same transaction as every care write), plans,
/// service records, emergency calls and facilities. Times are Unix seconds, days 'YYYY-MM-DD'.
public struct CreateCare: AsyncMigration {
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema("care_assessments")
            .id()
            .field("resident_id", .uuid, .required, .references("residents", "id"))
            .field("grid_code", .string, .required)
            .field("assessed_on", .string, .required)
            // The ten Barthel item scores, sealed with the cipher of ID numbers: sensitive personal data.
            .field("scores_cipher", .data, .required)
            .field("total", .int, .required)
            .field("level", .string, .required)
            .field("assessor", .string, .required)
            .field("next_due", .string, .required)
            .field("note", .string)
            .field("created_at", .int64, .required)
            .create()
        try await database.createIndex("care_assessments_resident", on: "care_assessments", columns: ["resident_id", "assessed_on"])

        try await database.schema("care_status")
            .field("resident_id", .uuid, .identifier(auto: false), .references("residents", "id"))
            .field("grid_code", .string, .required)
            .field("level", .string)
            .field("total", .int)
            .field("assessed_on", .string)
            .field("next_due", .string)
            .field("last_visit_on", .string)
            .field("has_plan", .bool, .required)
            .create()
        try await database.createIndex("care_status_grid", on: "care_status", columns: ["grid_code"])
        // The roll counted grid by grid from indexes alone: the residents of each grid with their birth date
        // and id in grid order, and each elder's state looked up without reading the table (decision 0007).
        try await database.createIndex("residents_roll", on: "residents", columns: ["life_status", "grid_code", "birth_date", "id"])
        try await database.createIndex("care_status_counts", on: "care_status",
                                       columns: ["resident_id", "level", "has_plan", "last_visit_on", "next_due"])

        try await database.schema("care_plans")
            .id()
            .field("resident_id", .uuid, .required, .references("residents", "id"))
            .field("grid_code", .string, .required)
            // [{service, frequency, provider_kind, provider_name}] as JSON.
            .field("services", .string, .required)
            .field("starts_on", .string, .required)
            .field("ends_on", .string)
            .field("note", .string)
            .field("version", .int, .required)
            .field("updated_at", .int64, .required)
            .unique(on: "resident_id")
            .create()

        try await database.schema("care_records")
            .id()
            .field("resident_id", .uuid, .required, .references("residents", "id"))
            .field("grid_code", .string, .required)
            .field("service", .string, .required)
            .field("provided_at", .int64, .required)
            .field("provided_on", .string, .required)
            .field("duration_minutes", .int, .required)
            .field("provider_kind", .string, .required)
            .field("provider_name", .string, .required)
            .field("feedback", .string)
            .field("satisfaction", .int)
            .field("recorded_by", .string, .required)
            .field("created_at", .int64, .required)
            .create()
        try await database.createIndex("care_records_resident", on: "care_records", columns: ["resident_id", "provided_at"])
        try await database.createIndex("care_records_grid", on: "care_records", columns: ["grid_code", "provided_at"])

        try await database.schema("care_calls")
            .id()
            .field("resident_id", .uuid, .required, .references("residents", "id"))
            .field("grid_code", .string, .required)
            .field("status", .string, .required)
            .field("received_at", .int64, .required)
            .field("assigned_to", .string)
            .field("assigned_at", .int64)
            .field("responded_at", .int64)
            .field("closed_at", .int64)
            .field("note", .string)
            .field("version", .int, .required)
            .create()
        try await database.createIndex("care_calls_grid", on: "care_calls", columns: ["grid_code", "received_at"])
        try await database.createIndex("care_calls_resident", on: "care_calls", columns: ["resident_id", "received_at"])

        try await database.schema("care_facilities")
            .id()
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("community_code", .string, .required)
            .field("address", .string)
            .field("floor_area", .double, .required)
            .field("beds", .int, .required)
            .field("nursing_beds", .int, .required)
            .field("setting", .string, .required)
            .field("version", .int, .required)
            .create()
        try await database.createIndex("care_facilities_community", on: "care_facilities", columns: ["community_code"])
    }

    public func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase { try await sql.drop(index: "residents_roll").run() }
        for t in ["care_facilities", "care_calls", "care_records", "care_plans", "care_status", "care_assessments"] {
            try await database.schema(t).delete()
        }
    }
}
