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
    public var catalog: IndicatorCatalog

    public func division(_ code: String) -> IndicatorDivision? { divisions.first { $0.code == code } }

    public func values(for code: String) -> [IndicatorValue] {
        let c = counts[code] ?? IndicatorCounts()
        return catalog.all.map { d in
            let r = d.reading(c)
            return IndicatorValue(definition: d, reading: r, status: d.status(of: r))
        }
    }

    public func reading(_ indicator: String, for code: String) -> IndicatorReading? {
        guard let d = catalog.definition(indicator), let c = counts[code] else { return nil }
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
    /// Each capability counts its part (`IndicatorSource`), in the order of the capability list.
    public func compute(in scope: RegistryScope, today: CivilDate, catalog: IndicatorCatalog,
                        sources: [any IndicatorSource]) async throws -> IndicatorTable {
        let sqlite = db.isSQLite
        let divisions = try await sql.select().columns("code", "name", "level", "kind").from(Division.schema)
            .wherePrefix("code", scope.prefix, sqlite: sqlite).where("retired_on", .is, SQLLiteral.null).orderBy("code").all().compactMap { row -> IndicatorDivision? in
                guard let level = DivisionLevel(rawValue: try row.decode(column: "level", as: String.self)) else { return nil }
                return IndicatorDivision(code: try row.decode(column: "code", as: String.self), name: try row.decode(column: "name", as: String.self),
                                         level: level, kind: try row.decode(column: "kind", as: String?.self))
            }
            .sorted { ($0.level, $0.code) < ($1.level, $1.code) }
        // Each capability counts into a tally of its own, all at once (each query on a connection of its own), and
        // the tallies are summed: the dashboard waits for the slowest source, not for all of them in turn.
        let db = self.db
        let parts = try await withThrowingTaskGroup(of: IndicatorTally.self) { group in
            for source in sources {
                group.addTask {
                    var part = IndicatorTally(scope: scope, today: today, divisions: divisions)
                    try await source.count(into: &part, on: db)
                    return part
                }
            }
            return try await group.reduce(into: [IndicatorTally]()) { $0.append($1) }
        }
        var tally = IndicatorTally(scope: scope, today: today, divisions: divisions)
        for part in parts { tally.merge(part) }
        return IndicatorTable(today: today, divisions: divisions, counts: tally.counts, catalog: catalog)
    }

    /// Each named source counted alone over `scope`, best of `runs`, in milliseconds.
    public func sourceTimes(in scope: RegistryScope, today: CivilDate, runs: Int,
                            sources: [(String, any IndicatorSource)]) async throws -> [(name: String, ms: Double)] {
        let divisions = try await compute(in: scope, today: today, catalog: IndicatorCatalog([]), sources: []).divisions
        var out: [(name: String, ms: Double)] = []
        for (name, source) in sources {
            var best = Double.infinity
            for _ in 0..<max(1, runs) {
                var tally = IndicatorTally(scope: scope, today: today, divisions: divisions)
                let t0 = DispatchTime.now().uptimeNanoseconds
                try await source.count(into: &tally, on: db)
                best = min(best, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1_000_000)
            }
            out.append((name, best))
        }
        return out
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
    public func snapshot(period: String, today: CivilDate, now: Date, by actor: AuditActor, catalog: IndicatorCatalog,
                         sources: [any IndicatorSource]) async throws -> Int {
        guard IndicatorQueries.isPeriod(period) else { throw RegistryError.invalid([FieldError("period", "期间应为 YYYY-MM")]) }
        let table = try await compute(in: .everything, today: today, catalog: catalog, sources: sources)
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
            try await AuditLog.append([AuditEvent(IndicatorAudit.snapshot, target: .period(period), detail: ["rows": String(rows.count)])],
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
