import FluentKit
import Foundation
import LinliCore
import SQLKit

/// A request checked and placed, not yet written.
public struct PreparedRequest: Sendable {
    public var record: RequestRecord
    var contactCipher: Data?
    var accessCode: String?
    var channel: String
}

/// What a submission returns: the request, and for a reporter without an account the code that opens it.
public struct SubmittedRequest: Sendable {
    public var request: RequestRecord
    public var accessCode: String?
}

extension RequestQueries {
    /// Checks a new request and writes it with its first step, its tally and its audit entry in one transaction.
    public func submit(_ draft: RequestDraft, reporter: AuditActor, accountID: UUID?, now: Int64) async throws -> SubmittedRequest {
        let prepared = try await prepare(draft, accountID: accountID, now: now)
        let record = try await db.writeTransaction { db in try await RequestQueries.write(prepared, reporter: reporter, on: db) }
        return SubmittedRequest(request: record, accessCode: prepared.accessCode)
    }

    /// A new request checked and placed, ready to be written by `write` (in the caller's transaction, when the
    /// request is one part of a larger write, as a patrol finding is). `location`, when given, is where it is
    /// already known to be (the caller has placed it); otherwise the draft's building, point or address places it.
    public func prepare(_ draft: RequestDraft, accountID: UUID?, now: Int64, location known: RequestLocation? = nil) async throws -> PreparedRequest {
        var errors = FieldErrors()
        var category: RequestCategoryRecord?
        if let code = draft.categoryCode, !code.isEmpty {
            category = try await self.category(code: code)
            if category == nil || category?.active == false {
                errors.add("service_code", "事项类别 \(code) 不存在")
            } else if category?.isLeaf == false {
                errors.add("service_code", "请选择具体的事项类别（“\(category!.name)”是大类）")
                category = nil
            }
        } else {
            errors.add("service_code", "请选择事项类别")
        }
        let description = (draft.description ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if description.isEmpty { errors.add("description", "请描述事项") } else if description.count > 2000 { errors.add("description", "描述不能超过2000个字") }
        if let name = draft.reporterName, name.count > 40 { errors.add("first_name", "姓名不能超过40个字") }
        var phone: String?
        if let p = draft.phone?.trimmingCharacters(in: .whitespaces), !p.isEmpty {
            switch ResidentRules.checkPhone(p) {
            case .success(let v): phone = v
            case .failure: errors.add("phone", "联系电话格式有误")
            }
        }
        if let e = draft.email, !e.isEmpty, e.count > 100 || !e.contains("@") { errors.add("email", "电子邮箱格式有误") }
        var attributes: [String: String] = [:]
        if let category {
            for a in category.attributeList {
                let value = draft.attributes[a.code]?.trimmingCharacters(in: .whitespaces) ?? ""
                if value.isEmpty {
                    if a.required { errors.add("attribute[\(a.code)]", "请填写“\(a.description)”") }
                    continue
                }
                switch a.datatype {
                case .number where Double(value) == nil: errors.add("attribute[\(a.code)]", "“\(a.description)”应为数字")
                case .singlevaluelist where a.values?[value] == nil:
                    errors.add("attribute[\(a.code)]", "“\(a.description)”可选：\((a.values ?? [:]).keys.sorted().joined(separator: "、"))")
                default: if value.count > 200 { errors.add("attribute[\(a.code)]", "“\(a.description)”过长") }
                }
                attributes[a.code] = value
            }
        }
        let location: RequestLocation?
        if let known { location = known } else {
            location = try await RequestLocator(db: db).locate(buildingID: draft.buildingID, latitude: draft.latitude, longitude: draft.longitude,
                                                               address: draft.address, errors: &errors)
        }
        guard errors.isEmpty, let category, let location else { throw RegistryError.invalid(errors.errors) }

        let area = try DivisionCode(location.areaCode)
        let level = max(category.level, HandlingLevel(division: area.level))
        let community: String? = area.level >= .community ? String(area.value.prefix(12)) : nil
        let contact = [phone, draft.email].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        let accessCode = accountID == nil ? RequestAccessCode.make() : nil
        let id = UUID()
        var record = RequestRecord(
            id: id, seq: 0, categoryCode: category.code, status: .reported, level: level,
            areaCode: area.value, communityCode: community, holderCode: RequestRules.holder(at: level, area: area.value), handler: nil,
            channel: draft.channel, reporterAccountId: accountID, reporterName: draft.reporterName?.trimmingCharacters(in: .whitespaces),
            contactMasked: phone.map(Masking.phone) ?? draft.email.map { _ in "（邮箱）" }, description: description, address: location.address,
            latitude: location.latitude, longitude: location.longitude, buildingId: location.buildingID,
            attributes: attributes.isEmpty ? nil : String(decoding: try JSONEncoder.sorted.encode(attributes), as: UTF8.self),
            reportedAt: now, dueAt: now + Int64(category.limitHours) * 3600, resolvedAt: nil, closedAt: nil, escalations: 0, rating: nil,
            ratingComment: nil, reopened: 0, version: 1, updatedAt: now)
        // A police office service goes straight to the office's queue (社区警务室), already dispatched.
        if let handler = RequestRouting.dispatchedOnFiling(category: category.code, parent: category.parentCode, department: category.departmentCode) {
            record.status = .dispatched
            record.handler = handler
        }
        let sealed = contact.isEmpty ? nil : try cipher.seal(contact)
        return PreparedRequest(record: record, contactCipher: sealed, accessCode: accessCode, channel: draft.channel)
    }

    /// Writes a prepared request with its first step, its tally and its audit entry, on `db` (inside a write transaction).
    public static func write(_ prepared: PreparedRequest, reporter: AuditActor, on db: any Database) async throws -> RequestRecord {
        var record = prepared.record
        let sql = SQLHelpers.sql(db)
        // Numbers are handed out in order; on PostgreSQL concurrent submitters queue for the next one.
        if !db.isSQLite { try await sql.raw("LOCK TABLE requests IN SHARE ROW EXCLUSIVE MODE").run() }
        let last = try await sql.select().column(SQLFunction("max", args: SQLColumn("seq")), as: "m").from("requests").first()
        record.seq = (try last?.decode(column: "m", as: Int64?.self) ?? 0) + 1
        try await RequestQueries.insert(record, contactCipher: prepared.contactCipher, accessHash: prepared.accessCode.map(RequestAccessCode.hash), on: db)
        try await RequestQueries.insertStep(request: record.id, seq: 1, action: .report, from: nil, to: record, actor: reporter, at: record.reportedAt,
                                            note: nil, reply: nil, on: db)
        try await RequestContribution.move(from: nil, to: record, on: db)
        var detail = ["category": record.categoryCode, "area": record.areaCode, "channel": prepared.channel]
        if let h = record.handler { detail["handler"] = h }
        try await AuditLog.append([AuditEvent(RequestAudit.submit, target: .request(record.seq), detail: detail)], by: reporter, on: db)
        return record
    }

    static func insert(_ r: RequestRecord, contactCipher: Data?, accessHash: String?, on db: any Database) async throws {
        try await SQLHelpers.sql(db).insert(into: "requests").columns(RequestRecord.columns + ["contact_cipher", "access_hash"])
            .values(([r.id, r.seq, r.categoryCode, r.status.rawValue, r.level.rawValue, r.areaCode, r.communityCode, r.holderCode, r.handler, r.channel,
                     r.reporterAccountId, r.reporterName, r.contactMasked, r.description, r.address, r.latitude, r.longitude, r.buildingId,
                     r.attributes, r.reportedAt, r.dueAt, r.resolvedAt, r.closedAt, r.escalations, r.rating, r.ratingComment, r.reopened,
                     r.version, r.updatedAt, contactCipher, accessHash] as [any Encodable & Sendable]).map { SQLBind($0) })
            .run()
    }

    static func insertStep(id: UUID = UUID(), request: UUID, seq: Int, action: RequestStepAction, from: RequestStatus?, to r: RequestRecord, actor: AuditActor,
                           at: Int64, note: String?, reply: String?, on db: any Database) async throws {
        try await SQLHelpers.sql(db).insert(into: "request_steps")
            .columns("id", "request_id", "seq", "action", "from_status", "to_status", "level", "handler", "actor_id", "actor", "actor_role", "at",
                     "note", "reply")
            .values(SQLBind(id), SQLBind(request), SQLBind(seq), SQLBind(action.rawValue), SQLBind(from?.rawValue), SQLBind(r.status.rawValue), SQLBind(r.level.rawValue),
                    SQLBind(r.handler), SQLBind(actor.id), SQLBind(actor.username), SQLBind(actor.role), SQLBind(at), SQLBind(note), SQLBind(reply))
            .run()
    }

    /// Takes one step of the workflow if the caller may take it now and `version` is current; the step,
    /// its photos, the request's new state, its tally and the audit entry are written together or not at all.
    /// `current` is the request as the caller read it in their scope: it is read once, and the version the
    /// caller sent is checked against it and again by the `UPDATE … WHERE version = ?` itself.
    public func act(on current: RequestRecord, _ input: RequestStepInput, by party: RequestParty, actor: AuditActor,
                    now: Int64) async throws -> RequestRecord {
        let id = current.id
        guard input.version == current.version else { throw RegistryError.staleVersion(current: current.version) }
        var errors = FieldErrors()
        func text(_ s: String?) -> String? { s?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty }
        let note = text(input.note), reply = text(input.reply)
        // The reason may be kept internal or told to the reporter, but it must be given.
        if input.action.needsNote, note == nil, reply == nil { errors.add("note", "请填写\(input.action.label)的理由") }
        if let note, note.count > 1000 { errors.add("note", "内部备注不能超过1000个字") }
        if let reply, reply.count > 1000 { errors.add("reply", "答复不能超过1000个字") }
        for e in RequestPhotoStore.check(input.photos) { errors.add(e) }
        guard errors.isEmpty else { throw RegistryError.invalid(errors.errors) }
        let next = try await transition(current, input, note: note, by: party, now: now)
        let stepID = UUID()
        let written = try photoStore.write(input.photos, request: id, step: stepID)
        do {
            return try await db.writeTransaction { db in
                let sql = SQLHelpers.sql(db)
                let changed = try await sql.update("requests")
                    .set("status", to: SQLBind(next.status.rawValue)).set("level", to: SQLBind(next.level.rawValue)).set("holder_code", to: SQLBind(next.holderCode))
                    .set("handler", to: SQLBind(next.handler)).set("due_at", to: SQLBind(next.dueAt)).set("resolved_at", to: SQLBind(next.resolvedAt))
                    .set("closed_at", to: SQLBind(next.closedAt)).set("escalations", to: SQLBind(next.escalations))
                    .set("reopened", to: SQLBind(next.reopened)).set("version", to: SQLBind(next.version)).set("updated_at", to: SQLBind(now))
                    .where("id", .equal, SQLBind(id)).where("version", .equal, SQLBind(input.version)).returning("id").all()
                if changed.isEmpty { throw RegistryError.staleVersion(current: current.version) }
                let seq = try await SQLHelpers.count(sql.select().column(SQLFunction("count", args: SQLLiteral.all), as: "n")
                    .from("request_steps").where("request_id", .equal, SQLBind(id))) + 1
                try await RequestQueries.insertStep(id: stepID, request: id, seq: seq, action: .action(input.action), from: current.status,
                                                    to: next, actor: actor, at: now, note: note, reply: reply, on: db)
                for p in written {
                    try await sql.insert(into: "request_photos").columns("id", "request_id", "step_id", "content_type", "size", "sha256")
                        .values(SQLBind(p.id), SQLBind(p.requestId), SQLBind(p.stepId), SQLBind(p.contentType), SQLBind(p.size), SQLBind(p.sha256)).run()
                }
                try await RequestContribution.move(from: current, to: next, on: db)
                var detail = ["from": current.status.rawValue, "to": next.status.rawValue]
                if let h = next.handler, h != current.handler { detail["handler"] = h }
                if next.level != current.level { detail["level"] = next.level.rawValue }
                if !written.isEmpty { detail["photos"] = String(written.count) }
                try await AuditLog.append([AuditEvent(RequestAudit.step(input.action), target: .request(current.seq), detail: detail)],
                                          by: actor, on: db)
                return next
            }
        } catch {
            photoStore.remove(written)
            throw error
        }
    }

    /// The request after `input`, or why it cannot be taken now.
    func transition(_ r: RequestRecord, _ input: RequestStepInput, note: String?, by party: RequestParty, now: Int64) async throws -> RequestRecord {
        let action = input.action
        guard let status = RequestWorkflow.next(from: r.status, by: action) else {
            throw RegistryError.conflictingState("事项当前为“\(r.status.label)”，不能\(action.label)")
        }
        guard RequestRules.allows(action, by: party, holder: r.holderCode, handler: r.handler, area: r.areaCode) else {
            throw RegistryError.forbidden("您不是该事项的\(RequestQueries.actorLabel(action))，不能\(action.label)")
        }
        var next = r
        next.status = status
        next.version = r.version + 1
        next.updatedAt = now
        switch action {
        case .dispatch:
            guard let handler = input.handler?.trimmingCharacters(in: .whitespaces), !handler.isEmpty else {
                throw RegistryError.invalid([FieldError("handler", "请选择处置单位")])
            }
            guard RequestRules.mayDispatch(to: handler, holder: r.holderCode), try await unitExists(handler) else {
                throw RegistryError.invalid([FieldError("handler", "处置单位 \(handler) 不存在或不在本级派遣范围内")])
            }
            next.handler = handler
        case .return:
            next.handler = nil
        case .escalate:
            guard let up = r.level.next else { throw RegistryError.conflictingState("事项已在区级，不能再上报") }
            next.level = up
            next.holderCode = RequestRules.holder(at: up, area: r.areaCode)
            next.handler = nil
            next.escalations = r.escalations + 1
        case .resolve:
            next.resolvedAt = now
        case .close:
            next.closedAt = now
        case .reopen:
            guard let resolved = r.resolvedAt ?? r.closedAt, now - resolved <= Int64(RequestWorkflow.reopenWindowDays) * 86400 else {
                throw RegistryError.conflictingState("办结超过\(RequestWorkflow.reopenWindowDays)天的事项不能重新办理")
            }
            guard let category = try await category(code: r.categoryCode) else { throw RegistryError.notFound("事项类别") }
            next.handler = nil
            next.resolvedAt = nil
            next.closedAt = nil
            next.reopened = r.reopened + 1
            next.dueAt = now + Int64(category.limitHours) * 3600
        case .accept, .refuse, .start, .verify, .comment:
            break
        }
        return next
    }

    static func actorLabel(_ action: RequestAction) -> String {
        switch action.actor {
        case .holder: return "受理单位"
        case .handler: return "处置单位"
        case .verifier: return "核查人（上报人或所在网格的工作人员）"
        case .reporter: return "上报人"
        case .anyone: return "经办人"
        }
    }

    func unitExists(_ unit: String) async throws -> Bool {
        if unit.hasPrefix("dept:") { return try await departments().contains { $0.code == String(unit.dropFirst(5)) } }
        return try await DivisionQueries(db).find(code: unit) != nil
    }

    /// The reporter's rating of a resolved request (once; a reopened request may be rated again).
    public func rate(id: UUID, score: Int, comment: String?, actor: AuditActor, in scope: RequestScope, now: Int64) async throws -> RequestRecord {
        guard let r = try await find(id: id, in: scope) else { throw RegistryError.notFound("事项") }
        var errors = FieldErrors()
        if !Satisfaction.range.contains(score) { errors.add("rating", "评价应为1至5分") }
        let comment = comment?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let c = comment, c.count > 500 { errors.add("comment", "评价内容不能超过500个字") }
        guard errors.isEmpty else { throw RegistryError.invalid(errors.errors) }
        guard r.resolvedAt != nil else { throw RegistryError.conflictingState("事项尚未办结，不能评价") }
        guard r.rating == nil else { throw RegistryError.conflictingState("该事项已评价") }
        var next = r
        next.rating = score
        next.ratingComment = comment.flatMap { $0.isEmpty ? nil : $0 }
        next.version = r.version + 1
        return try await db.writeTransaction { [next] db in
            let sql = SQLHelpers.sql(db)
            let changed = try await sql.update("requests").set("rating", to: SQLBind(score)).set("rating_comment", to: SQLBind(next.ratingComment))
                .set("version", to: SQLBind(next.version)).set("updated_at", to: SQLBind(now))
                .where("id", .equal, SQLBind(id)).where("version", .equal, SQLBind(r.version)).where(SQLColumn("rating"), .is, SQLLiteral.null)
                .returning("id").all()
            if changed.isEmpty { throw RegistryError.staleVersion(current: r.version) }
            try await RequestContribution.move(from: r, to: next, on: db)
            try await AuditLog.append([AuditEvent(RequestAudit.rate, target: .request(r.seq), detail: ["rating": String(score)])], by: actor, on: db)
            return next
        }
    }

    /// Hands every request the rule says is overdue for it to the level above. Returns how many moved.
    public func escalateOverdue(now: Int64) async throws -> Int {
        let rows = try await select().where("status", .in, RequestQueries.openStatuses).where("due_at", .lessThanOrEqual, SQLBind(now))
            .where("level", .notEqual, SQLBind(HandlingLevel.district.rawValue)).all().map { try $0.decodeRecord(RequestRecord.self) }
        var moved = 0
        let system = AuditActor.system("escalation")
        for r in rows where EscalationRule.shouldEscalate(status: r.status, level: r.level, reportedAt: r.reportedAt, dueAt: r.dueAt, now: now) {
            let role: Role = r.level == .community ? .communityWorker : .streetOfficer
            let holder = RequestParty(role: role, division: r.holderCode)
            do {
                _ = try await act(on: r, RequestStepInput(action: .escalate, note: "超过处置时限，自动上报\(r.level.next!.label)级", version: r.version),
                                  by: holder, actor: system, now: now)
                moved += 1
            } catch RegistryError.staleVersion {
                continue  // someone acted on it meanwhile; the next round looks again
            }
        }
        return moved
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
