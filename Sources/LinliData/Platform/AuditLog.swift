@preconcurrency import Crypto
import FluentKit
import Foundation
import SQLKit

/// Who did something, as the audit log records it.
public struct AuditActor: Sendable, Equatable {
    public var id: UUID?
    public var username: String
    public var role: String
    public var ip: String

    public init(id: UUID?, username: String, role: String, ip: String) {
        self.id = id
        self.username = username
        self.role = role
        self.ip = ip
    }

    /// The platform itself (commands run by an operator on the server).
    public static func system(_ what: String = "cli") -> AuditActor {
        AuditActor(id: nil, username: "(\(what))", role: "system", ip: "local")
    }
}

/// What happened. `detail` never holds personal numbers (masked forms only).
/// An action the audit log records. Each capability has its own enum of them (`RegistryAudit`,
/// `RequestAudit` …), so an entry's name is never a string typed at the call.
public protocol AuditAction: Sendable {
    /// As stored: `resident.create`.
    var name: String { get }
    /// Every action of the enum (those with a kind, for every kind): what the audit log may hold from it.
    static var all: [Self] { get }
}

extension AuditAction where Self: CaseIterable {
    public static var all: [Self] { Array(allCases) }
}

extension AuditAction where Self: RawRepresentable, Self.RawValue == String {
    public var name: String { rawValue }
}

/// What an entry is about, formatted in this one place: `kind:id` for a record, a table's name for an
/// export or import. Capabilities add their kinds (`.resident(id)`, `.request(seq)` …) next to their enum.
public struct AuditTarget: Sendable, Equatable {
    public let text: String

    public init(_ kind: String, _ id: String) { text = kind + ":" + id }
    private init(text: String) { self.text = text }

    public static let none = AuditTarget(text: "")
    /// A whole table or list (exports, imports).
    public static func table(_ name: String) -> AuditTarget { AuditTarget(text: name) }
    /// A file written by a command (a backup).
    public static func file(_ path: String) -> AuditTarget { AuditTarget(text: path) }
    /// An HTTP request that was refused.
    public static func http(_ method: String, _ path: String) -> AuditTarget { AuditTarget(text: method + " " + path) }
    public static func account(_ username: String) -> AuditTarget { AuditTarget("account", username) }
}

public struct AuditEvent: Sendable {
    public var action: String
    public var target: String
    public var outcome: String
    public var detail: [String: String]

    public init(_ action: any AuditAction, target: AuditTarget = .none, outcome: String = "success", detail: [String: String] = [:]) {
        self.action = action.name
        self.target = target.text
        self.outcome = outcome
        self.detail = detail
    }
}

public struct AuditRecord: Codable, Sendable, Equatable {
    public var seq: Int64
    public var at: String
    public var actorId: UUID?
    public var actor: String
    public var actorRole: String
    public var ip: String
    public var action: String
    public var target: String
    public var outcome: String
    public var detail: String
    public var prevHash: String
    public var hash: String
}

/// The tamper-evident audit log: append-only, each entry hash-chained to the one before.
public enum AuditLog {
    public static let genesis = String(repeating: "0", count: 64)

    /// Appends entries. Call inside a write transaction: the entry is written with the change it records,
    /// or not at all.
    public static func append(_ events: [AuditEvent], by actor: AuditActor, on db: any Database, now: Date = Date()) async throws {
        guard !events.isEmpty else { return }
        let sql = SQLHelpers.sql(db)
        // On PostgreSQL, appenders queue here (SQLite's write transaction already serialises them).
        if !db.isSQLite { try await sql.raw("LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE").run() }
        let last = try await sql.select().columns("seq", "hash").from(AuditEntry.schema)
            .orderBy("seq", .descending).limit(1).first()
        var seq = try last?.decode(column: "seq", as: Int64.self) ?? 0
        var prev = try last?.decode(column: "hash", as: String.self) ?? genesis
        var insert = sql.insert(into: AuditEntry.schema)
            .columns("id", "seq", "at", "actor_id", "actor", "actor_role", "ip", "action", "target", "outcome", "detail", "prev_hash", "hash")
        let at = timestamp(now)
        for e in events {
            seq += 1
            let detail = String(decoding: try JSONEncoder.sorted.encode(e.detail), as: UTF8.self)
            var r = AuditRecord(seq: seq, at: at, actorId: actor.id, actor: actor.username, actorRole: actor.role, ip: actor.ip,
                                action: e.action, target: e.target, outcome: e.outcome, detail: detail, prevHash: prev, hash: "")
            r.hash = hash(of: r)
            prev = r.hash
            insert = insert.values(SQLBind(UUID()), SQLBind(r.seq), SQLBind(r.at), SQLBind(r.actorId), SQLBind(r.actor),
                                   SQLBind(r.actorRole), SQLBind(r.ip), SQLBind(r.action), SQLBind(r.target), SQLBind(r.outcome),
                                   SQLBind(r.detail), SQLBind(r.prevHash), SQLBind(r.hash))
        }
        try await insert.run()
    }

