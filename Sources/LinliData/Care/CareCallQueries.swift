import FluentKit
import Foundation
import LinliCore
import SQLKit

/// Emergency calls (紧急呼叫): logged, assigned, responded to and closed.
extension CareQueries {
    // MARK: Emergency calls

    static let callColumns = ["id", "resident_id", "grid_code", "status", "received_at", "assigned_to", "assigned_at", "responded_at", "closed_at",
                              "note", "version"]

    /// Calls with the elder's name and current grid (the area that answers for the elder now).
    var callSelect: SQLSelectBuilder {
        var q = sql.select()
        for c in CareQueries.callColumns where c != "grid_code" { q = q.column(SQLColumn(c, table: "c")) }
        return q.column(SQLColumn("name", table: "r"), as: "resident_name").column(SQLColumn("grid_code", table: "r"), as: "grid_code")
            .from(SQLAlias(SQLIdentifier("care_calls"), as: SQLIdentifier("c")))
            .join(SQLAlias(SQLIdentifier(Resident.schema), as: SQLIdentifier("r")), on: SQLColumn("resident_id", table: "c"), .equal, SQLColumn("id", table: "r"))
    }

    public func calls(in scope: RegistryScope, status: CareCallStatus?, open: Bool = false, resident: UUID? = nil,
                      page: PageRequest) async throws -> ResultPage<CareCallRecord> {
        func filtered(_ q: SQLSelectBuilder) -> SQLSelectBuilder {
            var q = q.wherePrefix("r.grid_code", scope.prefix, sqlite: sqlite)
            if let status { q = q.where(SQLColumn("status", table: "c"), .equal, SQLBind(status.rawValue)) }
            if open { q = q.where(SQLColumn("status", table: "c"), .notEqual, SQLBind(CareCallStatus.closed.rawValue)) }
            if let resident { q = q.where(SQLColumn("resident_id", table: "c"), .equal, SQLBind(resident)) }
            return q
        }
        let items = try await filtered(callSelect).orderBy(SQLOrderBy(expression: SQLColumn("received_at", table: "c"), direction: SQLDirection.descending)).orderBy(SQLColumn("id", table: "c"))
            .limit(page.perPage).offset(page.offset).all().map { try $0.decodeRecord(CareCallRecord.self) }
        let total = try await SQLHelpers.count(filtered(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(SQLAlias(SQLIdentifier("care_calls"), as: SQLIdentifier("c")))
            .join(SQLAlias(SQLIdentifier(Resident.schema), as: SQLIdentifier("r")), on: SQLColumn("resident_id", table: "c"), .equal, SQLColumn("id", table: "r"))))
        return ResultPage(items: items, total: total, page: page.page, perPage: page.perPage)
    }

    public func call(_ id: UUID, in scope: RegistryScope) async throws -> CareCallRecord? {
        guard let c = try await callSelect.where(SQLColumn("id", table: "c"), .equal, SQLBind(id)).first()?.decodeRecord(CareCallRecord.self),
              scope.contains(code: c.gridCode) else { return nil }
        return c
    }

    /// Logs an emergency call of an elder (received now, or at `receivedAt` when logged afterwards).
    public func logCall(resident residentID: UUID, receivedAt: Date?, assignedTo: String?, note: String?, in scope: RegistryScope,
                        by actor: AuditActor) async throws -> CareCallRecord {
        let elder = try await requireElder(residentID, in: scope)
        var errors = FieldErrors()
        let now = nowSeconds
        let received = receivedAt.map { Int64($0.timeIntervalSince1970) } ?? now
        if received > now + 300 { errors.add("received_at", "接警时间不能晚于现在") }
        if received < now - 30 * 86400 { errors.add("received_at", "接警时间不能早于30天前") }
        let assignee = assignedTo?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let a = assignee, a.isEmpty || a.count > 50 { errors.add("assigned_to", "责任人或服务方应为1至50个字") }
        if let note, note.count > 500 { errors.add("note", "备注不能超过500个字") }
        guard errors.isEmpty else { throw RegistryError.invalid(errors.errors) }
        let id = UUID()
        try await db.writeTransaction { db in
            try await SQLHelpers.sql(db).insert(into: "care_calls").columns(CareQueries.callColumns)
                .values(SQLBind(id), SQLBind(residentID), SQLBind(elder.gridCode),
                        SQLBind(assignee == nil ? CareCallStatus.received.rawValue : CareCallStatus.assigned.rawValue),
                        SQLBind(received), SQLBind(assignee), SQLBind(assignee == nil ? nil : now), SQLBind(Int64?.none), SQLBind(Int64?.none),
                        SQLBind(note), SQLBind(1)).run()
            try await AuditLog.append([AuditEvent(CareAudit.callLog, target: .careCall(id), detail: ["resident": residentID.uuidString])],
                                      by: actor, on: db)
        }
        return try await call(id, in: scope)!
    }

    /// Assigns, responds to or closes a call; the times are the server's.
    public func act(on id: UUID, action: CareCallAction, assignedTo: String?, note: String?, version: Int, in scope: RegistryScope,
                    by actor: AuditActor) async throws -> CareCallRecord {
        guard let current = try await call(id, in: scope) else { throw RegistryError.notFound("紧急呼叫") }
        var errors = FieldErrors()
        let assignee = assignedTo?.trimmingCharacters(in: .whitespacesAndNewlines)
        if action == .assign, assignee == nil || assignee!.isEmpty || assignee!.count > 50 {
            errors.add("assigned_to", "请填写责任人或服务方（1至50个字）")
        }
        if let note, note.count > 500 { errors.add("note", "备注不能超过500个字") }
        guard errors.isEmpty else { throw RegistryError.invalid(errors.errors) }
        if version != current.version { throw RegistryError.staleVersion(current: current.version) }
        let status = current.status
        guard let next = action.next(from: status) else {
            throw RegistryError.conflictingState("呼叫当前为“\(status.label)”，不能\(action == .assign ? "派单" : action == .respond ? "登记响应" : "办结")")
        }
        let now = nowSeconds
        try await db.writeTransaction { db in
            var u = SQLHelpers.sql(db).update("care_calls").set("status", to: SQLBind(next.rawValue)).set("version", to: SQLBind(version + 1))
            switch action {
            case .assign: u = u.set("assigned_to", to: SQLBind(assignee)).set("assigned_at", to: SQLBind(now))
            case .respond: u = u.set("responded_at", to: SQLBind(now))
            case .close: u = u.set("closed_at", to: SQLBind(now))
            }
            if let note { u = u.set("note", to: SQLBind(note)) }
            let changed = try await u.where("id", .equal, SQLBind(id)).where("version", .equal, SQLBind(version)).returning("id").all()
            if changed.isEmpty { throw RegistryError.staleVersion(current: version + 1) }
            try await AuditLog.append([AuditEvent(CareAudit.call(action), target: .careCall(id), detail: ["status": next.rawValue])],
                                      by: actor, on: db)
        }
        return try await call(id, in: scope)!
    }
}
