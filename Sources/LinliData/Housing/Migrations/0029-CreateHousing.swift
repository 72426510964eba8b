import FluentKit
import SQLKit

/// 房屋、出租房屋、单位. `dwellings` are the flats and rooms of a building (unique number within it), carrying the
/// building's grid code so a scope is one index range; a household lives in one (`households.dwelling_id`). A
/// rental (`rentals`) is one contract of a dwelling: the landlord a resident (`landlord_resident_id`) or an outside
/// owner (name, phone sealed and masked); `active_dwelling_id` is the dwelling's id while the contract is in force
/// and NULL once ended, so its unique key refuses a second rental of a dwelling in force (NULLs never collide).
/// The last check day of each kind is kept on the rental with the checks' writes, so the overdue lists and the
/// indicators read the rental alone. Tenants are residents of the registry, one row per rental and person, with
/// the day they moved in and the day a 居住证 was issued. `units` are the units of a building (the credit code
/// unique, the contact's phone sealed). `housing_settings`: the district's limits, one row per key.
/// Days 'YYYY-MM-DD', times Unix seconds.
public struct CreateHousing: AsyncMigration {
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema("dwellings")
            .id()
            .field("building_id", .uuid, .required, .references("buildings", "id"))
            .field("grid_code", .string, .required)
            .field("number", .string, .required)
            .field("floor", .int)
            .field("area", .double)
            .field("rooms", .int)
            .field("use", .string, .required)
            .field("version", .int, .required)
            .field("created_by", .string, .required)
            .field("created_at", .int64, .required)
            .field("updated_at", .int64, .required)
            .unique(on: "building_id", "number")
            .create()
        try await database.createIndex("dwellings_grid", on: "dwellings", columns: ["grid_code", "use"])

        try await database.schema("households").field("dwelling_id", .uuid).update()
        try await database.createIndex("households_dwelling", on: "households", columns: ["dwelling_id"])

        try await database.schema("rentals")
            .id()
            .field("dwelling_id", .uuid, .required, .references("dwellings", "id"))
            .field("active_dwelling_id", .uuid)
            .field("grid_code", .string, .required)
            .field("landlord_resident_id", .uuid)
            .field("landlord_name", .string)
            .field("landlord_phone_cipher", .data)
            .field("landlord_phone_masked", .string)
            .field("starts_on", .string, .required)
            .field("ends_on", .string, .required)
            .field("rent_band", .string, .required)
            .field("tenant_count", .int, .required)
            .field("group_rental", .bool, .required)
            .field("last_fire_on", .string)
            .field("last_gas_on", .string)
            .field("last_ebike_on", .string)
            .field("ended_on", .string)
            .field("version", .int, .required)
            .field("created_by", .string, .required)
            .field("created_at", .int64, .required)
            .field("updated_at", .int64, .required)
            .unique(on: "active_dwelling_id")
            .create()
        try await database.createIndex("rentals_grid", on: "rentals", columns: ["grid_code", "ends_on"])
        try await database.createIndex("rentals_dwelling", on: "rentals", columns: ["dwelling_id"])

        try await database.schema("rental_tenants")
            .field("rental_id", .uuid, .required, .references("rentals", "id"))
            .field("resident_id", .uuid, .required, .references("residents", "id"))
            .field("grid_code", .string, .required)
            .field("floating", .bool, .required)
            .field("moved_in_on", .string, .required)
            .field("permit_on", .string)
            .field("active", .bool, .required)
            .unique(on: "rental_id", "resident_id")
            .create()
        try await database.createIndex("rental_tenants_resident", on: "rental_tenants", columns: ["resident_id"])
        try await database.createIndex("rental_tenants_permit", on: "rental_tenants", columns: ["grid_code", "floating", "active", "moved_in_on"])

        try await database.schema("rental_checks")
            .id()
            .field("rental_id", .uuid, .required, .references("rentals", "id"))
            .field("kind", .string, .required)
            .field("checked_on", .string, .required)
            .field("passed", .bool, .required)
            .field("findings", .string, .required)
            .field("recorded_by", .string, .required)
            .field("created_at", .int64, .required)
            .create()
        try await database.createIndex("rental_checks_rental", on: "rental_checks", columns: ["rental_id", "checked_on"])

        try await database.schema("units")
            .id()
            .field("name", .string, .required)
            .field("name_initials", .string, .required)
            .field("credit_code", .string, .required)
            .field("kind", .string, .required)
            .field("building_id", .uuid, .required, .references("buildings", "id"))
            .field("grid_code", .string, .required)
            .field("contact_name", .string)
            .field("contact_phone_cipher", .data)
            .field("contact_phone_masked", .string)
            .field("employees", .int)
            .field("opens_facilities", .bool, .required)
            .field("safety_person", .string)
            .field("version", .int, .required)
            .field("created_by", .string, .required)
            .field("created_at", .int64, .required)
            .field("updated_at", .int64, .required)
            .unique(on: "credit_code")
            .create()
        try await database.createIndex("units_grid", on: "units", columns: ["grid_code", "name"])
        try await database.createIndex("units_building", on: "units", columns: ["building_id"])

        try await database.schema("housing_settings")
            .field("setting", .string, .required)
            .field("value", .string, .required)
            .unique(on: "setting")
            .create()
    }

    public func revert(on database: any Database) async throws {
        for t in ["housing_settings", "units", "rental_checks", "rental_tenants", "rentals"] { try await database.schema(t).delete() }
        try await SQLHelpers.sql(database).raw("DROP INDEX IF EXISTS households_dwelling").run()
        try await database.schema("households").deleteField("dwelling_id").update()
        try await database.schema("dwellings").delete()
    }
}
