import FluentKit
import Foundation
import LinliCore
import SQLKit

/// A person a finding rule points at, as a list shows them: name and ID number masked.
public struct FindingHit: Sendable, Equatable {
    public var rule: FindingRule
    public var residentId: UUID
    public var householdId: UUID
    public var gridCode: String
    public var maskedName: String
    public var idMasked: String
    public var age: Int
    public var why: String
    public var fingerprint: String
    /// When the hit was first listed; nil until it is.
    public var firstSeenOn: String?
}

/// What each rule's query sees: the scope, today, and (to mark one hit) the one person.
struct FindingContext {
    var scopePrefix: String
    var sqlite: Bool
    var today: CivilDate
    var resident: UUID?

    /// The person's columns every piece starts its select with (residents as `r`).
    var person: SQLQueryString { "r.id AS resident_id, r.household_id, r.grid_code, r.name, r.id_masked, r.birth_date" }

    /// Active residents of the scope (and only the one when marking).
    var people: SQLQueryString {
        var q: SQLQueryString = "r.life_status = \(bind: LifeStatus.active.rawValue)"
        if !scopePrefix.isEmpty {
            q += sqlite ? " AND r.grid_code >= \(bind: scopePrefix) AND r.grid_code < \(bind: scopePrefix + "\u{10FFFF}")"
                : " AND r.grid_code LIKE \(bind: SQLHelpers.likePrefix(scopePrefix))"
        }
        if let resident { q += " AND r.id = \(bind: resident)" }
        return q
    }

    func hasTag(_ tag: String) -> SQLQueryString {
        "EXISTS (SELECT 1 FROM resident_tags t WHERE t.tag = \(bind: tag) AND t.resident_id = r.id)"
    }

    /// No open case of the person's household that makes the hit moot.
    func noOpenCase(_ rule: FindingRule) -> SQLQueryString {
        var q: SQLQueryString = "NOT EXISTS (SELECT 1 FROM assistance_cases x WHERE x.household_id = r.household_id"
            + " AND x.stage IN (\(binds: AssistanceStage.allCases.filter(\.isOpen).map(\.rawValue)))"
        if rule.excludes == .openCaseOfSuggestedKind { q += " AND x.kind = \(bind: rule.suggests.rawValue)" }
        return q + ")"
    }
}

/// One rule's SQL: a select of `context.person` and the fact columns, one query for the whole scope.
struct FindingPiece: Sendable {
    /// The columns whose values are the facts (the fingerprint); others may be added for the why-text.
    var facts: [String]
    var shown: [String] = []
    var query: @Sendable (FindingRule, FindingContext) -> SQLQueryString
    /// Several rows for one person (several requests, several cases): the one kept, by default the first.
    var order: SQLQueryString = ""
}

extension FindingPiece {
    /// The query pieces of `FindingRules.all`, by rule code.
    static let pieces: [String: FindingPiece] = [
        "elder_alone_dependent": FindingPiece(facts: ["household_id", "level", "assessed_on"]) { rule, c in
            // From the few 失能 elders to the residents: CROSS JOIN keeps SQLite in this order (PostgreSQL plans it itself).
            "SELECT \(c.person), s.level, s.assessed_on FROM care_status s CROSS JOIN residents r"
                + " WHERE s.level = \(bind: CareLevel.dependent.rawValue) AND r.id = s.resident_id AND \(c.people)"
                + " AND r.birth_date <= \(bind: c.today.yearsEarlier(FindingRules.oldestAge).description)"
                + " AND \(c.hasTag("living_alone")) AND \(c.noOpenCase(rule))"
        },
        "disabled_unemployed": FindingPiece(facts: ["household_id"]) { rule, c in
            // From the tag index (a few per cent of residents), not a pass over every resident.
            "SELECT \(c.person) FROM resident_tags d CROSS JOIN residents r WHERE d.tag = \(bind: "disabled") AND r.id = d.resident_id"
                + " AND \(c.people) AND \(c.hasTag("unemployed"))"
                + " AND \(c.noOpenCase(rule))"
        },
        "ended_hardship_request": FindingPiece(facts: ["case_number", "request_seq"], shown: ["case_kind", "ended_on", "reported_at"], query: { rule, c in
            let since = c.today.addingMonths(-FindingRules.endedWithinMonths)
            return "SELECT \(c.person), k.number AS case_number, k.kind AS case_kind, k.ended_on, q.seq AS request_seq, q.reported_at"
                + " FROM assistance_cases k JOIN residents r ON r.id = k.applicant_id JOIN households h ON h.id = k.household_id"
                + " JOIN requests q ON q.building_id = h.building_id"
                + " WHERE \(c.people) AND k.stage = \(bind: AssistanceStage.ended.rawValue) AND k.ended_on >= \(bind: since.description)"
                + " AND (q.category_code = \(bind: FindingPiece.hardshipCategory) OR q.description LIKE \(bind: "%困难%"))"
                + " AND q.reported_at >= \(bind: Int64(since.dayNumber) * 86400 - 8 * 3600) AND \(c.noOpenCase(rule))"
        }, order: " ORDER BY q.seq DESC"),
        "dibao_member_disabled": FindingPiece(facts: ["case_number"]) { rule, c in
            "SELECT \(c.person), k.number AS case_number FROM assistance_members m JOIN assistance_cases k ON k.id = m.case_id"
                + " JOIN residents r ON r.id = m.resident_id"
                + " WHERE \(c.people) AND k.kind = \(bind: AssistanceKind.dibao.rawValue) AND k.stage = \(bind: AssistanceStage.approved.rawValue)"
                + " AND \(c.hasTag("disabled")) AND \(c.noOpenCase(rule))"
        },
    ]

