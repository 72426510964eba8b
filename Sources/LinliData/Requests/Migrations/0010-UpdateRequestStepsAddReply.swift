import FluentKit

/// A step's text is split in two: `note` stays with the staff (internal), `reply` is what the reporter is
/// told and what the public tracking page and Open311 show. Notes written before the split keep their
/// place in `note`, so none of them becomes public.
public struct UpdateRequestStepsAddReply: AsyncMigration {
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema("request_steps").field("reply", .string).update()
    }

    public func revert(on database: any Database) async throws {
        try await database.schema("request_steps").deleteField("reply").update()
    }
}
