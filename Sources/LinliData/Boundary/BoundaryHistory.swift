import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 区划沿革: which division a record belonged to when, which divisions a division succeeded, and the accounts an order
/// left for the security administrator to review.
extension BoundaryQueries {
    /// A record's moves, oldest first, with the approving document of each.
    public func history(of record: UUID) async throws -> [DivisionHistoryEntry] {
        try await sql.raw("""
            SELECT h.record_kind, h.record_id, h.old_code, h.new_code, h.order_id, h.effective_on, o.document_no
            FROM division_history h JOIN boundary_orders o ON o.id = h.order_id
            WHERE h.record_id = \(bind: record) ORDER BY h.effective_on, o.applied_at
            """).all().map { r in
            DivisionHistoryEntry(recordKind: try r.decode(column: "record_kind", as: String.self), recordId: try r.decode(column: "record_id", as: UUID.self),
                                 oldCode: try r.decode(column: "old_code", as: String.self), newCode: try r.decode(column: "new_code", as: String.self),
                                 orderId: try r.decode(column: "order_id", as: UUID.self), effectiveOn: try r.decode(column: "effective_on", as: String.self),
                                 documentNo: try r.decode(column: "document_no", as: String.self))
        }
    }

    /// The divisions `code` succeeded, directly or through earlier changes, each with the day it was retired.
    public func predecessors(of code: String) async throws -> [RetiredDivision] {
        var found: [RetiredDivision] = [], frontier = [code], seen: Set<String> = [code]
        while !frontier.isEmpty {
            let rows = try await sql.select().columns("code", "name", "level", "retired_on", "successor_code", "retired_by").from(Division.schema)
                .where("successor_code", .in, SQLBind.group(frontier)).where("retired_on", .isNot, SQLLiteral.null).orderBy("code").all()
            frontier = []
            for r in rows {
                let d = RetiredDivision(code: try r.decode(column: "code", as: String.self), name: try r.decode(column: "name", as: String.self),
                                        level: DivisionLevel(rawValue: try r.decode(column: "level", as: String.self)) ?? .grid,
                                        retiredOn: try r.decode(column: "retired_on", as: String.self),
                                        successorCode: try r.decode(column: "successor_code", as: String?.self),
                                        orderId: try r.decode(column: "retired_by", as: UUID?.self))
                guard seen.insert(d.code).inserted else { continue }
                found.append(d)
                frontier.append(d.code)
            }
        }
        return found
    }

    /// Retired divisions in `scope`, most recently retired first.
    public func retired(in scope: RegistryScope) async throws -> [RetiredDivision] {
        try await sql.select().columns("code", "name", "level", "retired_on", "successor_code", "retired_by").from(Division.schema)
            .wherePrefix("code", scope.prefix, sqlite: db.isSQLite).where("retired_on", .isNot, SQLLiteral.null)
            .orderBy("retired_on", .descending).orderBy("code").all().map { r in
                RetiredDivision(code: try r.decode(column: "code", as: String.self), name: try r.decode(column: "name", as: String.self),
                                level: DivisionLevel(rawValue: try r.decode(column: "level", as: String.self)) ?? .grid,
                                retiredOn: try r.decode(column: "retired_on", as: String.self),
                                successorCode: try r.decode(column: "successor_code", as: String?.self), orderId: try r.decode(column: "retired_by", as: UUID?.self))
            }
    }

    /// A retired division (404 when the code is live or unknown).
    public func retiredDivision(_ code: String, in scope: RegistryScope) async throws -> RetiredDivision? {
        try await retired(in: RegistryScope(validatedCode: code)).first { $0.code == code && scope.contains(code: code) }
    }

    /// How many records of each kind came into `code`'s area through changes, from which division, and when.
    public func arrivals(into code: String) async throws -> [(kind: String, from: String, on: String, count: Int)] {
        try await sql.raw("""
            SELECT record_kind AS k, old_code AS f, effective_on AS d, COUNT(*) AS n FROM division_history
            WHERE \(prefixed("new_code", code)) GROUP BY record_kind, old_code, effective_on ORDER BY effective_on, old_code, record_kind
            """).all().map { (try $0.decode(column: "k", as: String.self), try $0.decode(column: "f", as: String.self),
                              try $0.decode(column: "d", as: String.self), try $0.decode(column: "n", as: Int.self)) }
    }