    /// 困难帮扶 among the request categories.
    static let hardshipCategory = "SJ0501"
}

/// 主动发现 over a scope: every rule run as one query, handled hits with the same facts left out.
public struct AssistanceFindings: Sendable {
    let db: any Database
    let today: CivilDate
    let now: @Sendable () -> Date

    public init(_ db: any Database, today: CivilDate, now: @escaping @Sendable () -> Date = { Date() }) {
        self.db = db
        self.today = today
        self.now = now
    }

    var sql: any SQLDatabase { SQLHelpers.sql(db) }

    /// The hits of `rules` (all by default) in scope, not yet handled with the facts they have now, by rule
    /// then grid. `record` stores the day each new hit is first seen, which the 30-day figure is measured from.
    public func hits(in scope: RegistryScope, rules: [FindingRule] = FindingRules.all, record: Bool = false) async throws -> [FindingHit] {
        var found: [FindingHit] = []
        for rule in rules { found += try await run(rule, FindingContext(scopePrefix: scope.prefix, sqlite: db.isSQLite, today: today)) }
        let marks = try await self.marks(prefix: scope.prefix)
        found = found.filter { marks[key($0)]?.handled != true }
        for i in found.indices { found[i].firstSeenOn = marks[key(found[i])]?.firstSeen }
        if record {
            let new = found.filter { $0.firstSeenOn == nil }
            if !new.isEmpty {
                try await db.writeTransaction { db in
                    for chunk in stride(from: 0, to: new.count, by: 500).map({ Array(new[$0..<min($0 + 500, new.count)]) }) {
                        var insert = SQLHelpers.sql(db).insert(into: "assistance_finding_marks")
                            .columns("id", "rule_code", "resident_id", "fingerprint", "grid_code", "first_seen_on")
                        for h in chunk {
                            insert = insert.values(SQLBind(UUID()), SQLBind(h.rule.code), SQLBind(h.residentId), SQLBind(h.fingerprint),
                                                   SQLBind(h.gridCode), SQLBind(today.description))
                        }
                        try await insert.ignoringConflicts(with: ["rule_code", "resident_id", "fingerprint"]).run()
                    }
                }
                for i in found.indices where found[i].firstSeenOn == nil { found[i].firstSeenOn = today.description }
            }
        }
        let order = Dictionary(uniqueKeysWithValues: FindingRules.all.enumerated().map { ($1.code, $0) })
        return found.sorted {
            (order[$0.rule.code] ?? 0, $0.gridCode, $0.residentId.uuidString) < (order[$1.rule.code] ?? 0, $1.gridCode, $1.residentId.uuidString)
        }
    }

    func key(_ h: FindingHit) -> String { "\(h.rule.code)|\(h.residentId.uuidString.lowercased())|\(h.fingerprint)" }

    func marks(prefix: String) async throws -> [String: (firstSeen: String, handled: Bool)] {
        var out: [String: (firstSeen: String, handled: Bool)] = [:]
        for row in try await sql.select().columns("rule_code", "resident_id", "fingerprint", "first_seen_on", "outcome").from("assistance_finding_marks")
            .wherePrefix("grid_code", prefix, sqlite: db.isSQLite).all() {
            let k = "\(try row.decode(column: "rule_code", as: String.self))|\(try row.decode(column: "resident_id", as: UUID.self).uuidString.lowercased())|"
                + (try row.decode(column: "fingerprint", as: String.self))
            out[k] = (try row.decode(column: "first_seen_on", as: String.self), try row.decode(column: "outcome", as: String?.self) != nil)
        }
        return out
    }

