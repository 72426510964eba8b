import FluentKit
import Foundation
import LinliCore
import SQLKit

/// The writes: notices published and withdrawn, ledger entries recorded, edited while pending, approved by the
/// street and reversed, and a quarter's statement published. Each is one transaction with its audit entry.
extension DisclosureQueries {
    func writable(_ community: String?, by actor: DisclosureActor) async throws -> DivisionRecord {
        guard actor.mayWrite else { throw RegistryError.forbidden("您没有发布公开信息的权限") }
        return try await self.community(community, in: actor.scope)
    }

    public func publish(community raw: String?, _ input: DisclosureNoticeInput, by actor: DisclosureActor) async throws -> DisclosureNoticeRecord {
        let c = try await writable(raw, by: actor)
        let errors = DisclosureRules.check(input, today: today)
        guard errors.isEmpty, let kind = input.kind, let publishOn = input.publishOn else { throw RegistryError.invalid(errors) }
        let id = try await insertNotice(community: c.code, kind: kind, title: input.title!.trimmed, body: input.body!.trimmed, publishOn: publishOn,
                                        endOn: input.endOn, minimumDays: input.minimumDays ?? 0, statement: nil, by: actor.audit)
        return try await requireNotice(id, in: actor.scope)
    }

    func insertNotice(community: String, kind: NoticeKind, title: String, body: String, publishOn: CivilDate, endOn: CivilDate?, minimumDays: Int,
                      statement: UUID?, by audit: AuditActor, in tx: (any Database)? = nil) async throws -> UUID {
        let id = UUID(), at = nowSeconds
        let write: @Sendable (any Database) async throws -> Void = { db in
            let sql = SQLHelpers.sql(db)
            try await sql.insert(into: "disclosure_notices").columns(Self.noticeColumns)
                .values(SQLBind(id), SQLBind(community), SQLBind(kind.rawValue), SQLBind(title), SQLBind(body), SQLBind(publishOn.description),
                        SQLBind(endOn?.description), SQLBind(minimumDays), SQLBind(DisclosureNoticeStatus.published.rawValue), SQLBind(statement), SQLBind(1),
                        SQLBind(audit.username), SQLBind(at), SQLBind(String?.none), SQLBind(Int64?.none), SQLBind(String?.none))
                .run()
            try await sql.insert(into: "disclosure_notice_history").columns("id", "notice_id", "action", "title", "body", "reason", "by_user", "at")
                .values(SQLBind(UUID()), SQLBind(id), SQLBind("publish"), SQLBind(title), SQLBind(body), SQLBind(String?.none), SQLBind(audit.username), SQLBind(at))
                .run()
            try await AuditLog.append([AuditEvent(DisclosureAudit.publish, target: .disclosureNotice(id),
                                                  detail: ["community": community, "kind": kind.rawValue])], by: audit, on: db)
        }
        if let tx { try await write(tx) } else { try await db.writeTransaction { try await write($0) } }
        return id
    }

