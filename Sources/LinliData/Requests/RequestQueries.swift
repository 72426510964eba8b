@preconcurrency import Crypto
import FluentKit
import Foundation
import LinliCore
import SQLKit

/// Reads and writes of requests, their categories and departments. Every read takes a `RequestScope`.
public struct RequestQueries: Sendable {
    let db: any Database
    let cipher: PersonalDataCipher
    public let photoStore: RequestPhotoStore

    public init(_ db: any Database, cipher: PersonalDataCipher, photos: RequestPhotoStore) {
        self.db = db
        self.cipher = cipher
        self.photoStore = photos
    }

    var sql: any SQLDatabase { SQLHelpers.sql(db) }

    // MARK: Categories and departments

    public func categories(includeInactive: Bool = false) async throws -> [RequestCategoryRecord] {
        var q = sql.select().columns("code", "name", "kind", "parent_code", "limit_hours", "level", "department_code", "attributes", "active", "version")
            .from("request_categories")
        if !includeInactive { q = q.where("active", .equal, SQLBind(true)) }
        return try await q.orderBy("code").all().map { try $0.decodeRecord(RequestCategoryRecord.self) }
    }

    public func category(code: String) async throws -> RequestCategoryRecord? {
        try await sql.select().columns("code", "name", "kind", "parent_code", "limit_hours", "level", "department_code", "attributes", "active", "version")
            .from("request_categories").where("code", .equal, SQLBind(code)).first()?.decodeRecord(RequestCategoryRecord.self)
    }

    public func departments() async throws -> [DepartmentDefinition] {
        try await sql.select().columns("code", "name").from("departments").orderBy("code").all()
            .map { DepartmentDefinition(code: try $0.decode(column: "code", as: String.self), name: try $0.decode(column: "name", as: String.self)) }
    }

    /// Changes a category's name, time limit, level, department or whether it takes new requests.
    public func updateCategory(code: String, _ patch: CategoryPatch, by actor: AuditActor) async throws -> RequestCategoryRecord {
        guard let current = try await category(code: code) else { throw RegistryError.notFound("事项类别") }
        var errors = FieldErrors()
        for e in RequestCategoryDefinition.check(name: patch.name, limitHours: patch.limitHours) { errors.add(e) }
        var level: HandlingLevel?
        if let l = patch.level {
            level = HandlingLevel(rawValue: l)
            if level == nil { errors.add("level", "层级应为 community、street 或 district") }
        }
        if let d = patch.department, let code = d, !code.isEmpty, try await !departments().contains(where: { $0.code == code }) {
            errors.add("department_code", "部门 \(code) 不存在")
        }
        guard errors.isEmpty else { throw RegistryError.invalid(errors.errors) }
        var detail: [String: String] = [:]
        var sets: [(String, any Encodable & Sendable)] = [("version", patch.version + 1)]
        if let n = patch.name { sets.append(("name", n.trimmingCharacters(in: .whitespaces))); detail["name"] = n }
        if let h = patch.limitHours { sets.append(("limit_hours", h)); detail["limit_hours"] = String(h) }
        if let l = level { sets.append(("level", l.rawValue)); detail["level"] = l.rawValue }
        if let d = patch.department { sets.append(("department_code", d.flatMap { $0.isEmpty ? nil : $0 })); detail["department"] = d ?? "" }
        if let a = patch.active { sets.append(("active", a)); detail["active"] = String(a) }
        try await db.writeTransaction { [sets, detail] db in
            let u = sets.reduce(SQLHelpers.sql(db).update("request_categories")) { $0.set(SQLColumn($1.0), to: SQLBind($1.1)) }
            let changed = try await u.where("code", .equal, SQLBind(code)).where("version", .equal, SQLBind(patch.version)).returning("code").all()
            if changed.isEmpty { throw RegistryError.staleVersion(current: current.version) }
            try await AuditLog.append([AuditEvent(RequestAudit.categoryUpdate, target: .category(code), detail: detail)], by: actor, on: db)
        }
        return try await category(code: code)!
    }

    // MARK: Requests

    func select() -> SQLSelectBuilder {
        RequestRecord.columns.reduce(sql.select()) { $0.column($1) }.from("requests")
    }

    public func find(id: UUID, in scope: RequestScope) async throws -> RequestRecord? {
        try await scope.apply(select().where("id", .equal, SQLBind(id)), sqlite: db.isSQLite).first()?.decodeRecord(RequestRecord.self)
    }

    /// By the number residents quote (Open311's `service_request_id`).
    public func find(number: String, in scope: RequestScope) async throws -> RequestRecord? {
        guard let seq = Int64(number), seq > 0 else { return nil }
        return try await scope.apply(select().where("seq", .equal, SQLBind(seq)), sqlite: db.isSQLite).first()?.decodeRecord(RequestRecord.self)
    }