    /// One rule over the context: one query, one hit per person (the first row the piece's order gives).
    func run(_ rule: FindingRule, _ context: FindingContext) async throws -> [FindingHit] {
        guard let piece = FindingPiece.pieces[rule.code] else { return [] }
        var seen = Set<UUID>()
        var out: [FindingHit] = []
        for row in try await sql.raw(piece.query(rule, context) + piece.order).all() {
            let id = try row.decode(column: "resident_id", as: UUID.self)
            guard seen.insert(id).inserted else { continue }
            var facts: [String: String] = [:]
            for c in piece.facts + piece.shown { facts[c] = try Self.text(row, c) }
            let age = CivilDate(try row.decode(column: "birth_date", as: String.self)).map { $0.age(on: today) } ?? 0
            var shown = facts
            shown["age"] = String(age)
            if let k = facts["case_kind"].flatMap(AssistanceKind.init(rawValue:)) { shown["case_kind"] = k.shortLabel }
            if let at = facts["reported_at"].flatMap(Int64.init) {
                shown["reported_on"] = CivilDate(dayNumber: Int((at + 8 * 3600).quotientRoundingDown(86400))).description
            }
            out.append(FindingHit(rule: rule, residentId: id, householdId: try row.decode(column: "household_id", as: UUID.self),
                                  gridCode: try row.decode(column: "grid_code", as: String.self),
                                  maskedName: Masking.name(try row.decode(column: "name", as: String.self)),
                                  idMasked: try row.decode(column: "id_masked", as: String.self), age: age, why: rule.why(shown),
                                  fingerprint: FindingRules.fingerprint(facts.filter { piece.facts.contains($0.key) }), firstSeenOn: nil))
        }
        return out
    }

    /// A fact column as text, whatever type the driver returns it as.
    static func text(_ row: any SQLRow, _ column: String) throws -> String {
        if try row.decodeNil(column: column) { return "" }
        if let u = try? row.decode(column: column, as: UUID.self) { return u.uuidString.lowercased() }
        if let i = try? row.decode(column: column, as: Int64.self) { return String(i) }
        return try row.decode(column: column, as: String.self)
    }

    // MARK: Recording what was done