    /// Appends in a transaction of its own (for events that change nothing else: sign-ins, full views).
    public static func record(_ event: AuditEvent, by actor: AuditActor, on db: any Database, now: Date = Date()) async throws {
        try await db.writeTransaction { db in try await append([event], by: actor, on: db, now: now) }
    }

    static func timestamp(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: date)
    }

    /// SHA-256 over every field but the hash itself, in a fixed order, fields separated by a unit separator.
    public static func hash(of r: AuditRecord) -> String {
        let fields = [String(r.seq), r.at, r.actorId?.uuidString ?? "", r.actor, r.actorRole, r.ip, r.action, r.target,
                      r.outcome, r.detail, r.prevHash]
        return Hex.encode(SHA256.hash(data: Data(fields.joined(separator: "\u{1F}").utf8)))
    }

    public struct Verification: Sendable, Equatable {
        public var entries: Int
        /// The first entry whose hash or link does not match, nil when the chain is whole.
        public var firstBroken: Int64?
        public var reason: String?
    }

    /// Walks the chain from the oldest retained entry.
    public static func verify(on db: any Database) async throws -> Verification {
        let sql = SQLHelpers.sql(db)
        var prev: String?
        var expectedSeq: Int64?
        var count = 0
        var offset = 0
        let batch = 5000
        while true {
            let rows = try await sql.select().columns("seq", "at", "actor_id", "actor", "actor_role", "ip", "action", "target",
                                                      "outcome", "detail", "prev_hash", "hash")
                .from(AuditEntry.schema).orderBy("seq").limit(batch).offset(offset).all()
            for row in rows {
                let r = try row.decodeRecord(AuditRecord.self)
                count += 1
                if let expectedSeq, r.seq != expectedSeq {
                    return Verification(entries: count, firstBroken: r.seq, reason: "序号不连续（缺少第 \(expectedSeq) 条）")
                }
                if let prev, r.prevHash != prev {
                    return Verification(entries: count, firstBroken: r.seq, reason: "与上一条的链接不符")
                }
                if hash(of: r) != r.hash {
                    return Verification(entries: count, firstBroken: r.seq, reason: "内容与哈希不符（记录被改动）")
                }
                prev = r.hash
                expectedSeq = r.seq + 1
            }
            if rows.count < batch { break }
            offset += batch
        }
        return Verification(entries: count, firstBroken: nil, reason: nil)
    }

    public struct Query: Sendable {
        public var actor: String?
        public var action: String?
        public var outcome: String?
        public var from: String?
        public var to: String?
        public init() {}
    }

    public static func search(_ q: Query, page: PageRequest, on db: any Database) async throws -> ResultPage<AuditRecord> {
        let sql = SQLHelpers.sql(db)
        func filtered(_ b: SQLSelectBuilder) -> SQLSelectBuilder {
            var b = b
            if let a = q.actor { b = b.where("actor", .equal, SQLBind(a)) }
            if let a = q.action { b = b.wherePrefix("action", a, sqlite: db.isSQLite) }
            if let o = q.outcome { b = b.where("outcome", .equal, SQLBind(o)) }
            if let f = q.from { b = b.where("at", .greaterThanOrEqual, SQLBind(f)) }
            if let t = q.to { b = b.where("at", .lessThan, SQLBind(t)) }
            return b
        }
        let items = try await filtered(sql.select().columns("seq", "at", "actor_id", "actor", "actor_role", "ip", "action", "target",
                                                            "outcome", "detail", "prev_hash", "hash").from(AuditEntry.schema))
            .orderBy("seq", .descending).limit(page.perPage).offset(page.offset).all().map { try $0.decodeRecord(AuditRecord.self) }
        let total = try await SQLHelpers.count(filtered(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(AuditEntry.schema)))
        return ResultPage(items: items, total: total, page: page.page, perPage: page.perPage)
    }

    /// Deletes entries older than `days` (at least 180: MLPS keeps logs six months). The purge is itself
    /// recorded, with the hash the chain now starts from.
    public static func purge(olderThanDays days: Int, by actor: AuditActor, on db: any Database, now: Date = Date()) async throws -> Int {
        precondition(days >= 180)
        let floor = timestamp(now.addingTimeInterval(-Double(days) * 86_400))
        return try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            let old = try await SQLHelpers.count(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                .from(AuditEntry.schema).where("at", .lessThan, SQLBind(floor)))
            guard old > 0 else { return 0 }
            try await sql.update("audit_retention").set("keep_from", to: SQLBind(floor)).where("id", .equal, SQLBind(1)).run()
            try await sql.delete(from: AuditEntry.schema).where("at", .lessThan, SQLBind(floor)).run()
            let anchor = try await sql.select().column("prev_hash").from(AuditEntry.schema).orderBy("seq").limit(1).first()?
                .decode(column: "prev_hash", as: String.self) ?? genesis
            try await append([AuditEvent(PlatformAudit.auditPurge, detail: ["deleted": String(old), "before": floor, "anchor": anchor])],
                             by: actor, on: db, now: now)
            return old
        }
    }
}