    public func list(in scope: RequestScope, filter: RequestFilter, now: Int64, page: PageRequest) async throws -> ResultPage<RequestRecord> {
        func filtered(_ q: SQLSelectBuilder) -> SQLSelectBuilder { listQuery(q, scope: scope, filter: filter, now: now) }
        let total = try await SQLHelpers.count(filtered(sql.select().column(SQLFunction("count", args: SQLLiteral.all), as: "n").from("requests")))
        let items = try await filtered(select()).orderBy("reported_at", .descending).orderBy("seq", .descending)
            .limit(page.perPage).offset(page.offset).all().map { try $0.decodeRecord(RequestRecord.self) }
        return ResultPage(items: items, total: total, page: page.page, perPage: page.perPage)
    }

    func listQuery(_ q: SQLSelectBuilder, scope: RequestScope, filter: RequestFilter, now: Int64) -> SQLSelectBuilder {
        var q = scope.apply(q, sqlite: db.isSQLite)
        if !filter.statuses.isEmpty { q = q.where("status", .in, filter.statuses.map(\.rawValue)) }
        if let c = filter.category {
            // A group's code takes its leaves too.
            q = q.wherePrefix("category_code", c, sqlite: db.isSQLite)
        }
        if !filter.numbers.isEmpty { q = q.where("seq", .in, filter.numbers) }
        if !filter.categories.isEmpty { q = q.where("category_code", .in, filter.categories) }
        if let open = filter.isOpen { q = q.where("status", open ? .in : .notIn, RequestQueries.openStatuses) }
        if let l = filter.level { q = q.where("level", .equal, SQLBind(l.rawValue)) }
        if let a = filter.area { q = q.wherePrefix("area_code", a, sqlite: db.isSQLite) }
        if let from = filter.reportedFrom { q = q.where("reported_at", .greaterThanOrEqual, SQLBind(from)) }
        if let to = filter.reportedTo { q = q.where("reported_at", .lessThan, SQLBind(to)) }
        switch filter.card {
        case .red?: q = q.where("status", .in, RequestQueries.openStatuses).where("due_at", .lessThanOrEqual, SQLBind(now))
        case .yellow?:
            q = q.where("status", .in, RequestQueries.openStatuses).where("due_at", .greaterThan, SQLBind(now))
                .where(SQLRaw("4 * (due_at - \(now)) <= due_at - reported_at"))
        case .none?:
            q = q.where { $0.where("status", .notIn, RequestQueries.openStatuses).orWhere(SQLRaw("4 * (due_at - \(now)) > due_at - reported_at")) }
        case nil: break
        }
        return q
    }

    /// Up to `limit` matches, newest first, without counting them all (Open311 lists up to 1,000).
    public func recent(in scope: RequestScope, filter: RequestFilter, now: Int64, limit: Int) async throws -> [RequestRecord] {
        try await listQuery(select(), scope: scope, filter: filter, now: now).orderBy("reported_at", .descending).orderBy("seq", .descending)
            .limit(limit).all().map { try $0.decodeRecord(RequestRecord.self) }
    }

