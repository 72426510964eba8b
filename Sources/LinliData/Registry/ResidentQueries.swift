import FluentKit
import Foundation
import LinliCore
import SQLKit

/// A new person for the registry, as typed: every field is checked before anything is written.
public struct ResidentDraft: Sendable {
    public var name: String?
    public var idNumber: String?
    public var phone: String?
    public var householdID: UUID?
    public var relation: String?
    public var residenceStatus: String?
    public var tags: [String]?
    /// How the person comes onto the registry: `registered` (default), `birth` or `move_in`.
    public var origin: String?
    public var occurredOn: String?
    public var note: String?

    public init(name: String? = nil, idNumber: String? = nil, phone: String? = nil, householdID: UUID? = nil,
                relation: String? = nil, residenceStatus: String? = nil, tags: [String]? = nil,
                origin: String? = nil, occurredOn: String? = nil, note: String? = nil) {
        self.name = name; self.idNumber = idNumber; self.phone = phone; self.householdID = householdID
        self.relation = relation; self.residenceStatus = residenceStatus; self.tags = tags
        self.origin = origin; self.occurredOn = occurredOn; self.note = note
    }
}

/// Changes to a person's recorded facts. Household and life status change only through events.
public struct ResidentPatch: Sendable {
    public var name: String?
    public var idNumber: String?
    /// `.some(nil)` clears the phone number.
    public var phone: String??
    public var relation: String?
    public var residenceStatus: String?
    public var tags: [String]?
    public var note: String?
    public var version: Int

    public init(name: String? = nil, idNumber: String? = nil, phone: String?? = nil, relation: String? = nil,
                residenceStatus: String? = nil, tags: [String]? = nil, note: String? = nil, version: Int) {
        self.name = name; self.idNumber = idNumber; self.phone = phone; self.relation = relation
        self.residenceStatus = residenceStatus; self.tags = tags; self.note = note; self.version = version
    }
}

/// A change of household or of life status: 户间迁移, 死亡, 迁出.
public struct ResidentChange: Sendable {
    public var kind: ResidentEventKind
    public var occurredOn: String?
    public var toHouseholdID: UUID?
    public var relation: String?
    public var note: String?
    public var version: Int

    public init(kind: ResidentEventKind, occurredOn: String?, toHouseholdID: UUID? = nil, relation: String? = nil,
                note: String? = nil, version: Int) {
        self.kind = kind; self.occurredOn = occurredOn; self.toHouseholdID = toHouseholdID
        self.relation = relation; self.note = note; self.version = version
    }
}

public struct ResidentFilter: Sendable {
    public var gridCode: String?
    public var householdID: UUID?
    public var tag: ResidentTag?
    public var ageMin: Int?
    public var ageMax: Int?
    public var residenceStatus: ResidenceStatus?
    /// nil lists everyone, living or not.
    public var lifeStatus: LifeStatus? = .active
    public init() {}
}

public struct ResidentQueries: Sendable {
    let db: any Database
    let cipher: PersonalDataCipher
    let today: CivilDate
    let cache: RecordCache<UUID, ResidentRecord>?

    public init(_ db: any Database, cipher: PersonalDataCipher, today: CivilDate, cache: RecordCache<UUID, ResidentRecord>? = nil) {
        self.db = db
        self.cipher = cipher
        self.today = today
        self.cache = cache
    }

    static let columns = ["id", "name", "name_pinyin", "id_masked", "birth_date", "sex", "phone_masked", "household_id",
                          "relation", "residence_status", "life_status", "grid_code", "tags", "version"]

    var select: SQLSelectBuilder {
        var q = SQLHelpers.sql(db).select()
        for c in ResidentQueries.columns { q = q.column(SQLColumn(c, table: "r")) }
        return q.column(SQLColumn("number", table: "h"), as: "household_number")
            .from(SQLAlias(SQLIdentifier(Resident.schema), as: SQLIdentifier("r")))
            .join(SQLAlias(SQLIdentifier(Household.schema), as: SQLIdentifier("h")), on: SQLColumn("household_id", table: "r"), .equal, SQLColumn("id", table: "h"))
    }

    public func find(id: UUID, in scope: RegistryScope) async throws -> ResidentRecord? {
        if let hit = cache?.get(id) { return scope.contains(code: hit.gridCode) ? hit : nil }
        let token = cache?.readToken()
        guard let r = try await select.where(SQLColumn("id", table: "r"), .equal, SQLBind(id)).first()?.decodeRecord(ResidentRecord.self)
        else { return nil }
        if let token { cache?.put(id, r, token: token) }
        return scope.contains(code: r.gridCode) ? r : nil
    }

