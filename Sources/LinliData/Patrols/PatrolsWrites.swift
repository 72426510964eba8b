import FluentKit
import Foundation
import LinliCore
import SQLKit

/// A visit as written, with the grid event a finding became.
public struct RecordedVisit: Sendable {
    public var round: RoundRecord
    public var visit: VisitRecord
    public var request: RequestRecord?
}

/// The writes of rounds: start, visit (a finding becomes a grid event in the same transaction), end; and the
/// district's norm. Each is one transaction with its audit entry. A round is its walker's: another account finds
/// it (404 outside its area) but cannot add to it or end it (403).
extension PatrolsQueries {
    /// Starts a round in `grid` (a grid worker's own grid when not given). One open round per account: a second
    /// start, however close in time, finds the first (409 at `round`).
    public func start(grid raw: String?, by actor: PatrolsActor) async throws -> RoundRecord {
        let given = raw?.trimmingCharacters(in: .whitespaces) ?? ""
        let grid = given.isEmpty ? (actor.division.count == 15 ? actor.division : "") : given
        guard !grid.isEmpty else { throw RegistryError.invalid([FieldError("grid_code", "请选择巡查的网格")]) }
        guard actor.scope.contains(code: grid), let d = try await DivisionQueries(db).find(code: grid), d.level == .grid else {
            throw RegistryError.invalid([FieldError("grid_code", "本辖区没有网格 \(grid)")])
        }
        let id = UUID(), at = nowSeconds, week = PatrolWeek(seconds: at).code
        let started = try await db.writeTransaction { db in
            let inserted = try await SQLHelpers.sql(db).raw("""
                INSERT INTO patrol_rounds (id, grid_code, walker_account_id, walker_name, started_at, ended_at, week, visits, findings, counted, open_walker, version)
                VALUES (\(bind: id), \(bind: grid), \(bind: actor.accountID), \(bind: actor.name), \(bind: at), NULL, \(bind: week), 0, 0, \(bind: false),
                        \(bind: actor.accountID), 1)
                ON CONFLICT (open_walker) DO NOTHING RETURNING id
                """).all()
            guard !inserted.isEmpty else { return false }
            try await AuditLog.append([AuditEvent(PatrolsAudit.start, target: .patrolRound(id), detail: ["grid": grid])], by: actor.audit, on: db)
            return true
        }
        guard started else { throw RegistryError.conflict(FieldError("round", "您有一轮巡查尚未结束，请先结束它再开始新的巡查")) }
        return try await require(id, in: actor.scope)
    }

    func require(_ id: UUID, in scope: RegistryScope) async throws -> RoundRecord {
        guard let r = try await round(id, in: scope) else { throw RegistryError.notFound("巡查") }
        return r
    }

    /// The caller's own open round.
    func ownOpen(_ id: UUID, by actor: PatrolsActor) async throws -> RoundRecord {
        let r = try await require(id, in: actor.scope)
        guard r.walkerAccountId == actor.accountID else { throw RegistryError.forbidden("这轮巡查不是您的，不能记录或结束") }
        guard r.endedAt == nil else { throw RegistryError.conflictingState("这轮巡查已结束") }
        return r
    }

    /// Records a visit of an open round: a building of the round's grid, or a point inside it. A finding becomes a
    /// grid event (channel `patrol`, placed in the round's grid) written in the visit's own transaction.
    public func visit(_ id: UUID, _ input: VisitInput, by actor: PatrolsActor) async throws -> RecordedVisit {
        let r = try await ownOpen(id, by: actor)
        var errors = PatrolRules.check(input)
        guard errors.isEmpty else { throw RegistryError.invalid(errors) }
        guard r.visits < PatrolRules.maxVisits else {
            throw RegistryError.conflictingState("一轮巡查最多记录\(PatrolRules.maxVisits)个巡查点，请结束本轮后开始新的巡查")
        }
        var address: String?
        if let b = input.buildingID {
            guard let building = try await BuildingQueries(db).find(id: b, in: RegistryScope(validatedCode: r.gridCode)) else {
                throw RegistryError.invalid([FieldError("building_id", "该楼栋不在本轮巡查的网格内")])
            }
            address = "\(building.address) \(building.name)"
        } else if let lat = input.latitude, let lon = input.longitude {
            guard let e = try await extent(of: r.gridCode) else { throw RegistryError.notFound("网格") }
            guard PatrolRules.contains(e.extent, latitude: lat, longitude: lon) else { throw RegistryError.invalid([PatrolRules.outside(gridName: e.name)]) }
        }
        let at = nowSeconds
        var prepared: PreparedRequest?
        if input.finding == .event {
            let draft = RequestDraft(categoryCode: input.categoryCode, description: input.description, buildingID: input.buildingID,
                                     latitude: input.latitude, longitude: input.longitude, address: address, reporterName: actor.name, channel: "patrol")
            let location = RequestLocation(areaCode: r.gridCode, buildingID: input.buildingID, latitude: input.latitude, longitude: input.longitude,
                                           address: address)
            do {
                prepared = try await requests.prepare(draft, accountID: actor.accountID, now: at, location: location)
            } catch RegistryError.invalid(let e) {
                // The request's own field names, as the visit's form names them.
                errors = e.map { FieldError($0.field == "service_code" ? "category_code" : $0.field, $0.message) }
                throw RegistryError.invalid(errors)
            }
        }
        let visitID = UUID(), note = input.note?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        let finding = input.finding ?? .nothing
        let written: (Int, RequestRecord?) = try await db.writeTransaction { [prepared] db in
            let sql = SQLHelpers.sql(db)
            let raised = try await sql.raw("""
                UPDATE patrol_rounds SET visits = visits + 1, findings = findings + \(bind: finding == .event ? 1 : 0), version = version + 1
                WHERE id = \(bind: id) AND ended_at IS NULL RETURNING visits
                """).all()
            guard let seq = try raised.first?.decode(column: "visits", as: Int.self) else { throw RegistryError.conflictingState("这轮巡查已结束") }
            var request: RequestRecord?
            if let prepared { request = try await RequestQueries.write(prepared, reporter: actor.audit, on: db) }
            try await sql.insert(into: "patrol_visits")
                .columns("id", "round_id", "seq", "building_id", "latitude", "longitude", "visited_at", "finding", "note", "request_id", "request_seq")
                .values(SQLBind(visitID), SQLBind(id), SQLBind(seq), SQLBind(input.buildingID), SQLBind(input.latitude), SQLBind(input.longitude), SQLBind(at),
                        SQLBind(finding.rawValue), SQLBind(note), SQLBind(request?.id), SQLBind(request?.seq))
                .run()
            var detail = ["seq": String(seq), "finding": finding.rawValue]
            if let request { detail["request"] = String(request.seq) }
            try await AuditLog.append([AuditEvent(PatrolsAudit.visit, target: .patrolRound(id), detail: detail)], by: actor.audit, on: db)
            return (seq, request)
        }
        let round = try await require(id, in: actor.scope)
        guard let v = try await visits(of: id).first(where: { $0.seq == written.0 }) else { throw RegistryError.notFound("巡查点") }
        return RecordedVisit(round: round, visit: v, request: written.1)
    }