    /// The latest reply to the reporter of each request that has one (public text only: never a staff note).
    public func lastReplies(of ids: [UUID]) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        var replies: [UUID: String] = [:]
        for row in try await sql.select().columns("request_id", "reply").from("request_steps").where("request_id", .in, ids)
            .where(SQLColumn("reply"), .isNot, SQLLiteral.null).orderBy("seq").all() {
            replies[try row.decode(column: "request_id", as: UUID.self)] = try row.decode(column: "reply", as: String.self)
        }
        return replies
    }

    static let openStatuses = RequestStatus.allCases.filter(\.isOpen).map(\.rawValue)

    /// The supervision board: open requests with a yellow or red card, most overdue first, and the cards per community.
    public func supervision(in scope: RequestScope, now: Int64, page: PageRequest) async throws -> Supervision {
        // Open requests are few next to the history: the (status, due_at) index finds them.
        let longest = try await sql.select().column(SQLFunction("max", args: SQLColumn("limit_hours")), as: "h").from("request_categories").first()
        let hours = try longest?.decode(column: "h", as: Int?.self) ?? 72
        let horizon = now + Int64(hours) * 3600 / 4 + 1
        let rows = try await scope.apply(sql.select().columns("id", "community_code", "reported_at", "due_at").from("requests")
            .where("status", .in, RequestQueries.openStatuses).where("due_at", .lessThanOrEqual, SQLBind(horizon))
            .where(SQLRaw("4 * (due_at - \(now)) <= due_at - reported_at")), sqlite: db.isSQLite)
            .orderBy("due_at").all()
        var flagged: [(UUID, DeadlineCard)] = []
        var byCommunity: [String: (yellow: Int, red: Int)] = [:]
        for row in rows {
            let card = DeadlineCard.of(reportedAt: try row.decode(column: "reported_at", as: Int64.self),
                                       dueAt: try row.decode(column: "due_at", as: Int64.self), now: now, open: true)
            guard card != .none else { continue }
            flagged.append((try row.decode(column: "id", as: UUID.self), card))
            let c = try row.decode(column: "community_code", as: String?.self) ?? ""
            if card == .red { byCommunity[c, default: (0, 0)].red += 1 } else { byCommunity[c, default: (0, 0)].yellow += 1 }
        }
        let pageIDs = flagged.dropFirst(page.offset).prefix(page.perPage).map(\.0)
        var records: [UUID: RequestRecord] = [:]
        if !pageIDs.isEmpty {
            for r in try await select().where("id", .in, Array(pageIDs)).all().map({ try $0.decodeRecord(RequestRecord.self) }) {
                records[r.id] = r
            }
        }
        return Supervision(items: pageIDs.compactMap { records[$0] }, total: flagged.count, page: page.page, perPage: page.perPage,
                           red: flagged.filter { $0.1 == .red }.count, yellow: flagged.filter { $0.1 == .yellow }.count,
                           byCommunity: byCommunity.map { .init(communityCode: $0.key, yellow: $0.value.yellow, red: $0.value.red) }
                               .sorted { ($0.red, $0.yellow, $1.communityCode) > ($1.red, $1.yellow, $0.communityCode) })
    }

    public func steps(of request: UUID) async throws -> [RequestStepRecord] {
        let photos = try await photos(of: request)
        return try await sql.select().columns("id", "seq", "action", "from_status", "to_status", "level", "handler", "actor", "actor_role", "at", "note",
                                              "reply")
            .from("request_steps").where("request_id", .equal, SQLBind(request)).orderBy("seq").all().map { row in
                let id = try row.decode(column: "id", as: UUID.self)
                func stored<T: Decodable>(_ column: String, _ type: T.Type) throws -> T {
                    try row.decodeStored(column: column, as: type, of: "RequestStepRecord")
                }
                return RequestStepRecord(id: id, seq: try row.decode(column: "seq", as: Int.self), action: try stored("action", RequestStepAction.self),
                                         fromStatus: try stored("from_status", RequestStatus?.self),
                                         toStatus: try stored("to_status", RequestStatus.self), level: try stored("level", HandlingLevel.self),
                                         handler: try row.decode(column: "handler", as: String?.self), actor: try row.decode(column: "actor", as: String.self),
                                         actorRole: try row.decode(column: "actor_role", as: String.self), at: try row.decode(column: "at", as: Int64.self),
                                         note: try row.decode(column: "note", as: String?.self),
                                         reply: try row.decode(column: "reply", as: String?.self),
                                         photos: photos.filter { $0.stepId == id }.map(\.id))
            }
    }

    public func photos(of request: UUID) async throws -> [RequestPhotoRecord] {
        try await sql.select().columns("id", "request_id", "step_id", "content_type", "size", "sha256").from("request_photos")
            .where("request_id", .equal, SQLBind(request)).all().map { try $0.decodeRecord(RequestPhotoRecord.self) }
    }

    /// The reporter's contact details in full (for the handler who must call back; audited by the caller).
    public func contact(of request: RequestRecord) async throws -> String? {
        guard let sealed = try await sql.select().column("contact_cipher").from("requests").where("id", .equal, SQLBind(request.id)).first()?
            .decode(column: "contact_cipher", as: Data?.self) else { return nil }
        return try cipher.open(sealed)
    }

    /// Whether `code` opens this request (what an anonymous reporter was given).
    public func accessCodeMatches(_ code: String, request: RequestRecord) async throws -> Bool {
        guard let stored = try await sql.select().column("access_hash").from("requests").where("id", .equal, SQLBind(request.id)).first()?
            .decode(column: "access_hash", as: String?.self) else { return false }
        return RequestAccessCode.hash(code.uppercased()) == stored
    }
}

public struct RequestCategoryRecord: Codable, Sendable, Equatable {
    public var code: String
    public var name: String
    public var kind: CategoryKind
    public var parentCode: String?
    public var limitHours: Int
    public var level: HandlingLevel
    public var departmentCode: String?
    public var attributes: String
    public var active: Bool
    public var version: Int

    public var attributeList: [CategoryAttribute] { (try? JSONDecoder().decode([CategoryAttribute].self, from: Data(attributes.utf8))) ?? [] }
    public var isLeaf: Bool { parentCode != nil }
}

public struct CategoryPatch: Sendable {
    public var name: String?
    public var limitHours: Int?
    public var level: String?
    /// `.some(nil)` or `.some("")` clears it.
    public var department: String??
    public var active: Bool?
    public var version: Int
    public init(name: String? = nil, limitHours: Int? = nil, level: String? = nil, department: String?? = nil, active: Bool? = nil, version: Int) {
        self.name = name; self.limitHours = limitHours; self.level = level; self.department = department; self.active = active; self.version = version
    }
}

public struct Supervision: Sendable {
    public struct CommunityCards: Codable, Sendable, Equatable {
        public var communityCode: String
        public var yellow: Int
        public var red: Int
    }
    public var items: [RequestRecord]
    public var total: Int
    public var page: Int
    public var perPage: Int
    public var red: Int
    public var yellow: Int
    public var byCommunity: [CommunityCards]
}

/// The code an anonymous reporter gets to follow, rate or reopen their request. Only its hash is stored.
public enum RequestAccessCode {
    static let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
    public static func make() -> String {
        var g = SystemRandomNumberGenerator()
        return String((0..<8).map { _ in alphabet.randomElement(using: &g)! })
    }
    static func hash(_ code: String) -> String { Hex.encode(SHA256.hash(data: Data(code.utf8))) }
}
