import FluentKit
import SQLKit

/// 区划调整. `boundary_orders` holds each change order (区划调整令): its kind, the divisions it changes (`sources`, a
/// JSON array of codes), the new names, the receiving street of a merge across streets, a move's target grid, the
/// buildings assigned (JSON: building id → index of the new name), the effective date, the approving document, its
/// state and, once applied, the codes it gave (`plan`, JSON). `division_history` keeps, for every record moved, the code
/// it had and the code it got, with the order and the day (区划沿革). A retired division stays a row of `divisions`,
/// marked with the day, the order and its successor, so its code is never given again. `boundary_account_flags` lists
/// the accounts whose division an order retired without a single successor, for the security administrator.
/// Days 'YYYY-MM-DD', times Unix seconds.
public struct CreateBoundary: AsyncMigration {
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema("boundary_orders")
            .id()
            .field("kind", .string, .required)
            .field("state", .string, .required)
            .field("sources", .string, .required)
            .field("new_names", .string, .required)
            .field("receiving_street", .string)
            .field("target", .string)
            .field("buildings", .string, .required)
            .field("effective_on", .string, .required)
            .field("document_no", .string, .required)
            .field("document_title", .string, .required)
            .field("plan", .string)
            .field("created_by", .string, .required)
            .field("created_at", .int64, .required)
            .field("approved_by", .string)
            .field("approved_at", .int64)
            .field("applied_at", .int64)
            .field("cancelled_at", .int64)
            .field("version", .int, .required)
            .create()
        try await database.createIndex("boundary_orders_due", on: "boundary_orders", columns: ["state", "effective_on"])

        try await database.schema("division_history")
            .field("record_kind", .string, .required)
            .field("record_id", .uuid, .required)
            .field("old_code", .string, .required)
            .field("new_code", .string, .required)
            .field("order_id", .uuid, .required, .references("boundary_orders", "id"))
            .field("effective_on", .string, .required)
            .compositeIdentifier(over: "record_kind", "record_id", "order_id")
            .create()
        try await database.createIndex("division_history_record", on: "division_history", columns: ["record_id"])
        try await database.createIndex("division_history_new", on: "division_history", columns: ["new_code", "record_kind"])

        try await database.schema("boundary_account_flags")
            .id()
            .field("account_id", .uuid, .required)
            .field("username", .string, .required)
            .field("old_code", .string, .required)
            .field("new_code", .string, .required)
            .field("order_id", .uuid, .required, .references("boundary_orders", "id"))
            .field("created_at", .int64, .required)
            .field("resolved_by", .string)
            .field("resolved_at", .int64)
            .create()

        // One column at a time: SQLite adds one per ALTER TABLE.
        try await database.schema("divisions").field("retired_on", .string).update()
        try await database.schema("divisions").field("retired_by", .uuid).update()
        try await database.schema("divisions").field("successor_code", .string).update()
    }

    public func revert(on database: any Database) async throws {
        try await database.schema("divisions").deleteField("successor_code").update()
        try await database.schema("divisions").deleteField("retired_by").update()
        try await database.schema("divisions").deleteField("retired_on").update()
        try await database.schema("boundary_account_flags").delete()
        try await database.schema("division_history").delete()
        try await database.schema("boundary_orders").delete()
    }
}
