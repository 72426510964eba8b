@preconcurrency import Crypto
import FluentKit
import Foundation
import LinliCore
import SQLKit

/// The API keys of Open311 client applications. Only a key's hash is stored; the key is shown once.
public struct Open311Keys: Sendable {
    let db: any Database
    public init(_ db: any Database) { self.db = db }

    public struct Key: Sendable, Equatable {
        public var id: UUID
        public var name: String
        public var createdAt: Int64
        public var revokedAt: Int64?
    }

    static func hash(_ key: String) -> String { Hex.encode(SHA256.hash(data: Data(key.utf8))) }

    /// A new key for the application `name`: 32 random bytes, hex.
    public func create(name: String, by actor: AuditActor, now: Int64) async throws -> String {
        let name = name.trimmingCharacters(in: .whitespaces)
        guard (1...60).contains(name.count) else { throw RegistryError.invalid([FieldError("name", "应用名称应为1至60个字")]) }
        var bytes = [UInt8](repeating: 0, count: 32)
        var g = SystemRandomNumberGenerator()
        for i in bytes.indices { bytes[i] = g.next() }
        let key = Hex.encode(bytes)
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            if try await sql.select().column("id").from("open311_keys").where("name", .equal, SQLBind(name))
                .where(SQLColumn("revoked_at"), .is, SQLLiteral.null).first() != nil {
                throw RegistryError.conflict(FieldError("name", "应用 \(name) 已有有效的密钥，请先吊销"))
            }
            try await sql.insert(into: "open311_keys").columns("id", "name", "key_hash", "created_at", "revoked_at")
                .values(SQLBind(UUID()), SQLBind(name), SQLBind(Open311Keys.hash(key)), SQLBind(now), SQLBind(Int64?.none)).run()
            try await AuditLog.append([AuditEvent(RequestAudit.open311KeyCreate, target: .open311Key(name))], by: actor, on: db)
        }
        return key
    }

    /// Revokes the live key of `name`; false when it has none.
    public func revoke(name: String, by actor: AuditActor, now: Int64) async throws -> Bool {
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            let changed = try await sql.update("open311_keys").set("revoked_at", to: SQLBind(now))
                .where("name", .equal, SQLBind(name)).where(SQLColumn("revoked_at"), .is, SQLLiteral.null).returning("id").all()
            guard !changed.isEmpty else { return false }
            try await AuditLog.append([AuditEvent(RequestAudit.open311KeyRevoke, target: .open311Key(name))], by: actor, on: db)
            return true
        }
    }

    public func list() async throws -> [Key] {
        try await SQLHelpers.sql(db).select().columns("id", "name", "created_at", "revoked_at").from("open311_keys").orderBy("created_at").all().map {
            Key(id: try $0.decode(column: "id", as: UUID.self), name: try $0.decode(column: "name", as: String.self),
                createdAt: try $0.decode(column: "created_at", as: Int64.self), revokedAt: try $0.decode(column: "revoked_at", as: Int64?.self))
        }
    }

    /// The application a live key belongs to, or nil.
    public func application(for key: String) async throws -> String? {
        guard !key.isEmpty, key.count <= 128 else { return nil }
        return try await SQLHelpers.sql(db).select().column("name").from("open311_keys").where("key_hash", .equal, SQLBind(Open311Keys.hash(key)))
            .where(SQLColumn("revoked_at"), .is, SQLLiteral.null).first()?.decode(column: "name", as: String.self)
    }
}
