import FluentKit
import Foundation
import LinliCore
import SQLKit

/// A division as the indicators show it.
public struct IndicatorDivision: Sendable, Equatable, Codable {
    public var code: String
    public var name: String
    public var level: DivisionLevel
    /// 村 or 社区 for a community.
    public var kind: String?
}

/// One indicator's value for one division.
public struct IndicatorValue: Sendable {
    public var definition: IndicatorDefinition
    public var reading: IndicatorReading?
    public var status: IndicatorStatus
    public var gap: Double? { reading.flatMap { r in definition.target.map { $0.gap(r.value) } } }
}

/// Every indicator for every division of a scope, computed from a handful of grouped queries.
public struct IndicatorTable: Sendable {
    public var today: CivilDate
    /// The divisions of the scope, from the top down (district, streets, communities, grids), by code.
    public var divisions: [IndicatorDivision]
    public var counts: [String: IndicatorCounts]

    public func division(_ code: String) -> IndicatorDivision? { divisions.first { $0.code == code } }

    public func values(for code: String) -> [IndicatorValue] {
        let c = counts[code] ?? IndicatorCounts()
        return IndicatorCatalog.all.map { d in
            let r = d.reading(c)
            return IndicatorValue(definition: d, reading: r, status: d.status(of: r))
        }
    }

    public func reading(_ indicator: String, for code: String) -> IndicatorReading? {
        guard let d = IndicatorCatalog.definition(indicator), let c = counts[code] else { return nil }
        return d.reading(c)
    }

    /// The divisions one level below `code`.
    public func children(of code: String) -> [IndicatorDivision] {
        guard let parent = try? DivisionCode(code), let level = parent.level.child else { return [] }
        return divisions.filter { $0.level == level && $0.code.hasPrefix(parent.scopePrefix) }
    }
}

public struct IndicatorQueries: Sendable {
    let db: any Database

    public init(_ db: any Database) { self.db = db }

    var sql: any SQLDatabase { SQLHelpers.sql(db) }

