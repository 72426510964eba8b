import FluentKit
import SQLKit

/// Accounts, sessions and the append-only audit log.
public struct CreateAccountsAndAudit: AsyncMigration {
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema(Account.schema)
            .id()
            .field("username", .string, .required)
            .field("display_name", .string, .required)
            .field("role", .string, .required)
            .field("division_code", .string, .required)
            .field("password_hash", .string, .required)
            .field("totp_cipher", .data)
            .field("totp_last_step", .int64)
            .field("disabled", .bool, .required)
            .field("failed_attempts", .int, .required)
            .field("locked_until", .datetime)
            .field("version", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "username")
            .create()

        try await database.schema(Session.schema)
            .id()
            .field("token_hash", .string, .required)
            .field("account_id", .uuid, .required, .references(Account.schema, "id"))
            .field("created_at", .datetime, .required)
            .field("last_seen_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("revoked_at", .datetime)
            .field("ip", .string, .required)
            .unique(on: "token_hash")
            .create()

        try await database.schema(AuditEntry.schema)
            .id()
            .field("seq", .int64, .required)
            .field("at", .string, .required)
            .field("actor_id", .uuid)
            .field("actor", .string, .required)
            .field("actor_role", .string, .required)
            .field("ip", .string, .required)
            .field("action", .string, .required)
            .field("target", .string, .required)
            .field("outcome", .string, .required)
            .field("detail", .string, .required)
            .field("prev_hash", .string, .required)
            .field("hash", .string, .required)
            .unique(on: "seq")
            .create()
        try await database.createIndex("audit_log_at", on: AuditEntry.schema, columns: ["at"])
        try await database.createIndex("audit_log_actor", on: AuditEntry.schema, columns: ["actor", "seq"])
        try await database.createIndex("audit_log_action", on: AuditEntry.schema, columns: ["action", "seq"])

        // Append-only in the database itself: no UPDATE at all, and a DELETE only of entries older than
        // the retention floor (`audit_retention`), which the retention purge moves forward.
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(table: "audit_retention").column("id", type: .int, .primaryKey(autoIncrement: false))
            .column("keep_from", type: .text, .notNull).run()
        try await sql.raw("INSERT INTO audit_retention (id, keep_from) VALUES (1, '0000')").run()
        if database.isSQLite {
            try await sql.raw("""
                CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END
                """).run()
            try await sql.raw("""
                CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
                WHEN old.at >= (SELECT keep_from FROM audit_retention WHERE id = 1)
                BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END
                """).run()
        } else {
            try await sql.raw("""
                CREATE FUNCTION audit_log_guard() RETURNS trigger AS $$
                BEGIN
                  IF TG_OP = 'DELETE' AND OLD.at < (SELECT keep_from FROM audit_retention WHERE id = 1) THEN
                    RETURN OLD;
                  END IF;
                  RAISE EXCEPTION 'audit_log is append-only';
                END $$ LANGUAGE plpgsql
                """).run()
            try await sql.raw("""
                CREATE TRIGGER audit_log_guard BEFORE UPDATE OR DELETE ON audit_log
                FOR EACH ROW EXECUTE FUNCTION audit_log_guard()
                """).run()
        }
    }

    public func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase, !database.isSQLite {
            try await sql.raw("DROP TRIGGER IF EXISTS audit_log_guard ON audit_log").run()
            try await sql.raw("DROP FUNCTION IF EXISTS audit_log_guard()").run()
        }
        try await database.schema("audit_retention").delete()
        try await database.schema(AuditEntry.schema).delete()
        try await database.schema(Session.schema).delete()
        try await database.schema(Account.schema).delete()
    }
}