    /// Accounts an order moved off a division it divided, not yet reviewed (or all).
    public func accountFlags(open: Bool = true) async throws -> [AccountFlag] {
        var q = sql.select().columns("id", "account_id", "username", "old_code", "new_code", "order_id", "created_at").from("boundary_account_flags")
        if open { q = q.where("resolved_at", .is, SQLLiteral.null) }
        return try await q.orderBy("created_at", .descending).orderBy("username").all().map { r in
            AccountFlag(id: try r.decode(column: "id", as: UUID.self), accountId: try r.decode(column: "account_id", as: UUID.self),
                        username: try r.decode(column: "username", as: String.self), oldCode: try r.decode(column: "old_code", as: String.self),
                        newCode: try r.decode(column: "new_code", as: String.self), orderId: try r.decode(column: "order_id", as: UUID.self),
                        createdAt: try r.decode(column: "created_at", as: Int64.self))
        }
    }

    /// Marks a flag reviewed (the administrator has checked or changed the account's division).
    public func resolveFlag(_ id: UUID, by actor: AuditActor) async throws {
        let at = nowSeconds
        try await db.writeTransaction { db in
            let done = try await SQLHelpers.sql(db).update("boundary_account_flags").set("resolved_by", to: SQLBind(actor.username))
                .set("resolved_at", to: SQLBind(at)).where("id", .equal, SQLBind(id)).where("resolved_at", .is, SQLLiteral.null)
                .returning("id").all()
            guard !done.isEmpty else { throw RegistryError.notFound("待核查的账号") }
            try await AuditLog.append([AuditEvent(BoundaryAudit.flagResolve, target: AuditTarget("boundary_account_flag", id.uuidString))], by: actor, on: db)
        }
    }
}

/// A merged division's indicator trend: the months before the change come from its predecessors' snapshots, added up
/// (counts summed; ratios as the sum of numerators over the sum of denominators), and are marked as such.
extension BoundaryQueries {
    public struct Lineage: Sendable, Equatable {
        /// "由 A社区、B社区 合并（2026-01-01）".
        public var note: String
        public var series: [String: [IndicatorQueries.Point]]
    }

    public func lineage(of code: String, own: [String: [IndicatorQueries.Point]]) async throws -> Lineage? {
        let direct = try await predecessors(of: code).filter { $0.successorCode == code }
        guard let on = direct.first?.retiredOn else { return nil }
        let cutoff = String(on.prefix(7))
        let indicators = IndicatorQueries(db)
        var theirs: [String: [String: [IndicatorQueries.Point]]] = [:]
        for p in direct {
            for (indicator, points) in try await indicators.series(division: p.code) {
                for point in points where point.period < cutoff { theirs[indicator, default: [:]][point.period, default: []].append(point) }
            }
        }
        var series = own
        for (indicator, byPeriod) in theirs {
            let have = Set((own[indicator] ?? []).map(\.period))
            var added: [IndicatorQueries.Point] = []
            for (period, points) in byPeriod where !have.contains(period) {
                let num = points.compactMap(\.numerator).reduce(0, +)
                let dens = points.compactMap(\.denominator)
                var value: Double?
                if dens.isEmpty {
                    value = points.compactMap(\.value).reduce(0, +)
                } else if dens.reduce(0, +) > 0 {
                    let sample = points.first { ($0.numerator ?? 0) > 0 && ($0.denominator ?? 0) > 0 && $0.value != nil }
                    let scale = sample.map { $0.value! * $0.denominator! / $0.numerator! } ?? 100
                    value = num / dens.reduce(0, +) * scale
                }
                added.append(IndicatorQueries.Point(period: period, value: value, numerator: num, denominator: dens.isEmpty ? nil : dens.reduce(0, +),
                                                    takenAt: points.map(\.takenAt).max() ?? 0))
            }
            series[indicator] = (added + (own[indicator] ?? [])).sorted { $0.period < $1.period }
        }
        return Lineage(note: "由 \(direct.map(\.name).joined(separator: "、")) \(direct.count > 1 ? "合并" : "调整")（\(on)）；此前各月为其合计", series: series)
    }
}