    /// Counts grid by grid and community by community, then sums them up to streets and the district.
    public func compute(in scope: RegistryScope, today: CivilDate) async throws -> IndicatorTable {
        let sqlite = db.isSQLite
        let divisions = try await sql.select().columns("code", "name", "level", "kind").from(Division.schema)
            .wherePrefix("code", scope.prefix, sqlite: sqlite).orderBy("code").all().compactMap { row -> IndicatorDivision? in
                guard let level = DivisionLevel(rawValue: try row.decode(column: "level", as: String.self)) else { return nil }
                return IndicatorDivision(code: try row.decode(column: "code", as: String.self), name: try row.decode(column: "name", as: String.self),
                                         level: level, kind: try row.decode(column: "kind", as: String?.self))
            }
            .sorted { ($0.level, $0.code) < ($1.level, $1.code) }
        var counts: [String: IndicatorCounts] = [:]
        for d in divisions {
            var c = IndicatorCounts()
            if d.level != .grid { c.requests = RequestCounts(); c.communities = 0 }
            counts[d.code] = c
        }
        /// The division itself and each enclosing one, as far as the scope reaches.
        func chain(_ code: String) -> [String] {
            var out: [String] = []
            var d = try? DivisionCode(code)
            while let c = d {
                if counts[c.value] != nil { out.append(c.value) }
                d = c.parent
            }
            return out
        }
        func add(_ code: String, _ change: (inout IndicatorCounts) -> Void) {
            var delta = IndicatorCounts()
            change(&delta)
            for k in chain(code) { counts[k]!.add(delta) }
        }

        // Population structure: one pass over the (life_status, grid_code, birth_date, residence_status)
        // index in its own order, grid by grid (conditional sums: no sort, no temporary tree).
        let b = AgeBand.bounds(on: today).map(\.description)
        func when(_ condition: String) -> SQLRaw { SQLRaw("sum(CASE WHEN \(condition) THEN 1 ELSE 0 END)") }
        let statuses = ResidenceStatus.allCases.map(\.rawValue)
        var people = sql.select().column("grid_code").column(SQLFunction("count", args: SQLLiteral.all), as: "n")
            .column(when("birth_date <= '\(b[0])'"), as: "b80").column(when("birth_date <= '\(b[1])'"), as: "b60")
            .column(when("birth_date <= '\(b[2])'"), as: "b18")
        for (i, s) in statuses.enumerated() { people = people.column(when("residence_status = '\(s)'"), as: "s\(i)") }
        for row in try await people.from(Resident.schema)
            .where("life_status", .equal, SQLBind(LifeStatus.active.rawValue)).wherePrefix("grid_code", scope.prefix, sqlite: sqlite)
            .groupBy("grid_code").all() {
            let n = try row.decode(column: "n", as: Int64.self), b80 = try row.decode(column: "b80", as: Int64.self)
            let b60 = try row.decode(column: "b60", as: Int64.self), b18 = try row.decode(column: "b18", as: Int64.self)
            let residence = try statuses.indices.map { try row.decode(column: "s\($0)", as: Int64.self) }
            add(try row.decode(column: "grid_code", as: String.self)) {
                $0.residents = n
                $0.ageBands = [n - b18, b18 - b60, b60 - b80, b80]
                $0.residence = residence
            }
        }
        for row in try await sql.select().column("grid_code").column(SQLFunction("count", args: SQLLiteral.all), as: "n").from(Household.schema)
            .wherePrefix("grid_code", scope.prefix, sqlite: sqlite).groupBy("grid_code").all() {
            let n = try row.decode(column: "n", as: Int64.self)
            add(try row.decode(column: "grid_code", as: String.self)) { $0.households = n }
        }

        // 居家养老: the roll (active residents 60+) with each elder's care state, grid by grid (decision 0007).
        let visitBound = today.adding(days: -CareRules.visitIntervalDays).description
        let alone = "r.id IN (SELECT resident_id FROM resident_tags WHERE tag = 'living_alone')"
        for row in try await sql.select().column(SQLColumn("grid_code", table: "r"))
            .column(when("s.level IS NOT NULL"), as: "assessed")
            .column(when("s.level = '\(CareLevel.independent.rawValue)'"), as: "l0")
            .column(when("s.level = '\(CareLevel.partlyDependent.rawValue)'"), as: "l1")
            .column(when("s.level = '\(CareLevel.dependent.rawValue)'"), as: "l2")
            .column(when("s.has_plan"), as: "plans").column(when(alone), as: "alone")
            .column(when("\(alone) AND s.last_visit_on >= '\(visitBound)'"), as: "visited")
            .from(SQLAlias(SQLIdentifier(Resident.schema), as: SQLIdentifier("r")))
            .join(SQLAlias(SQLIdentifier("care_status"), as: SQLIdentifier("s")), method: SQLJoinMethod.left,
                  on: SQLColumn("resident_id", table: "s"), .equal, SQLColumn("id", table: "r"))
            .where(SQLColumn("life_status", table: "r"), .equal, SQLBind(LifeStatus.active.rawValue))
            .wherePrefix("r.grid_code", scope.prefix, sqlite: sqlite)
            .where(SQLColumn("birth_date", table: "r"), .lessThanOrEqual, SQLBind(b[1]))
            .groupBy(SQLColumn("grid_code", table: "r")).all() {
            var c = CareCounts()
            c.assessed = try row.decode(column: "assessed", as: Int64.self)
            c.levels = [try row.decode(column: "l0", as: Int64.self), try row.decode(column: "l1", as: Int64.self),
                        try row.decode(column: "l2", as: Int64.self)]
            c.withPlan = try row.decode(column: "plans", as: Int64.self)
            c.livingAlone = try row.decode(column: "alone", as: Int64.self)
            c.livingAloneVisited = try row.decode(column: "visited", as: Int64.self)
            add(try row.decode(column: "grid_code", as: String.self)) { $0.care = c }
        }
        for row in try await sql.select().column("grid_code").column(SQLFunction("count", args: SQLLiteral.all), as: "n")
            .column(when("responded_at IS NOT NULL"), as: "responded")
            .column(SQLRaw("CAST(sum(CASE WHEN responded_at IS NOT NULL AND responded_at > received_at THEN responded_at - received_at ELSE 0 END) AS BIGINT)"),
                    as: "seconds")
            .from("care_calls").wherePrefix("grid_code", scope.prefix, sqlite: sqlite).groupBy("grid_code").all() {
            var c = CareCounts()
            c.calls = try row.decode(column: "n", as: Int64.self)
            c.callsResponded = try row.decode(column: "responded", as: Int64.self)
            c.responseSeconds = try row.decode(column: "seconds", as: Int64.self)
            add(try row.decode(column: "grid_code", as: String.self)) { $0.care = c }
        }

        // Requests: the tallies kept per community (decision 0006).
        let communityPrefix = scope.prefix.count > 12 ? "~" : scope.prefix
        let sums = ["n", "escalated", "handled", "on_time", "handling_seconds", "rated", "rating_sum"]
        let tallies = try await sums.reduce(sql.select().column("community_code")) { $0.column(SQLRaw("CAST(sum(\($1)) AS BIGINT)"), as: $1) }
            .from("request_tallies").wherePrefix("community_code", communityPrefix, sqlite: sqlite).groupBy("community_code").all()
        for row in tallies {
            let code = try row.decode(column: "community_code", as: String.self)
            guard (try? DivisionCode(code))?.level == .community else { continue }
            let r = RequestCounts(total: try row.decode(column: "n", as: Int64.self), escalated: try row.decode(column: "escalated", as: Int64.self),
                                  handled: try row.decode(column: "handled", as: Int64.self), onTime: try row.decode(column: "on_time", as: Int64.self),
                                  handlingSeconds: try row.decode(column: "handling_seconds", as: Int64.self),
                                  rated: try row.decode(column: "rated", as: Int64.self), ratingSum: try row.decode(column: "rating_sum", as: Int64.self))
            add(code) { $0.requests = r }
        }

        // Community workers on the platform (enabled accounts), community by community.
        var workers: [String: Int64] = [:]
        for row in try await sql.select().column("division_code").column(SQLFunction("count", args: SQLLiteral.all), as: "n").from("accounts")
            .where("role", .equal, SQLBind(Role.communityWorker.rawValue)).where("disabled", .equal, SQLBind(false))
            .wherePrefix("division_code", communityPrefix, sqlite: sqlite).groupBy("division_code").all() {
            workers[try row.decode(column: "division_code", as: String.self)] = try row.decode(column: "n", as: Int64.self)
        }
        for d in divisions where d.level == .community {
            let w = workers[d.code] ?? 0, residents = counts[d.code]!.residents
            add(d.code) {
                $0.communities = 1
                $0.workers = w
                $0.residentsWithWorkers = w > 0 ? residents : 0
                $0.communitiesOnPlatform = w > 0 ? 1 : 0
            }
        }
        // Facilities: beds and the floor-area standard, community by community.
        if scope.prefix.count <= 12 {
            for area in try await CareQueries.communityAreas(db, prefix: communityPrefix) where counts[area.code] != nil {
                add(area.code) {
                    $0.care.beds = Int64(area.beds)
                    $0.care.nursingBeds = Int64(area.nursingBeds)
                    $0.care.communitiesAreaMet = area.meetsStandard ? 1 : 0
                }
            }
        }
        return IndicatorTable(today: today, divisions: divisions, counts: counts)
    }

