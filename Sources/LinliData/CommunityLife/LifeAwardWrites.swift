import FluentKit
import Foundation
import LinliCore
import SQLKit

/// Awards (评选): campaigns of a street or the district, nominations by workers, the public notice (公示) with
/// objections, the result. A campaign is seen by its runner and by every worker under it; nominations by the
/// workers of their community. Each write is one transaction with its audit entry.
extension LifeQueries {
    var campaignSelect: SQLSelectBuilder {
        var q = sql.select()
        for c in ["id", "scope_prefix", "year", "kind", "stage", "notice_from", "notice_to", "version"] { q = q.column(SQLColumn(c, table: "c")) }
        return q.from(table("life_award_campaigns", "c"))
    }

    /// Whether a campaign run over `prefix` concerns `scope` (runner above, or worker below).
    static func concerns(_ prefix: String, _ scope: RegistryScope) -> Bool {
        prefix.hasPrefix(scope.prefix) || scope.prefix.hasPrefix(prefix)
    }

    /// The campaigns that concern the area, newest year first (a few dozen at most: a kind a year per street).
    public func campaigns(in scope: RegistryScope) async throws -> [AwardCampaignRecord] {
        try await campaignSelect.orderBy(SQLOrderBy(expression: SQLColumn("year", table: "c"), direction: SQLDirection.descending))
            .orderBy(SQLColumn("kind", table: "c")).orderBy(SQLColumn("scope_prefix", table: "c")).limit(2000).all()
            .map { try $0.decodeRecord(AwardCampaignRecord.self) }.filter { Self.concerns($0.scopePrefix, scope) }
    }

    public func campaign(_ id: UUID, in scope: RegistryScope?) async throws -> AwardCampaignRecord? {
        guard let c = try await campaignSelect.where(SQLColumn("id", table: "c"), .equal, SQLBind(id)).first()?.decodeRecord(AwardCampaignRecord.self) else { return nil }
        if let scope { return Self.concerns(c.scopePrefix, scope) ? c : nil }
        // The portal shows a campaign once its notice has begun.
        return c.stage == .nominating ? nil : c
    }

    func requireCampaign(_ id: UUID, in scope: RegistryScope?) async throws -> AwardCampaignRecord {
        guard let c = try await campaign(id, in: scope) else { throw RegistryError.notFound("评选") }
        return c
    }

    /// Campaigns in their notice or decided, for the portal, newest first.
    public func publicCampaigns() async throws -> [AwardCampaignRecord] {
        try await campaignSelect.where(SQLColumn("stage", table: "c"), .notEqual, SQLBind(AwardStage.nominating.rawValue))
            .orderBy(SQLOrderBy(expression: SQLColumn("notice_from", table: "c"), direction: SQLDirection.descending)).limit(100).all()
            .map { try $0.decodeRecord(AwardCampaignRecord.self) }
    }

    /// A campaign's nominations; `scope` narrows them to the caller's communities (nil: all, for the notice).
    public func nominations(of campaign: UUID, in scope: RegistryScope?) async throws -> [AwardNominationRecord] {
        var q = sql.select()
        for c in ["id", "campaign_id", "community_code", "nominee_kind", "nominee_name", "reason", "result", "objections"] { q = q.column(SQLColumn(c, table: "n")) }
        q = withCommunityName(q.from(table("life_award_nominations", "n")), "n").where(SQLColumn("campaign_id", table: "n"), .equal, SQLBind(campaign))
        if let scope { q = q.wherePrefix("n.community_code", Self.communityPrefix(scope), sqlite: sqlite) }
        return try await q.orderBy(SQLColumn("community_code", table: "n")).orderBy(SQLColumn("created_at", table: "n")).limit(2000).all()
            .map { try $0.decodeRecord(AwardNominationRecord.self) }
    }

    public func objections(of campaign: UUID) async throws -> [AwardObjectionRecord] {
        try await sql.select().columns("id", "nomination_id", "name", "body", "created_at").from("life_award_objections")
            .where("campaign_id", .equal, SQLBind(campaign)).orderBy("created_at").limit(1000).all().map { try $0.decodeRecord(AwardObjectionRecord.self) }
    }