    /// Withdraws a notice, keeping it (and its text as it was) with who, when and why. A notice with a minimum
    /// period cannot be withdrawn before it has run (422 at `minimum_days`).
    public func withdraw(_ id: UUID, reason: String?, version: Int, by actor: DisclosureActor) async throws -> DisclosureNoticeRecord {
        guard actor.mayWrite else { throw RegistryError.forbidden("您没有撤回公告的权限") }
        let n = try await requireNotice(id, in: actor.scope)
        guard n.status == .published else { throw RegistryError.conflict(FieldError("status", "该公告已撤回")) }
        guard let publishOn = CivilDate(n.publishOn) else { throw RegistryError.notFound("公告") }
        let errors = DisclosureRules.checkWithdrawal(publishOn: publishOn, minimumDays: n.minimumDays, reason: reason, today: today)
        guard errors.isEmpty, let reason = reason?.trimmed else { throw RegistryError.invalid(errors) }
        let at = nowSeconds, who = actor.audit.username
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            let changed = try await sql.update("disclosure_notices").set("status", to: SQLBind(DisclosureNoticeStatus.withdrawn.rawValue))
                .set("withdrawn_by", to: SQLBind(who)).set("withdrawn_at", to: SQLBind(at)).set("withdrawn_reason", to: SQLBind(reason))
                .set("version", to: SQLBind(n.version + 1))
                .where("id", .equal, SQLBind(id)).where("version", .equal, SQLBind(version))
                .where("status", .equal, SQLBind(DisclosureNoticeStatus.published.rawValue)).returning("id").all()
            if changed.isEmpty { throw RegistryError.staleVersion(current: n.version) }
            try await sql.insert(into: "disclosure_notice_history").columns("id", "notice_id", "action", "title", "body", "reason", "by_user", "at")
                .values(SQLBind(UUID()), SQLBind(id), SQLBind("withdraw"), SQLBind(n.title), SQLBind(n.body), SQLBind(reason), SQLBind(who), SQLBind(at))
                .run()
            try await AuditLog.append([AuditEvent(DisclosureAudit.withdraw, target: .disclosureNotice(id), detail: ["reason": reason])], by: actor.audit, on: db)
        }
        return try await requireNotice(id, in: actor.scope)
    }

    // MARK: The ledger

    func checkedEntry(_ input: LedgerEntryInput) throws -> (LedgerDirection, CivilDate, Int64) {
        let errors = DisclosureRules.check(input, today: today)
        guard errors.isEmpty, let d = input.direction, let on = input.onDate, let a = input.amountFen else { throw RegistryError.invalid(errors) }
        return (d, on, a)
    }

    /// Refuses a date in a quarter whose statement is already published (at `on_date`).
    func refusePublishedQuarter(_ community: String, _ q: Quarter, on db: any Database) async throws {
        if try await SQLHelpers.sql(db).select().column("id").from("disclosure_statements").where("community_code", .equal, SQLBind(community))
            .where("quarter", .equal, SQLBind(q.description)).first() != nil {
            throw RegistryError.invalid([FieldError("on_date", "\(q.label)的收支公开表已公开，不能再记入该季度；请按今天的日期记账")])
        }
    }

    public func addEntry(community raw: String?, _ input: LedgerEntryInput, by actor: DisclosureActor) async throws -> LedgerEntryRecord {
        let c = try await writable(raw, by: actor)
        let (direction, on, amount) = try checkedEntry(input)
        let id = UUID(), at = nowSeconds, q = Quarter.of(on), voucher = input.voucherNo!.trimmed
        try await db.writeTransaction { db in
            try await refusePublishedQuarter(c.code, q, on: db)
            try await insertEntry(db, id: id, community: c.code, quarter: q, direction: direction, on: on, subject: input.subject!.trimmed,
                                  counterpart: input.counterpart!.trimmed, amount: amount, voucher: voucher, reverses: nil, by: actor.audit.username, at: at)
            try await AuditLog.append([AuditEvent(DisclosureAudit.entry, target: .ledgerEntry(id), detail: ["community": c.code, "amount_fen": String(amount)])],
                                      by: actor.audit, on: db)
        }
        return try await entry(id, in: actor.scope)
    }

    func insertEntry(_ db: any Database, id: UUID, community: String, quarter: Quarter, direction: LedgerDirection, on: CivilDate, subject: String,
                     counterpart: String, amount: Int64, voucher: String, reverses: UUID?, by user: String, at: Int64) async throws {
        let added = try await SQLHelpers.sql(db).raw("""
            INSERT INTO disclosure_ledger_entries (id, community_code, quarter, direction, on_date, subject, counterpart, amount_fen, voucher_no, status,
                reverses_id, version, recorded_by, created_at)
            VALUES (\(bind: id), \(bind: community), \(bind: quarter.description), \(bind: direction.rawValue), \(bind: on.description), \(bind: subject),
                \(bind: counterpart), \(bind: amount), \(bind: voucher), \(bind: LedgerEntryStatus.pending.rawValue), \(bind: reverses), 1, \(bind: user), \(bind: at))
            ON CONFLICT (community_code, voucher_no) DO NOTHING RETURNING id
            """).first()
        if added == nil { throw RegistryError.conflict(FieldError("voucher_no", "本社区已有凭证号\(voucher)的账目")) }
    }

    /// Edits an entry while it waits for approval; once approved or published it is never edited (409 at `status`).
    public func editEntry(_ id: UUID, _ input: LedgerEntryInput, version: Int, by actor: DisclosureActor) async throws -> LedgerEntryRecord {
        guard actor.mayWrite else { throw RegistryError.forbidden("您没有记账的权限") }
        let x = try await entry(id, in: actor.scope)
        if let refusal = DisclosureRules.checkAction(.edit, status: x.status) { throw RegistryError.conflict(refusal) }
        let (direction, on, amount) = try checkedEntry(input)
        let q = Quarter.of(on)
        try await db.writeTransaction { db in
            try await refusePublishedQuarter(x.communityCode, q, on: db)
            let changed = try await SQLHelpers.sql(db).update("disclosure_ledger_entries")
                .set("direction", to: SQLBind(direction.rawValue)).set("on_date", to: SQLBind(on.description)).set("quarter", to: SQLBind(q.description))
                .set("subject", to: SQLBind(input.subject!.trimmed)).set("counterpart", to: SQLBind(input.counterpart!.trimmed))
                .set("amount_fen", to: SQLBind(amount)).set("voucher_no", to: SQLBind(input.voucherNo!.trimmed)).set("version", to: SQLBind(x.version + 1))
                .where("id", .equal, SQLBind(id)).where("version", .equal, SQLBind(version))
                .where("status", .equal, SQLBind(LedgerEntryStatus.pending.rawValue)).returning("id").all()
            if changed.isEmpty { throw RegistryError.staleVersion(current: x.version) }
            try await AuditLog.append([AuditEvent(DisclosureAudit.entryEdit, target: .ledgerEntry(id), detail: ["amount_fen": String(amount)])],
                                      by: actor.audit, on: db)
        }
        return try await entry(id, in: actor.scope)
    }

    /// The street approves a pending entry.
    public func approve(_ id: UUID, by actor: DisclosureActor) async throws -> LedgerEntryRecord {
        guard actor.mayApprove else { throw RegistryError.forbidden("账目由镇/街道审核") }
        let x = try await entry(id, in: actor.scope)
        if let refusal = DisclosureRules.checkAction(.approve, status: x.status) { throw RegistryError.conflict(refusal) }
        let at = nowSeconds, who = actor.audit.username
        try await db.writeTransaction { db in
            let changed = try await SQLHelpers.sql(db).update("disclosure_ledger_entries").set("status", to: SQLBind(LedgerEntryStatus.approved.rawValue))
                .set("approved_by", to: SQLBind(who)).set("approved_at", to: SQLBind(at)).set("version", to: SQLBind(x.version + 1))
                .where("id", .equal, SQLBind(id)).where("status", .equal, SQLBind(LedgerEntryStatus.pending.rawValue)).returning("id").all()
            if changed.isEmpty { throw RegistryError.conflict(FieldError("status", "该笔账目已审核")) }
            try await AuditLog.append([AuditEvent(DisclosureAudit.approve, target: .ledgerEntry(id))], by: actor.audit, on: db)
        }
        return try await entry(id, in: actor.scope)
    }

    /// A reversing entry (冲正) of an approved or published entry, dated `on` (today by default), same direction,
    /// subject and amount, pointing at it. An entry is reversed once.
    public func reverse(_ id: UUID, on date: CivilDate?, voucherNo: String?, by actor: DisclosureActor) async throws -> LedgerEntryRecord {
        guard actor.mayWrite else { throw RegistryError.forbidden("您没有记账的权限") }
        let x = try await entry(id, in: actor.scope)
        if x.reversesId != nil { throw RegistryError.conflict(FieldError("reverses_id", "冲正分录不能再冲正")) }
        if let refusal = DisclosureRules.checkAction(.reverse, status: x.status) { throw RegistryError.conflict(refusal) }
        let on = date ?? today
        let voucher = voucherNo?.trimmedOrNil ?? "冲\(x.voucherNo)"
        let errors = DisclosureRules.check(LedgerEntryInput(direction: x.direction, onDate: on, subject: x.subject, counterpart: x.counterpart,
                                                            amountFen: x.amountFen, voucherNo: voucher), today: today)
        guard errors.isEmpty else { throw RegistryError.invalid(errors) }
        let newID = UUID(), at = nowSeconds, q = Quarter.of(on)
        try await db.writeTransaction { db in
            try await refusePublishedQuarter(x.communityCode, q, on: db)
            let marked = try await SQLHelpers.sql(db).update("disclosure_ledger_entries").set("reversed_by_id", to: SQLBind(newID))
                .where("id", .equal, SQLBind(id)).where("reversed_by_id", .is, SQLLiteral.null).returning("id").all()
            if marked.isEmpty { throw RegistryError.conflict(FieldError("reversed_by_id", "该笔账目已冲正")) }
            try await insertEntry(db, id: newID, community: x.communityCode, quarter: q, direction: x.direction, on: on, subject: x.subject,
                                  counterpart: x.counterpart, amount: x.amountFen, voucher: voucher, reverses: id, by: actor.audit.username, at: at)
            try await AuditLog.append([AuditEvent(DisclosureAudit.reverse, target: .ledgerEntry(newID), detail: ["reverses": id.uuidString])],
                                      by: actor.audit, on: db)
        }
        return try await entry(newID, in: actor.scope)
    }
}
