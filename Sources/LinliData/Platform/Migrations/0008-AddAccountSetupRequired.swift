import FluentKit
import SQLKit

/// Accounts made or reset by the security administrator through the API set their own password and second
/// factor at first sign-in (`setup_required`); until then a sign-in opens only the setup step.
public struct AddAccountSetupRequired: AsyncMigration {
    public init() {}

    public func prepare(on database: any Database) async throws {
        // Existing accounts were set up by their holders already: the column starts false for them.
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("ALTER TABLE accounts ADD COLUMN setup_required BOOLEAN NOT NULL DEFAULT FALSE").run()
    }

    public func revert(on database: any Database) async throws {
        try await database.schema("accounts").deleteField("setup_required").update()
    }
}
