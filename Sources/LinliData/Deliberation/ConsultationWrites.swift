import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 网上议事's writes: a community publishes a proposal; its residents (account linked to the registry) support it
/// once each and comment; a worker hides a comment with its reason; the community closes it with a decision and a
/// response. The counts on the proposal row change in the same transaction as the support or comment.
extension DeliberationQueries {
    public func propose(community raw: String?, _ input: ProposalInput, by actor: DeliberationActor) async throws -> ProposalRecord {
        try writer(actor)
        var errors = DeliberationRules.check(input, today: today)
        var division: DivisionRecord?
        do { division = try await community(raw, in: actor.scope) } catch RegistryError.invalid(let e) { errors += e }
        guard errors.isEmpty, let division, let deadline = input.deadline else { throw RegistryError.invalid(errors) }
        let id = UUID(), at = nowSeconds
        try await db.writeTransaction { db in
            try await SQLHelpers.sql(db).insert(into: "consultation_proposals")
                .columns("id", "community_code", "title", "what", "why", "cost", "deadline", "published_on", "state", "decision", "response", "supports", "comments",
                         "version", "created_by", "created_at", "closed_at")
                .values(SQLBind(id), SQLBind(division.code), SQLBind(input.title!.trimmed), SQLBind(input.what!.trimmed), SQLBind(input.why!.trimmed),
                        SQLBind(input.cost), SQLBind(deadline.description), SQLBind(today.description), SQLBind(ProposalState.open.rawValue),
                        SQLBind(String?.none), SQLBind(String?.none), SQLBind(0), SQLBind(0), SQLBind(1), SQLBind(actor.audit.username), SQLBind(at),
                        SQLBind(Int64?.none))
                .run()
            try await AuditLog.append([AuditEvent(DeliberationAudit.propose, target: .proposal(id), detail: ["community": division.code])], by: actor.audit, on: db)
        }
        return try await proposal(id, in: actor.scope)
    }

    /// What a resident's participation is refused for, if anything (the resident's community from the registry).
    public func participationRefusal(_ what: DeliberationRules.Participation, _ p: ProposalRecord, resident: ResidentRecord?) -> FieldError? {
        let mine = resident.flatMap { $0.lifeStatus == .active ? String($0.gridCode.prefix(12)) : nil }
        return DeliberationRules.mayTakePart(what, residentCommunity: resident == nil ? nil : (mine ?? ""), community: p.communityCode,
                                             communityName: p.communityName ?? p.communityCode, state: p.state, deadline: CivilDate(p.deadline) ?? today,
                                             today: today)
    }