    /// Nominations of the area's campaigns whose notice is over and that wait for the result: the street's tile.
    public func nominationsToDecide(in scope: RegistryScope) async throws -> Int {
        let ids = try await campaigns(in: scope).filter { $0.stage == .notice && ($0.noticeTo.flatMap(CivilDate.init).map { $0 < localToday } ?? false) }.map(\.id)
        guard !ids.isEmpty else { return 0 }
        return try await SQLHelpers.count(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("life_award_nominations")
            .where("campaign_id", .in, SQLBind.group(ids)))
    }

    /// Opens a campaign of the caller's street or district for a year and kind; the same again is 409.
    public func createCampaign(year: Int?, kind: AwardKind?, by actor: LifeActor) async throws -> AwardCampaignRecord {
        guard actor.mayAward else { throw RegistryError.forbidden("您没有组织评选的权限") }
        var errors: [FieldError] = []
        if let e = AwardRules.checkYear(year) { errors.append(e) }
        if kind == nil { errors.append(FieldError("kind", "请选择评选类别")) }
        let prefix = actor.scope.prefix
        if !(prefix.count == 6 || prefix.count == 9) { errors.append(FieldError("kind", "评选由镇（街道）或区组织")) }
        guard errors.isEmpty, let year, let kind else { throw RegistryError.invalid(errors) }
        let id = UUID(), at = nowSeconds
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            if try await sql.select().column("id").from("life_award_campaigns").where("scope_prefix", .equal, SQLBind(prefix))
                .where("year", .equal, SQLBind(year)).where("kind", .equal, SQLBind(kind.rawValue)).first() != nil {
                throw RegistryError.conflict(FieldError("kind", "\(year)年度\(kind.label)评选已经开始"))
            }
            try await sql.insert(into: "life_award_campaigns").columns("id", "scope_prefix", "year", "kind", "stage", "version", "created_by", "created_at")
                .values(SQLBind(id), SQLBind(prefix), SQLBind(year), SQLBind(kind.rawValue), SQLBind(AwardStage.nominating.rawValue), SQLBind(1),
                        SQLBind(actor.audit.username), SQLBind(at)).run()
            try await AuditLog.append([AuditEvent(LifeAudit.campaignCreate, target: .lifeAward(id), detail: ["kind": kind.rawValue, "year": String(year)])], by: actor.audit, on: db)
        }
        return try await requireCampaign(id, in: actor.scope)
    }

    /// What a nomination names: a household (by id), a resident (by id) or a community (by code).
    public enum Nominee: Sendable { case household(UUID), resident(UUID), community(String) }

    /// A worker nominates someone of their area for a campaign that concerns it, while nominations are open.
    public func nominate(_ campaignID: UUID, _ nominee: Nominee?, reason: String?, by actor: LifeActor) async throws -> AwardNominationRecord {
        guard actor.mayManage else { throw RegistryError.forbidden("您没有推荐的权限") }
        let c = try await requireCampaign(campaignID, in: actor.scope)
        if let e = AwardRules.mayNominate(c.stage) { throw RegistryError.conflictingState(e) }
        var errors: [FieldError] = []
        if let e = AwardRules.checkReason(reason) { errors.append(e) }
        var found: (community: String, key: String, name: String, household: UUID?, resident: UUID?)?
        switch (c.kind.nominee, nominee) {
        case (.household, .household(let id)?):
            if let row = try await sql.select().columns("grid_code").from(Household.schema).where("id", .equal, SQLBind(id)).first() {
                let grid = try row.decode(column: "grid_code", as: String.self)
                let head = try await sql.select().column("name").from(Resident.schema).where("household_id", .equal, SQLBind(id))
                    .where("relation", .equal, SQLBind(HouseholdRelation.head.rawValue)).first()?.decode(column: "name", as: String.self)
                if actor.scope.contains(code: grid) || Self.sees(actor.scope, community: String(grid.prefix(12))) {
                    found = (String(grid.prefix(12)), id.uuidString, head ?? "户", id, nil)
                }
            }
            if found == nil { errors.append(FieldError("household_id", "本辖区没有这一户")) }
        case (.resident, .resident(let id)?):
            if let row = try await sql.select().columns("grid_code", "name").from(Resident.schema).where("id", .equal, SQLBind(id)).first() {
                let grid = try row.decode(column: "grid_code", as: String.self)
                if actor.scope.contains(code: grid) || Self.sees(actor.scope, community: String(grid.prefix(12))) {
                    found = (String(grid.prefix(12)), id.uuidString, try row.decode(column: "name", as: String.self), nil, id)
                }
            }
            if found == nil { errors.append(FieldError("resident_id", "本辖区没有这位居民")) }
        case (.community, .community(let code)?):
            if let d = try await DivisionQueries(db).find(code: code), d.level == .community, actor.scope.contains(code: code) || Self.sees(actor.scope, community: code) {
                found = (code, code, d.name, nil, nil)
            } else { errors.append(FieldError("community_code", "本辖区没有这个村/社区")) }
        case (.household, _): errors.append(FieldError("household_id", "\(c.kind.label)评选请推荐家庭"))
        case (.resident, _): errors.append(FieldError("resident_id", "\(c.kind.label)评选请推荐居民"))
        case (.community, _): errors.append(FieldError("community_code", "\(c.kind.label)评选请推荐村/社区"))
        }
        if let f = found, !f.community.hasPrefix(c.scopePrefix) { errors.append(FieldError("community_code", "被推荐对象不在本次评选的范围内")) }
        guard errors.isEmpty, let f = found else { throw RegistryError.invalid(errors) }
        let id = UUID(), at = nowSeconds
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            if try await sql.select().column("id").from("life_award_nominations").where("campaign_id", .equal, SQLBind(campaignID))
                .where("nominee_key", .equal, SQLBind(f.key)).first() != nil {
                throw RegistryError.conflict(FieldError(c.kind.nominee == .household ? "household_id" : c.kind.nominee == .resident ? "resident_id" : "community_code",
                                                        "已经推荐过"))
            }
            try await sql.insert(into: "life_award_nominations")
                .columns("id", "campaign_id", "community_code", "nominee_kind", "nominee_key", "household_id", "resident_id", "nominee_name", "reason",
                         "result", "objections", "nominated_by", "created_at")
                .values(SQLBind(id), SQLBind(campaignID), SQLBind(f.community), SQLBind(c.kind.nominee.rawValue), SQLBind(f.key), SQLBind(f.household),
                        SQLBind(f.resident), SQLBind(f.name), SQLBind(LifeRules.text(reason)), SQLBind(AwardResult.pending.rawValue), SQLBind(0),
                        SQLBind(actor.audit.username), SQLBind(at)).run()
            try await AuditLog.append([AuditEvent(LifeAudit.nominate, target: .lifeAward(campaignID), detail: ["nomination": id.uuidString])], by: actor.audit, on: db)
        }
        guard let n = try await nominations(of: campaignID, in: nil).first(where: { $0.id == id }) else { throw RegistryError.notFound("推荐") }
        return n
    }

    /// Publishes the nominations (公示) from `from` to `to`, at the version read.
    public func startNotice(_ campaignID: UUID, from: CivilDate?, to: CivilDate?, version: Int, by actor: LifeActor) async throws -> AwardCampaignRecord {
        guard actor.mayAward else { throw RegistryError.forbidden("您没有组织评选的权限") }
        let c = try await requireCampaign(campaignID, in: actor.scope)
        guard c.scopePrefix == actor.scope.prefix else { throw RegistryError.forbidden("只有组织评选的镇（街道）或区可以公示") }
        guard c.stage == .nominating else { throw RegistryError.conflictingState("评选已\(c.stage.label)") }
        let errors = AwardRules.checkNotice(from: from, to: to, today: localToday)
        guard errors.isEmpty, let from, let to else { throw RegistryError.invalid(errors) }
        guard try await !nominations(of: campaignID, in: nil).isEmpty else { throw RegistryError.conflictingState("还没有推荐对象，不能公示") }
        try await db.writeTransaction { db in
            let changed = try await SQLHelpers.sql(db).update("life_award_campaigns").set("stage", to: SQLBind(AwardStage.notice.rawValue))
                .set("notice_from", to: SQLBind(from.description)).set("notice_to", to: SQLBind(to.description)).set("version", to: SQLBind(version + 1))
                .where("id", .equal, SQLBind(campaignID)).where("version", .equal, SQLBind(version)).returning("id").all()
            if changed.isEmpty { throw RegistryError.staleVersion(current: c.version) }
            try await AuditLog.append([AuditEvent(LifeAudit.notice, target: .lifeAward(campaignID), detail: ["from": from.description, "to": to.description])],
                                      by: actor.audit, on: db)
        }
        return try await requireCampaign(campaignID, in: actor.scope)
    }

    /// An objection to a nomination during the notice, from anyone (the name as given; nothing of it shown back).
    public func object(_ campaignID: UUID, nomination: UUID?, name: String?, body: String?, by actor: AuditActor) async throws {
        let c = try await requireCampaign(campaignID, in: nil)
        guard AwardRules.mayObject(c.stage, from: c.noticeFrom.flatMap(CivilDate.init), to: c.noticeTo.flatMap(CivilDate.init), today: localToday) else {
            throw RegistryError.conflictingState("不在公示期内，不能提出异议")
        }
        let n = LifeRules.text(name), text = LifeRules.text(body)
        var errors: [FieldError] = []
        if n.isEmpty || n.count > 30 { errors.append(FieldError("name", "请填写姓名（30字以内）")) }
        if text.isEmpty || text.count > 1000 { errors.append(FieldError("body", "请填写异议的事实和理由（1000字以内）")) }
        guard let nomination, try await nominations(of: campaignID, in: nil).contains(where: { $0.id == nomination }) else {
            throw RegistryError.invalid(errors + [FieldError("nomination_id", "请选择对哪一位（户）提出异议")])
        }
        guard errors.isEmpty else { throw RegistryError.invalid(errors) }
        let id = UUID(), at = nowSeconds
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            try await sql.insert(into: "life_award_objections").columns("id", "nomination_id", "campaign_id", "name", "body", "created_at")
                .values(SQLBind(id), SQLBind(nomination), SQLBind(campaignID), SQLBind(n), SQLBind(text), SQLBind(at)).run()
            try await sql.raw("UPDATE life_award_nominations SET objections = objections + 1 WHERE id = \(bind: nomination)").run()
            try await AuditLog.append([AuditEvent(LifeAudit.objection, target: .lifeAward(campaignID), detail: ["objection": id.uuidString])], by: actor, on: db)
        }
    }

    /// Records the result once the notice is over: `awarded` are named, every other nomination is not.
    public func decide(_ campaignID: UUID, awarded: Set<UUID>, version: Int, by actor: LifeActor) async throws -> AwardCampaignRecord {
        guard actor.mayAward else { throw RegistryError.forbidden("您没有评定的权限") }
        let c = try await requireCampaign(campaignID, in: actor.scope)
        guard c.scopePrefix == actor.scope.prefix else { throw RegistryError.forbidden("只有组织评选的镇（街道）或区可以评定") }
        if let e = AwardRules.mayDecide(c.stage, to: c.noticeTo.flatMap(CivilDate.init), today: localToday) { throw RegistryError.conflictingState(e) }
        let all = Set(try await nominations(of: campaignID, in: nil).map(\.id))
        guard awarded.isSubset(of: all) else { throw RegistryError.invalid([FieldError("awarded", "评为的应是本次评选的推荐对象")]) }
        let at = nowSeconds
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            let changed = try await sql.update("life_award_campaigns").set("stage", to: SQLBind(AwardStage.decided.rawValue))
                .set("decided_by", to: SQLBind(actor.audit.username)).set("decided_at", to: SQLBind(at)).set("version", to: SQLBind(version + 1))
                .where("id", .equal, SQLBind(campaignID)).where("version", .equal, SQLBind(version)).returning("id").all()
            if changed.isEmpty { throw RegistryError.staleVersion(current: c.version) }
            try await sql.update("life_award_nominations").set("result", to: SQLBind(AwardResult.notAwarded.rawValue)).where("campaign_id", .equal, SQLBind(campaignID)).run()
            if !awarded.isEmpty {
                try await sql.update("life_award_nominations").set("result", to: SQLBind(AwardResult.awarded.rawValue)).where("campaign_id", .equal, SQLBind(campaignID))
                    .where("id", .in, SQLBind.group(Array(awarded))).run()
            }
            try await AuditLog.append([AuditEvent(LifeAudit.decide, target: .lifeAward(campaignID), detail: ["awarded": String(awarded.count)])], by: actor.audit, on: db)
        }
        return try await requireCampaign(campaignID, in: actor.scope)
    }
}

extension LifeQueries {
    /// A household of the area by its number, for the nomination form.
    public func household(number: String, in scope: RegistryScope) async throws -> UUID? {
        guard let row = try await sql.select().columns("id", "grid_code").from(Household.schema).where("number", .equal, SQLBind(number)).first() else { return nil }
        let grid = try row.decode(column: "grid_code", as: String.self)
        return scope.contains(code: grid) || Self.sees(scope, community: String(grid.prefix(12))) ? try row.decode(column: "id", as: UUID.self) : nil
    }
}