    /// The person with this ID number, found through the blind index.
    public func find(idNumber: String, in scope: RegistryScope) async throws -> ResidentRecord? {
        guard let id = try? CitizenID(idNumber) else { return nil }
        // During a key rotation a row may still carry the old key's index.
        guard let r = try await select.where(SQLColumn("id_index", table: "r"), .in, SQLBind.group(cipher.blindIndexes(id.value))).first()?
            .decodeRecord(ResidentRecord.self), scope.contains(code: r.gridCode) else { return nil }
        return r
    }

    /// The full ID and phone numbers, decrypted, for an explicit "show" — recorded in the audit log
    /// before they are returned.
    public func fullNumbers(of id: UUID, in scope: RegistryScope, by actor: AuditActor) async throws -> (record: ResidentRecord, idNumber: String, phone: String?)? {
        guard let r = try await find(id: id, in: scope) else { return nil }
        guard let row = try await SQLHelpers.sql(db).select().columns("id_cipher", "phone_cipher").from(Resident.schema)
            .where("id", .equal, SQLBind(id)).first() else { return nil }
        let idNumber = try cipher.open(try row.decode(column: "id_cipher", as: Data.self))
        let phone = try row.decode(column: "phone_cipher", as: Data?.self).map { try cipher.open($0) }
        try await AuditLog.record(AuditEvent(RegistryAudit.residentViewFull, target: .resident(id), detail: ["id_number": r.idMasked]), by: actor, on: db)
        return (r, idNumber, phone)
    }

    public func members(ofHousehold id: UUID, in scope: RegistryScope) async throws -> [ResidentRecord] {
        try await select.where(SQLColumn("household_id", table: "r"), .equal, SQLBind(id))
            .wherePrefix("r.grid_code", scope.prefix, sqlite: db.isSQLite)
            .orderBy(SQLColumn("birth_date", table: "r")).all().map { try $0.decodeRecord(ResidentRecord.self) }
    }

    public func history(of id: UUID, in scope: RegistryScope) async throws -> [ResidentEventRecord]? {
        guard try await find(id: id, in: scope) != nil else { return nil }
        return try await SQLHelpers.sql(db).select()
            .columns("id", "kind", "occurred_on", "from_household_id", "to_household_id", "changes", "note", "recorded_at")
            .from(ResidentEvent.schema).where("resident_id", .equal, SQLBind(id))
            .orderBy("recorded_at").orderBy("id").all().map { try $0.decodeRecord(ResidentEventRecord.self) }
    }

    // MARK: Lists

    /// Applies the scope and the filters to a query over `residents r`.
    func filtered(_ q: SQLSelectBuilder, scope: RegistryScope, filter: ResidentFilter) -> SQLSelectBuilder {
        var q = q.wherePrefix("r.grid_code", scope.prefix, sqlite: db.isSQLite)
        if let g = filter.gridCode { q = q.where(SQLColumn("grid_code", table: "r"), .equal, SQLBind(g)) }
        if let h = filter.householdID { q = q.where(SQLColumn("household_id", table: "r"), .equal, SQLBind(h)) }
        if let s = filter.lifeStatus { q = q.where(SQLColumn("life_status", table: "r"), .equal, SQLBind(s.rawValue)) }
        if let s = filter.residenceStatus { q = q.where(SQLColumn("residence_status", table: "r"), .equal, SQLBind(s.rawValue)) }
        var ageMin = filter.ageMin
        if let tag = filter.tag {
            if let minimum = tag.minimumAge {
                ageMin = max(ageMin ?? 0, minimum)
            } else {
                q = q.where(SQLColumn("id", table: "r"), .in, SQLGroupExpression(
                    SQLHelpers.sql(db).select().column("resident_id").from(ResidentTagRow.schema)
                        .where("tag", .equal, SQLBind(tag.rawValue)).select))
            }
        }
        // Age a ⇔ born after today-(a+1) years and on or before today-a years.
        if let a = ageMin { q = q.where(SQLColumn("birth_date", table: "r"), .lessThanOrEqual, SQLBind(today.yearsEarlier(a).description)) }
        if let a = filter.ageMax { q = q.where(SQLColumn("birth_date", table: "r"), .greaterThan, SQLBind(today.yearsEarlier(a + 1).description)) }
        return q
    }

    private var countSelect: SQLSelectBuilder {
        SQLHelpers.sql(db).select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(SQLAlias(SQLIdentifier(Resident.schema), as: SQLIdentifier("r")))
    }

