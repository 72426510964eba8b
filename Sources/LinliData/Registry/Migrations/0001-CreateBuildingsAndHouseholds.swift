import FluentKit
import SQLKit

public struct CreateBuildingsAndHouseholds: AsyncMigration {
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema(Building.schema)
            .id()
            .field("grid_id", .uuid, .required, .references(Division.schema, "id"))
            .field("grid_code", .string, .required)
            .field("name", .string, .required)
            .field("address", .string, .required)
            .field("latitude", .double, .required)
            .field("longitude", .double, .required)
            .field("floors", .int)
            .field("version", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await database.createIndex("buildings_grid_code", on: Building.schema, columns: ["grid_code", "name"])

        try await database.schema(Household.schema)
            .id()
            .field("number", .string, .required)
            .field("building_id", .uuid, .required, .references(Building.schema, "id"))
            .field("grid_code", .string, .required)
            .field("room", .string, .required)
            .field("version", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "number")
            .create()
        try await database.createIndex("households_building", on: Household.schema, columns: ["building_id"])
        try await database.createIndex("households_grid_code", on: Household.schema, columns: ["grid_code", "number"])
    }

    public func revert(on database: any Database) async throws {
        try await database.schema(Household.schema).delete()
        try await database.schema(Building.schema).delete()
    }
}
