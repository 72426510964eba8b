import FluentKit
import SQLKit

public struct CreateResidents: AsyncMigration {
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema(Resident.schema)
            .id()
            .field("name", .string, .required)
            .field("name_pinyin", .string, .required)
            .field("name_initials", .string, .required)
            .field("id_cipher", .data, .required)
            .field("id_index", .string, .required)
            .field("id_masked", .string, .required)
            .field("birth_date", .string, .required)
            .field("sex", .string, .required)
            .field("phone_cipher", .data)
            .field("phone_masked", .string)
            .field("household_id", .uuid, .required, .references(Household.schema, "id"))
            .field("relation", .string, .required)
            .field("residence_status", .string, .required)
            .field("life_status", .string, .required)
            .field("grid_code", .string, .required)
            .field("tags", .string, .required)
            .field("version", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "id_index")
            .create()
        // Search walks these in order and stops at a page: no sort of all matches. Lists and searches
        // are of people on the roll (life_status) first; the grid code at the end lets a scope be checked
        // and a count be made from the index alone.
        try await database.createIndex("residents_name", on: Resident.schema, columns: ["life_status", "name", "id", "grid_code"])
        try await database.createIndex("residents_initials", on: Resident.schema, columns: ["life_status", "name_initials", "name_pinyin", "id", "grid_code"])
        try await database.createIndex("residents_pinyin", on: Resident.schema, columns: ["life_status", "name_pinyin", "name_initials", "id", "grid_code"])
        // Lists are scoped by a grid-code prefix range and ordered by grid then name.
        try await database.createIndex("residents_grid", on: Resident.schema, columns: ["life_status", "grid_code", "name_pinyin", "id"])
        try await database.createIndex("residents_household", on: Resident.schema, columns: ["household_id"])
        try await database.createIndex("residents_birth", on: Resident.schema, columns: ["birth_date"])

        try await database.schema(ResidentTagRow.schema)
            .id()
            .field("resident_id", .uuid, .required, .references(Resident.schema, "id"))
            .field("tag", .string, .required)
            .unique(on: "resident_id", "tag")
            .create()
        try await database.createIndex("resident_tags_tag", on: ResidentTagRow.schema, columns: ["tag", "resident_id"])

        try await database.schema(ResidentEvent.schema)
            .id()
            .field("resident_id", .uuid, .required, .references(Resident.schema, "id"))
            .field("kind", .string, .required)
            .field("occurred_on", .string, .required)
            .field("from_household_id", .uuid)
            .field("to_household_id", .uuid)
            .field("changes", .string)
            .field("note", .string)
            .field("recorded_at", .datetime, .required)
            .create()
        try await database.createIndex("resident_events_resident", on: ResidentEvent.schema, columns: ["resident_id", "recorded_at"])
    }

    public func revert(on database: any Database) async throws {
        try await database.schema(ResidentEvent.schema).delete()
        try await database.schema(ResidentTagRow.schema).delete()
        try await database.schema(Resident.schema).delete()
    }
}