    /// A district, street, community or grid by its code.
    public func division(_ code: String) async throws -> IndicatorDivision? {
        guard let row = try await sql.select().columns("code", "name", "level", "kind").from(Division.schema)
            .where("code", .equal, SQLBind(code)).first(),
              let level = DivisionLevel(rawValue: try row.decode(column: "level", as: String.self)) else { return nil }
        return IndicatorDivision(code: code, name: try row.decode(column: "name", as: String.self), level: level,
                                 kind: try row.decode(column: "kind", as: String?.self))
    }

    // MARK: Snapshots

    /// Stores every measured indicator of every division (district to grid) under `period` ('YYYY-MM'),
    /// replacing what that period held. One write transaction.
    @discardableResult
    public func snapshot(period: String, today: CivilDate, now: Date, by actor: AuditActor) async throws -> Int {
        guard IndicatorQueries.isPeriod(period) else { throw RegistryError.invalid([FieldError("period", "期间应为 YYYY-MM")]) }
        let table = try await compute(in: .everything, today: today)
        let takenAt = Int64(now.timeIntervalSince1970)
        var rows: [[any SQLExpression]] = []
        for d in table.divisions {
            for v in table.values(for: d.code) where v.definition.measured {
                rows.append([SQLBind(v.definition.code), SQLBind(d.code), SQLBind(period), SQLBind(v.reading?.value),
                             SQLBind(v.reading?.numerator), SQLBind(v.reading?.denominator), SQLBind(takenAt)])
            }
        }
        try await db.writeTransaction { [rows] db in
            let sql = SQLHelpers.sql(db)
            try await sql.delete(from: "indicator_snapshots").where("period", .equal, SQLBind(period)).run()
            // 7 values a row: stay well under SQLite's bound-parameter limit.
            for chunk in stride(from: 0, to: rows.count, by: 1000) {
                let insert = sql.insert(into: "indicator_snapshots")
                    .columns("indicator_code", "division_code", "period", "value", "numerator", "denominator", "taken_at")
                try await rows[chunk..<min(rows.count, chunk + 1000)].reduce(insert) { $0.values($1) }.run()
            }
            try await AuditLog.append([AuditEvent("indicators.snapshot", target: "period:\(period)", detail: ["rows": String(rows.count)])],
                                      by: actor, on: db)
        }
        return rows.count
    }