    /// Ends an open round; it counts toward its week's norm when it has a visit, and the week's tally changes in
    /// the same transaction.
    public func end(_ id: UUID, by actor: PatrolsActor) async throws -> RoundRecord {
        _ = try await ownOpen(id, by: actor)
        let at = nowSeconds
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            let rows = try await sql.raw("""
                UPDATE patrol_rounds SET ended_at = \(bind: at), open_walker = NULL, counted = (visits >= \(bind: PatrolRules.minimumVisits)),
                    version = version + 1
                WHERE id = \(bind: id) AND ended_at IS NULL RETURNING grid_code, week, visits, findings
                """).all()
            guard let row = rows.first else { throw RegistryError.conflictingState("这轮巡查已结束") }
            let grid = try row.decode(column: "grid_code", as: String.self), week = try row.decode(column: "week", as: Int.self)
            let visits = try row.decode(column: "visits", as: Int.self), findings = try row.decode(column: "findings", as: Int.self)
            if PatrolRules.counts(visits: visits) {
                try await Self.tally(grid: grid, week: week, rounds: 1, visits: visits, findings: findings, sql: sql)
            }
            try await AuditLog.append([AuditEvent(PatrolsAudit.end, target: .patrolRound(id),
                                                  detail: ["visits": String(visits), "counted": PatrolRules.counts(visits: visits) ? "true" : "false"])],
                                      by: actor.audit, on: db)
        }
        return try await require(id, in: actor.scope)
    }

    /// The grid's week in the tally, changed in the ending round's own transaction.
    static func tally(grid: String, week: Int, rounds: Int, visits: Int, findings: Int, sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO patrol_weeks (grid_code, week, rounds, visits, findings)
            VALUES (\(bind: grid), \(bind: week), \(bind: Int64(rounds)), \(bind: Int64(visits)), \(bind: Int64(findings)))
            ON CONFLICT (grid_code, week) DO UPDATE SET rounds = patrol_weeks.rounds + excluded.rounds,
                visits = patrol_weeks.visits + excluded.visits, findings = patrol_weeks.findings + excluded.findings
            """).run()
    }

    /// Sets the district's weekly norm at the version the caller read.
    public func setNorm(_ norm: Int?, version: Int, by actor: AuditActor) async throws -> PatrolSettings {
        let errors = PatrolRules.checkNorm(norm)
        guard errors.isEmpty, let norm else { throw RegistryError.invalid(errors) }
        let current = try await settings()
        guard version == current.version else { throw RegistryError.staleVersion(current: current.version) }
        let at = nowSeconds
        try await db.writeTransaction { db in
            let changed = try await SQLHelpers.sql(db).update("patrol_settings").set("weekly_norm", to: SQLBind(norm))
                .set("version", to: SQLBind(version + 1)).set("updated_by", to: SQLBind(actor.username)).set("updated_at", to: SQLBind(at))
                .where("id", .equal, SQLBind(1)).where("version", .equal, SQLBind(version)).returning("id").all()
            if changed.isEmpty { throw RegistryError.staleVersion(current: current.version) }
            try await AuditLog.append([AuditEvent(PatrolsAudit.settings, target: .table("patrol_settings"),
                                                  detail: ["weekly_norm": String(norm), "was": String(current.weeklyNorm)])], by: actor, on: db)
        }
        return try await settings()
    }
}
