import FluentKit
import SQLKit

/// 助残康复. One card (残疾人证) per resident: category and grade in the clear (the roll is filtered and counted by
/// them), its number sealed with the cipher of ID numbers beside a blind index and a masked form. The card keeps
/// the date of its latest assessment and the last day of its latest rehabilitation service, written with them, so
/// that the overdue list and the counts are index ranges, never a scan of the district. Assessments, services
/// and devices hang off the card. Days 'YYYY-MM-DD', times Unix seconds.
public struct CreateDisability: AsyncMigration {
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema("disability_cards")
            .id()
            .field("resident_id", .uuid, .required, .references("residents", "id"))
            .field("grid_code", .string, .required)
            .field("category", .string, .required)
            .field("grade", .int, .required)
            .field("number_cipher", .data, .required)
            .field("number_index", .string, .required)
            .field("number_masked", .string, .required)
            .field("issued_on", .string, .required)
            .field("valid_until", .string)
            .field("registered_on", .string, .required)
            .field("status", .string, .required)
            .field("ended_on", .string)
            .field("end_reason", .string)
            .field("last_assessed_on", .string)
            // The last day of the latest service; '9999-12-31' while one is open.
            .field("rehab_until", .string)
            .field("version", .int, .required)
            .field("updated_by", .string, .required)
            .field("created_at", .int64, .required)
            .field("updated_at", .int64, .required)
            .unique(on: "resident_id")
            .create()
        if let sql = database as? any SQLDatabase {
            // The roll in its order (grid, newest registration first): a page is read from the index and stops after it.
            try await sql.raw("CREATE INDEX disability_cards_roll ON disability_cards (status, grid_code, registered_on DESC, id)").run()
        }
        // The figures and the indicators' grouped counts, answered from the index alone.
        try await database.createIndex("disability_cards_figures", on: "disability_cards",
                                       columns: ["status", "grid_code", "last_assessed_on", "rehab_until", "registered_on"])
        try await database.createIndex("disability_cards_overdue", on: "disability_cards", columns: ["status", "last_assessed_on", "registered_on", "grid_code"])
        try await database.createIndex("disability_cards_number", on: "disability_cards", columns: ["number_index"])

        try await database.schema("disability_assessments")
            .id()
            .field("card_id", .uuid, .required, .references("disability_cards", "id"))
            .field("assessed_on", .string, .required)
            .field("assessor", .string, .required)
            .field("needs", .string, .required)
            .field("result", .string, .required)
            .field("note", .string)
            .field("recorded_by", .string, .required)
            .field("created_at", .int64, .required)
            .create()
        try await database.createIndex("disability_assessments_card", on: "disability_assessments", columns: ["card_id", "assessed_on"])

        try await database.schema("disability_services")
            .id()
            .field("card_id", .uuid, .required, .references("disability_cards", "id"))
            .field("setting", .string, .required)
            .field("provider", .string, .required)
            .field("started_on", .string, .required)
            .field("ended_on", .string)
            .field("sessions", .int)
            .field("hours", .int)
            .field("outcome", .string)
            .field("recorded_by", .string, .required)
            .field("created_at", .int64, .required)
            .create()
        try await database.createIndex("disability_services_card", on: "disability_services", columns: ["card_id", "started_on"])

        try await database.schema("disability_devices")
            .id()
            .field("card_id", .uuid, .required, .references("disability_cards", "id"))
            .field("device", .string, .required)
            .field("issued_on", .string, .required)
            .field("source", .string, .required)
            .field("recorded_by", .string, .required)
            .field("created_at", .int64, .required)
            .create()
        try await database.createIndex("disability_devices_card", on: "disability_devices", columns: ["card_id", "issued_on"])
    }

    public func revert(on database: any Database) async throws {
        for t in ["disability_devices", "disability_services", "disability_assessments", "disability_cards"] {
            try await database.schema(t).delete()
        }
    }
}
