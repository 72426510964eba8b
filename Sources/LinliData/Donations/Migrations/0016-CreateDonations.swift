import FluentKit
import SQLKit

/// 捐赠物资接收点. One point per community (`community_code` unique); its stock per item (goods + unit) in
/// `donation_stock`, changed only by a conditional UPDATE in the transaction that writes the movement, so the
/// quantity never goes below zero; every movement in `donation_movements` with the balance after it. The
/// point keeps the date of its last movement (`last_activity_on`), written with the movement, so "working"
/// is read without scanning the ledger. The keeper's phone is sealed (the cipher of ID numbers), shown masked
/// on the portal. Days 'YYYY-MM-DD', times Unix seconds.
public struct CreateDonations: AsyncMigration {
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema("donation_points")
            .id()
            .field("community_code", .string, .required)
            .field("street_code", .string, .required)
            .field("name", .string, .required)
            .field("address", .string, .required)
            .field("opening_hours", .string, .required)
            .field("keeper_name", .string, .required)
            .field("keeper_phone_cipher", .data, .required)
            .field("keeper_phone_masked", .string, .required)
            .field("latitude", .double)
            .field("longitude", .double)
            // What is needed now, one item a line.
            .field("needs", .string, .required)
            .field("open", .bool, .required)
            .field("last_activity_on", .string)
            // Movements so far: the ledger's sequence (taken with a row lock, so each movement gets its own number).
            .field("movements", .int, .required)
            .field("version", .int, .required)
            .field("created_by", .string, .required)
            .field("created_at", .int64, .required)
            .field("updated_at", .int64, .required)
            .unique(on: "community_code")
            .create()
        try await database.createIndex("donation_points_street", on: "donation_points", columns: ["street_code", "community_code"])

        try await database.schema("donation_stock")
            .field("point_id", .uuid, .required, .references("donation_points", "id"))
            .field("goods", .string, .required)
            .field("unit", .string, .required)
            .field("category", .string, .required)
            .field("quantity", .int64, .required)
            .field("updated_at", .int64, .required)
            .unique(on: "point_id", "goods", "unit")
            .create()

        try await database.schema("donation_movements")
            .id()
            .field("point_id", .uuid, .required, .references("donation_points", "id"))
            .field("community_code", .string, .required)
            .field("kind", .string, .required)
            .field("goods", .string, .required)
            .field("unit", .string, .required)
            .field("category", .string, .required)
            .field("quantity", .int64, .required)
            .field("balance", .int64, .required)
            .field("on_date", .string, .required)
            .field("donor", .string)
            .field("household_id", .uuid, .references("households", "id"))
            // The household's assistance case when the goods were handed out (kind and stage), as it was then.
            .field("assistance_kind", .string)
            .field("assistance_stage", .string)
            .field("note", .string)
            .field("seq", .int, .required)
            .field("recorded_by", .string, .required)
            .field("created_at", .int64, .required)
            .unique(on: "point_id", "seq")
            .create()
        try await database.createIndex("donation_movements_point", on: "donation_movements", columns: ["point_id", "on_date", "seq"])
        try await database.createIndex("donation_movements_community", on: "donation_movements", columns: ["community_code", "on_date", "kind"])
        try await database.createIndex("donation_movements_household", on: "donation_movements", columns: ["household_id"])
    }

    public func revert(on database: any Database) async throws {
        for t in ["donation_movements", "donation_stock", "donation_points"] { try await database.schema(t).delete() }
    }
}
