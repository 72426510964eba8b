import FluentKit
import Foundation

/// A person who signs in: a worker, an officer, a department user, a resident or an administrator.
public final class Account: Model, @unchecked Sendable {
    public static let schema = "accounts"

    @ID(key: .id) public var id: UUID?
    @Field(key: "username") public var username: String
    @Field(key: "display_name") public var displayName: String
    @Field(key: "role") public var role: String
    /// The division this account is bound to: it sees that subtree and nothing else.
    @Field(key: "division_code") public var divisionCode: String
    /// Department accounts: the department they act for.
    @OptionalField(key: "department_code") public var departmentCode: String?
    /// bcrypt.
    @Field(key: "password_hash") public var passwordHash: String
    /// The TOTP secret, encrypted like other secrets at rest.
    @OptionalField(key: "totp_cipher") public var totpCipher: Data?
    /// The last TOTP step accepted, so a code is never accepted twice.
    @OptionalField(key: "totp_last_step") public var totpLastStep: Int64?
    @Field(key: "disabled") public var disabled: Bool
    @Field(key: "failed_attempts") public var failedAttempts: Int
    @OptionalField(key: "locked_until") public var lockedUntil: Date?
    @Field(key: "version") public var version: Int
    /// Made or reset by an administrator: the holder must set a password and a second factor first.
    @Field(key: "setup_required") public var setupRequired: Bool
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}
}

/// A signed-in session: a bearer token (only its hash is stored) or a web session.
public final class Session: Model, @unchecked Sendable {
    public static let schema = "sessions"

    @ID(key: .id) public var id: UUID?
    @Field(key: "token_hash") public var tokenHash: String
    @Parent(key: "account_id") public var account: Account
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "last_seen_at") public var lastSeenAt: Date
    @Field(key: "expires_at") public var expiresAt: Date
    @OptionalField(key: "revoked_at") public var revokedAt: Date?
    @Field(key: "ip") public var ip: String

    public init() {}
}

/// One entry of the audit log. Rows are only ever inserted; each carries the hash of the one before.
public final class AuditEntry: Model, @unchecked Sendable {
    public static let schema = "audit_log"

    @ID(key: .id) public var id: UUID?
    @Field(key: "seq") public var seq: Int64
    @Field(key: "at") public var at: String
    @OptionalField(key: "actor_id") public var actorID: UUID?
    @Field(key: "actor") public var actor: String
    @Field(key: "actor_role") public var actorRole: String
    @Field(key: "ip") public var ip: String
    @Field(key: "action") public var action: String
    @Field(key: "target") public var target: String
    @Field(key: "outcome") public var outcome: String
    @Field(key: "detail") public var detail: String
    @Field(key: "prev_hash") public var prevHash: String
    @Field(key: "hash") public var hash: String

    public init() {}
}
