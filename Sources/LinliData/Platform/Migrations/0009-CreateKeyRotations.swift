import FluentKit

/// Key rotation (decision 0010): one row per rotation to a new master key (named by its key check value,
/// never by the key), and how far each table has been re-encrypted, so that a killed run goes on from
/// the last committed batch.
public struct CreateKeyRotations: AsyncMigration {
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema("key_rotations")
            .field("to_key", .string, .required)
            .field("from_key", .string, .required)
            .field("started_at", .datetime, .required)
            .field("finished_at", .datetime)
            .unique(on: "to_key")
            .create()
        try await database.schema("key_rotation_progress")
            .field("to_key", .string, .required)
            .field("table_name", .string, .required)
            .field("last_id", .uuid)
            .field("rows_done", .int64, .required)
            .field("rows_rotated", .int64, .required)
            .field("done", .bool, .required)
            .unique(on: "to_key", "table_name")
            .create()
    }

    public func revert(on database: any Database) async throws {
        try await database.schema("key_rotation_progress").delete()
        try await database.schema("key_rotations").delete()
    }
}