    public func hasSnapshot(period: String) async throws -> Bool {
        try await sql.select().column("period").from("indicator_snapshots").where("period", .equal, SQLBind(period)).limit(1).first() != nil
    }

    public struct Point: Sendable, Codable, Equatable {
        public var period: String
        public var value: Double?
        public var numerator: Double?
        public var denominator: Double?
        public var takenAt: Int64
    }

    /// The stored values of one indicator for one division, oldest first.
    public func series(indicator: String, division: String) async throws -> [Point] {
        try await sql.select().columns("period", "value", "numerator", "denominator", "taken_at").from("indicator_snapshots")
            .where("indicator_code", .equal, SQLBind(indicator)).where("division_code", .equal, SQLBind(division))
            .orderBy("period").all().map { try $0.decodeRecord(Point.self) }
    }

    /// Every stored indicator of one division, by indicator code, oldest first.
    public func series(division: String) async throws -> [String: [Point]] {
        var out: [String: [Point]] = [:]
        for row in try await sql.select().columns("indicator_code", "period", "value", "numerator", "denominator", "taken_at")
            .from("indicator_snapshots").where("division_code", .equal, SQLBind(division)).orderBy("period").all() {
            out[try row.decode(column: "indicator_code", as: String.self), default: []].append(try row.decodeRecord(Point.self))
        }
        return out
    }

    /// 'YYYY-MM' with a real month.
    public static func isPeriod(_ s: String) -> Bool {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard s.count == 7, parts.count == 2, parts[0].count == 4, parts[1].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]) else { return false }
        return (1900...9999).contains(y) && (1...12).contains(m)
    }

    public static func period(of day: CivilDate) -> String { String(day.description.prefix(7)) }
}
