import FluentKit
import Foundation
import LinliCore
import SQLKit

/// Objections (异议) to a published roll, lodged on the portal without signing in, answered by the community.
extension ElectionsQueries {
    /// Lodges an objection to a published roll. Nothing of it is echoed back to the portal.
    public func lodgeObjection(_ id: UUID, name: String?, contact: String?, body: String?, by actor: AuditActor) async throws {
        guard let e = try await election(id, in: .everything), e.status == .rollPublished || e.status == .candidatesPublished else {
            throw RegistryError.notFound("公布中的选民名单")
        }
        let n = name?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "", c = contact?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let text = body?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        var errors: [FieldError] = []
        if n.isEmpty || n.count > 30 { errors.append(FieldError("name", "请填写姓名（30字以内）")) }
        if c.isEmpty || c.count > 60 { errors.append(FieldError("contact", "请填写联系方式（60字以内），以便答复")) }
        if text.isEmpty || text.count > 1000 { errors.append(FieldError("body", "请填写异议的事实和理由（1000字以内）")) }
        guard errors.isEmpty else { throw RegistryError.invalid(errors) }
        let oid = UUID(), at = nowSeconds, sealed = try cipher.seal(c)
        try await db.writeTransaction { db in
            try await SQLHelpers.sql(db).insert(into: "election_objections").columns("id", "election_id", "name", "contact_cipher", "body", "created_at")
                .values(SQLBind(oid), SQLBind(id), SQLBind(n), SQLBind(sealed), SQLBind(text), SQLBind(at)).run()
            try await AuditLog.append([AuditEvent(ElectionsAudit.objection, target: .election(id), detail: ["objection": oid.uuidString])], by: actor, on: db)
        }
    }

    /// The community's answer to an objection, once; a correction of the roll it leads to is a separate, audited write.
    public func answerObjection(_ id: UUID, objection: UUID, answer: String?, by actor: ElectionsActor) async throws {
        _ = try await writable(id, by: actor)
        let text = answer?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard !text.isEmpty, text.count <= 1000 else { throw RegistryError.invalid([FieldError("answer", "请填写答复（1000字以内）")]) }
        try await db.writeTransaction { db in
            let changed = try await SQLHelpers.sql(db).update("election_objections").set("answer", to: SQLBind(text))
                .set("answered_by", to: SQLBind(actor.audit.username)).set("answered_at", to: SQLBind(nowSeconds))
                .where("id", .equal, SQLBind(objection)).where("election_id", .equal, SQLBind(id)).where("answer", .is, SQLLiteral.null)
                .returning("id").all()
            if changed.isEmpty { throw RegistryError.conflictingState("该异议不存在或已答复") }
            try await AuditLog.append([AuditEvent(ElectionsAudit.answer, target: .election(id), detail: ["objection": objection.uuidString])],
                                      by: actor.audit, on: db)
        }
    }
}

extension ElectionsQueries {
    /// For the home page: elections of the scope under way (not yet closed), and objections to their rolls not yet answered.
    public func homeFigures(in scope: RegistryScope) async throws -> (underWay: Int, unanswered: Int) {
        let open = [ElectionStatus.preparing, .rollPublished, .candidatesPublished, .furtherRound].map { SQLBind($0.rawValue) }
        let underWay = try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("elections")
            .wherePrefix("community_code", Self.communityPrefix(scope), sqlite: sqlite).where("status", .in, SQLGroupExpression(open))
            .first()?.decode(column: "n", as: Int.self) ?? 0
        let unanswered = try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(SQLAlias(SQLIdentifier("election_objections"), as: SQLIdentifier("o")))
            .join(SQLAlias(SQLIdentifier("elections"), as: SQLIdentifier("e")), on: SQLColumn("election_id", table: "o"), .equal, SQLColumn("id", table: "e"))
            .wherePrefix("e.community_code", Self.communityPrefix(scope), sqlite: sqlite)
            .where(SQLColumn("answered_at", table: "o"), .is, SQLLiteral.null)
            .first()?.decode(column: "n", as: Int.self) ?? 0
        return (underWay, unanswered)
    }
}
