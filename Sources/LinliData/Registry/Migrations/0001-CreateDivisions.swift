import FluentKit
import SQLKit

/// Divisions, parks and park membership.
public struct CreateDivisions: AsyncMigration {
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema(Division.schema)
            .id()
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("level", .string, .required)
            .field("kind", .string)
            .field("parent_id", .uuid, .references(Division.schema, "id"))
            .field("boundary", .string)
            .field("version", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "code")
            .create()
        try await database.createIndex("divisions_parent", on: Division.schema, columns: ["parent_id"])

        try await database.schema(Park.schema)
            .id()
            .field("code", .string, .required)
            .field("name", .string, .required)
            .unique(on: "code")
            .create()

        try await database.schema(DivisionPark.schema)
            .id()
            .field("division_id", .uuid, .required, .references(Division.schema, "id"))
            .field("park_id", .uuid, .required, .references(Park.schema, "id"))
            .unique(on: "division_id", "park_id")
            .create()
    }

    public func revert(on database: any Database) async throws {
        try await database.schema(DivisionPark.schema).delete()
        try await database.schema(Park.schema).delete()
        try await database.schema(Division.schema).delete()
    }
}