    /// Records what was done about the current hit of `rule` for `resident`, in the actor's scope, with the
    /// audit entry in the same transaction. The hit must still fire; one handled with the same facts is a conflict.
    public func mark(rule code: String?, resident: UUID?, outcome raw: String?, reason: String?, by actor: AssistanceActor) async throws -> FindingHit {
        guard actor.mayWrite else { throw RegistryError.forbidden("您没有登记主动发现处理结果的权限") }
        var errors = FieldErrors()
        let rule = code.flatMap(FindingRules.rule)
        if rule == nil { errors.add("rule", "请选择发现规则（\(FindingRules.all.map(\.code).joined(separator: "、"))）") }
        if resident == nil { errors.add("resident_id", "请指明居民") }
        let outcome = raw.flatMap(FindingOutcome.init(rawValue:))
        if outcome == nil { errors.add("outcome", "处理结果应为 contacted（已联系）、applied（已申请）或 not_eligible（不符合条件）") }
        let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines)
        if outcome?.needsReason == true, reason?.isEmpty ?? true { errors.add("reason", "不符合条件的，请写明原因") }
        if let reason, reason.count > 500 { errors.add("reason", "原因不超过500字") }
        guard errors.isEmpty, let rule, let resident, let outcome else { throw RegistryError.invalid(errors.errors) }
        guard let person = try await sql.select().column("grid_code").from(Resident.schema).where("id", .equal, SQLBind(resident)).first(),
              actor.scope.contains(code: try person.decode(column: "grid_code", as: String.self))
        else { throw RegistryError.notFound("居民") }
        let context = FindingContext(scopePrefix: actor.scope.prefix, sqlite: db.isSQLite, today: today, resident: resident)
        guard let found = try await run(rule, context).first else {
            throw RegistryError.conflict(FieldError("resident_id", "该居民当前不在“\(rule.name)”的发现名单中（情况可能已变化）"))
        }
        let at = Int64(now().timeIntervalSince1970), day = today.description
        var hit = found
        hit.firstSeenOn = try await db.writeTransaction { db -> String in
            let sql = SQLHelpers.sql(db)
            let existing = try await sql.select().columns("id", "first_seen_on", "outcome").from("assistance_finding_marks")
                .where("rule_code", .equal, SQLBind(rule.code)).where("resident_id", .equal, SQLBind(resident))
                .where("fingerprint", .equal, SQLBind(found.fingerprint)).first()
            if let existing {
                if try existing.decode(column: "outcome", as: String?.self) != nil {
                    throw RegistryError.conflict(FieldError("resident_id", "这条线索已登记过处理结果"))
                }
                let firstSeen = try existing.decode(column: "first_seen_on", as: String.self)
                try await sql.update("assistance_finding_marks").set("outcome", to: SQLBind(outcome.rawValue)).set("reason", to: SQLBind(reason))
                    .set("handled_by", to: SQLBind(actor.audit.username)).set("handled_at", to: SQLBind(at)).set("handled_on", to: SQLBind(day))
                    .where("id", .equal, SQLBind(try existing.decode(column: "id", as: UUID.self))).run()
                try await Self.audit(rule, resident, outcome, actor, db)
                return firstSeen
            }
                try await sql.insert(into: "assistance_finding_marks")
                    .columns("id", "rule_code", "resident_id", "fingerprint", "grid_code", "first_seen_on", "outcome", "reason", "handled_by",
                             "handled_at", "handled_on")
                .values(SQLBind(UUID()), SQLBind(rule.code), SQLBind(resident), SQLBind(found.fingerprint), SQLBind(found.gridCode), SQLBind(day),
                        SQLBind(outcome.rawValue), SQLBind(reason), SQLBind(actor.audit.username), SQLBind(at), SQLBind(day)).run()
            try await Self.audit(rule, resident, outcome, actor, db)
            return day
        }
        return hit
    }

    static func audit(_ rule: FindingRule, _ resident: UUID, _ outcome: FindingOutcome, _ actor: AssistanceActor, _ db: any Database) async throws {
        try await AuditLog.append([AuditEvent(AssistanceAudit.findingMark, target: .resident(resident),
                                              detail: ["rule": rule.code, "outcome": outcome.rawValue])], by: actor.audit, on: db)
    }
}

/// 主动发现's part of the indicators, grid by grid: hits whose 30 days are decided (handled, or first seen 30
/// days ago or more), handled ones, and those handled within 30 days of being first seen.
public struct AssistanceFindingCounts: IndicatorSource {
    public init() {}

    public func count(into tally: inout IndicatorTally, on db: any Database) async throws {
        // Grouped by the two days, so the day arithmetic is Swift's on both databases.
        let rows = try await SQLHelpers.sql(db).select().columns("grid_code", "first_seen_on", "handled_on")
            .column(SQLFunction("count", args: SQLLiteral.all), as: "n").from("assistance_finding_marks")
            .wherePrefix("grid_code", tally.scope.prefix, sqlite: db.isSQLite)
            .groupBy("grid_code").groupBy("first_seen_on").groupBy("handled_on").all()
        for row in rows {
            guard let seen = CivilDate(try row.decode(column: "first_seen_on", as: String.self)) else { continue }
            let handled = try row.decode(column: "handled_on", as: String?.self).flatMap { CivilDate($0) }
            let n = try row.decode(column: "n", as: Int64.self)
            let due = handled != nil || FindingRules.lateFrom(firstSeen: seen) <= tally.today
            let inTime = handled.map { FindingRules.handledInTime(firstSeen: seen, handled: $0) } ?? false
            guard due else { continue }
            tally.add(try row.decode(column: "grid_code", as: String.self)) {
                $0.more[AssistanceFindingIndicators.dueKey] = n
                $0.more[AssistanceFindingIndicators.handledKey] = handled == nil ? 0 : n
                $0.more[AssistanceFindingIndicators.handled30Key] = inTime ? n : 0
            }
        }
    }
}

/// Several sources as one, for a capability with more than one (social assistance: its cases and its findings).
public struct IndicatorSources: IndicatorSource {
    let parts: [any IndicatorSource]

    public init(_ parts: [any IndicatorSource]) { self.parts = parts }

    public func count(into tally: inout IndicatorTally, on db: any Database) async throws {
        for p in parts { try await p.count(into: &tally, on: db) }
    }
}