    /// One support per resident and proposal: a second is 409 at `support` and changes nothing.
    public func support(_ proposalID: UUID, resident: ResidentRecord?, by actor: AuditActor) async throws -> ProposalRecord {
        let p = try await proposal(proposalID, in: .everything)
        if let refused = participationRefusal(.support, p, resident: resident) { throw RegistryError.invalid([refused]) }
        guard let resident else { throw RegistryError.invalid([FieldError("account", "请先完成实名核验")]) }
        let at = nowSeconds
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            let added = try await sql.raw("""
                INSERT INTO consultation_supports (proposal_id, resident_id, created_at) VALUES (\(bind: proposalID), \(bind: resident.id), \(bind: at))
                ON CONFLICT (proposal_id, resident_id) DO NOTHING RETURNING resident_id
                """).first()
            if added == nil { throw RegistryError.conflict(FieldError("support", "您已支持过这个议题（每位居民支持一次）")) }
            try await sql.raw("UPDATE consultation_proposals SET supports = supports + 1 WHERE id = \(bind: proposalID)").run()
            try await AuditLog.append([AuditEvent(DeliberationAudit.support, target: .proposal(proposalID))], by: actor, on: db)
        }
        return try await proposal(proposalID, in: .everything)
    }

    public func comment(_ proposalID: UUID, body: String?, resident: ResidentRecord?, by actor: AuditActor) async throws -> CommentRecord {
        let p = try await proposal(proposalID, in: .everything)
        if let refused = participationRefusal(.comment, p, resident: resident) { throw RegistryError.invalid([refused]) }
        let errors = DeliberationRules.checkComment(body)
        guard errors.isEmpty, let text = body?.trimmedOrNil, let resident else { throw RegistryError.invalid(errors) }
        let id = UUID(), at = nowSeconds
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            try await sql.insert(into: "consultation_comments")
                .columns("id", "proposal_id", "resident_id", "author", "body", "hidden", "hide_reason", "hidden_by", "created_at")
                .values(SQLBind(id), SQLBind(proposalID), SQLBind(resident.id), SQLBind(Masking.name(resident.name)), SQLBind(text), SQLBind(false),
                        SQLBind(String?.none), SQLBind(String?.none), SQLBind(at))
                .run()
            try await sql.raw("UPDATE consultation_proposals SET comments = comments + 1 WHERE id = \(bind: proposalID)").run()
            try await AuditLog.append([AuditEvent(DeliberationAudit.comment, target: .proposal(proposalID))], by: actor, on: db)
        }
        guard let c = try await sql.select().columns("id", "proposal_id", "resident_id", "author", "body", "hidden", "hide_reason", "hidden_by", "created_at")
            .from("consultation_comments").where("id", .equal, SQLBind(id)).first() else { throw RegistryError.notFound("评论") }
        return try c.decodeRecord(CommentRecord.self)
    }

    /// Hides a comment of a proposal of the caller's area, with the reason shown in its place and audited. Hiding twice is 409.
    public func hideComment(_ commentID: UUID, reason: String?, by actor: DeliberationActor) async throws -> CommentRecord {
        guard actor.mayModerate else { throw RegistryError.forbidden("您没有管理网上议事评论的权限") }
        let select = sql.select().columns("id", "proposal_id", "resident_id", "author", "body", "hidden", "hide_reason", "hidden_by", "created_at")
            .from("consultation_comments").where("id", .equal, SQLBind(commentID))
        guard let row = try await select.first() else { throw RegistryError.notFound("评论") }
        let c = try row.decodeRecord(CommentRecord.self)
        _ = try await proposal(c.proposalId, in: actor.scope)
        let errors = DeliberationRules.checkHide(reason: reason)
        guard errors.isEmpty, let why = reason?.trimmedOrNil else { throw RegistryError.invalid(errors) }
        try await db.writeTransaction { db in
            let changed = try await SQLHelpers.sql(db).update("consultation_comments").set("hidden", to: SQLBind(true)).set("hide_reason", to: SQLBind(why))
                .set("hidden_by", to: SQLBind(actor.audit.username)).where("id", .equal, SQLBind(commentID)).where("hidden", .equal, SQLBind(false))
                .returning("id").all()
            if changed.isEmpty { throw RegistryError.conflictingState("该评论已被隐藏") }
            try await AuditLog.append([AuditEvent(DeliberationAudit.hide, target: .proposal(c.proposalId), detail: ["comment": commentID.uuidString, "reason": why])],
                                      by: actor.audit, on: db)
        }
        guard let after = try await select.first() else { throw RegistryError.notFound("评论") }
        return try after.decodeRecord(CommentRecord.self)
    }

    /// Closes an open proposal with the community's decision and its response to the main comments.
    public func close(_ proposalID: UUID, decision: String?, response: String?, version: Int, by actor: DeliberationActor) async throws -> ProposalRecord {
        try writer(actor)
        let p = try await proposal(proposalID, in: actor.scope)
        let errors = DeliberationRules.checkClose(decision: decision, response: response)
        guard errors.isEmpty, let d = decision?.trimmedOrNil, let r = response?.trimmedOrNil else { throw RegistryError.invalid(errors) }
        guard p.state == .open else { throw RegistryError.conflictingState("该议题已答复") }
        guard version == p.version else { throw RegistryError.staleVersion(current: p.version) }
        let at = nowSeconds, next = p.version + 1
        try await db.writeTransaction { db in
            let changed = try await SQLHelpers.sql(db).update("consultation_proposals").set("state", to: SQLBind(ProposalState.closed.rawValue))
                .set("decision", to: SQLBind(d)).set("response", to: SQLBind(r)).set("closed_at", to: SQLBind(at)).set("version", to: SQLBind(next))
                .where("id", .equal, SQLBind(proposalID)).where("version", .equal, SQLBind(version)).returning("id").all()
            if changed.isEmpty { throw RegistryError.staleVersion(current: p.version) }
            try await AuditLog.append([AuditEvent(DeliberationAudit.close, target: .proposal(proposalID))], by: actor.audit, on: db)
        }
        return try await proposal(proposalID, in: actor.scope)
    }
}