    public func list(in scope: RegistryScope, filter: ResidentFilter, page: PageRequest) async throws -> ResultPage<ResidentRecord> {
        let items = try await filtered(select, scope: scope, filter: filter)
            .orderBy(SQLColumn("grid_code", table: "r")).orderBy(SQLColumn("name_pinyin", table: "r")).orderBy(SQLColumn("id", table: "r"))
            .limit(page.perPage).offset(page.offset).all().map { try $0.decodeRecord(ResidentRecord.self) }
        let total = try await SQLHelpers.count(filtered(countSelect, scope: scope, filter: filter))
        return ResultPage(items: items, total: total, page: page.page, perPage: page.perPage)
    }

    // MARK: Search

    /// How a search text is read.
    public enum SearchKind: Equatable, Sendable {
        case idNumber(String), name(String), pinyin(String)
    }

    /// An 18-character number is an ID number; Chinese characters are (the start of) a name; Latin letters
    /// are pinyin initials or full pinyin. Anything else is refused with a message.
    public static func classify(_ raw: String) -> Result<SearchKind, FieldError> {
        let q = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if q.isEmpty || q.count > 30 { return .failure(FieldError("q", "请输入1至30个字的姓名、拼音或公民身份号码")) }
        let upper = q.uppercased()
        if upper.count == 18, upper.dropLast().allSatisfy({ $0.isASCII && $0.isNumber }), upper.last!.isNumber || upper.last == "X" {
            return .success(.idNumber(upper))
        }
        if q.unicodeScalars.contains(where: { $0.properties.isIdeographic }) {
            return .success(.name(q.filter { !$0.isWhitespace }))
        }
        let letters = Pinyin.normalizeQuery(q)
        if !letters.isEmpty && letters.count == q.filter({ !$0.isWhitespace }).count {
            return .success(.pinyin(letters))
        }
        return .failure(FieldError("q", "请输入姓名、拼音首字母（如 zs）或18位公民身份号码"))
    }

    /// Residents whose name starts with the text, or whose pinyin initials or full pinyin start with it,
    /// or whose ID number is exactly it. Initials matches come first, then full-pinyin matches; each
    /// part walks its own index in order, so a page costs the same however many people match.
    public func search(_ kind: SearchKind, in scope: RegistryScope, filter: ResidentFilter, page: PageRequest) async throws -> ResultPage<ResidentRecord> {
        let sqlite = db.isSQLite
        func run(_ condition: (SQLSelectBuilder) -> SQLSelectBuilder, order: [String], offset: Int, limit: Int) async throws -> (items: [ResidentRecord], total: Int) {
            guard limit > 0 else {
                return ([], try await SQLHelpers.count(condition(filtered(countSelect, scope: scope, filter: filter))))
            }
            var q = condition(filtered(select, scope: scope, filter: filter))
            for c in order { q = q.orderBy(SQLColumn(c, table: "r")) }
            let items = try await q.limit(limit).offset(offset).all().map { try $0.decodeRecord(ResidentRecord.self) }
            let total = try await SQLHelpers.count(condition(filtered(countSelect, scope: scope, filter: filter)))
            return (items, total)
        }
        switch kind {
        case .idNumber(let number):
            let found = try await find(idNumber: number, in: scope)
            let items = found.map { [$0] } ?? []
            return ResultPage(items: page.page == 1 ? items : [], total: items.count, page: page.page, perPage: page.perPage)
        case .name(let prefix):
            let r = try await run({ $0.wherePrefix("r.name", prefix, sqlite: sqlite) }, order: ["name", "id"], offset: page.offset, limit: page.perPage)
            return ResultPage(items: r.items, total: r.total, page: page.page, perPage: page.perPage)
        case .pinyin(let text):
            // Part A: initials start with the text. Part B: full pinyin does, initials do not.
            let a = try await run({ $0.wherePrefix("r.name_initials", text, sqlite: sqlite) },
                                  order: ["name_initials", "name_pinyin", "id"], offset: page.offset, limit: page.perPage)
            let bOffset = max(0, page.offset - a.total)
            let bLimit = page.perPage - a.items.count
            let b = try await run({ $0.wherePrefix("r.name_pinyin", text, sqlite: sqlite).whereNotPrefix("r.name_initials", text, sqlite: sqlite) },
                                  order: ["name_pinyin", "name_initials", "id"], offset: bOffset, limit: bLimit)
            return ResultPage(items: a.items + b.items, total: a.total + b.total, page: page.page, perPage: page.perPage)
        }
    }
}
