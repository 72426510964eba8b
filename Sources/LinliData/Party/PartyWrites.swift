import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 社区党建's writes, each one transaction with its audit entry. A member's record and the registry's 党员 tag are
/// written together (`FollowedTags`), so the tag can never disagree with the roll; organization tallies (`members`)
/// and the area's tally (`PartyTally`) change in the same transaction as the membership.
extension PartyQueries {
    /// What a member's rules need of the person: birth date, grid, and whether they are on the roll (在册).
    func residentFacts(_ id: UUID) async throws -> (birth: CivilDate?, grid: String, active: Bool)? {
        guard let row = try await sql.raw("SELECT birth_date, grid_code, life_status FROM residents WHERE id = \(bind: id)").first() else { return nil }
        return (CivilDate(try row.decode(column: "birth_date", as: String.self)), try row.decode(column: "grid_code", as: String.self),
                try row.decode(column: "life_status", as: String.self) == LifeStatus.active.rawValue)
    }

    func requireOrg(_ id: UUID, in scope: RegistryScope) async throws -> PartyOrgRecord {
        guard let o = try await org(id, in: scope) else { throw RegistryError.notFound("党组织") }
        return o
    }

    public func createOrg(_ input: PartyOrgInput, by actor: PartyActor) async throws -> PartyOrgRecord {
        var parent: PartyOrgRecord?
        if let p = input.parentId {
            guard let found = try await org(p, in: actor.scope) else { throw RegistryError.invalid([FieldError("parent_id", "本辖区没有这个上级组织")]) }
            parent = found
        }
        var o = input
        // A group sits in its parent's community; others name theirs.
        if o.kind == .group, o.divisionCode?.trimmedOrNil == nil { o.divisionCode = parent?.divisionCode }
        o.divisionCode = o.divisionCode?.trimmingCharacters(in: .whitespaces)
        let errors = PartyRules.check(o, parentKind: parent?.kind, parentDivision: parent?.divisionCode)
        guard errors.isEmpty, let kind = o.kind, let code = o.divisionCode, let name = o.name?.trimmedOrNil else { throw RegistryError.invalid(errors) }
        guard actor.scope.contains(code: code), try await DivisionQueries(db).find(code: code) != nil else {
            throw RegistryError.invalid([FieldError("division_code", "本辖区没有区划 \(code)")])
        }
        if let s = o.secretaryMemberId, try await member(s, in: actor.scope) == nil {
            throw RegistryError.invalid([FieldError("secretary_member_id", "书记应为本辖区登记的党员")])
        }
        let id = UUID(), at = nowSeconds, parentID = parent?.id, functional = o.functionalKind?.rawValue, secretary = o.secretaryMemberId
        try await db.writeTransaction { db in
            try await SQLHelpers.sql(db).raw("""
                INSERT INTO party_orgs (id, parent_id, kind, functional_kind, name, name_pinyin, division_code, secretary_member_id, members, version, created_by, created_at)
                VALUES (\(bind: id), \(bind: parentID), \(bind: kind.rawValue), \(bind: functional), \(bind: name),
                        \(bind: Pinyin.reading(ofName: name).initials), \(bind: code), \(bind: secretary), 0, 1, \(bind: actor.audit.username), \(bind: at))
                """).run()
            try await AuditLog.append([AuditEvent(PartyAudit.createOrg, target: .partyOrg(id), detail: ["kind": kind.rawValue, "division": code])],
                                      by: actor.audit, on: db)
        }
        return try await requireOrg(id, in: actor.scope)
    }

    /// Renames an organization, changes its secretary or a group's functional kind; stale versions 409.
    public func updateOrg(_ id: UUID, name: String?, secretaryMemberId: UUID?, functionalKind: FunctionalKind?, version: Int, by actor: PartyActor) async throws -> PartyOrgRecord {
        let o = try await requireOrg(id, in: actor.scope)
        guard actor.scope.contains(code: o.divisionCode) else { throw RegistryError.forbidden("上级党组织的信息由其所在辖区维护") }
        let input = PartyOrgInput(name: name ?? o.name, kind: o.kind, functionalKind: o.kind == .group ? functionalKind : nil, parentId: o.parentId,
                                  divisionCode: o.divisionCode, secretaryMemberId: secretaryMemberId)
        var parentKind: PartyOrgKind?, parentDivision: String?
        if let p = o.parentId, let po = try await org(p, in: .everything) { parentKind = po.kind; parentDivision = po.divisionCode }
        var errors = PartyRules.check(input, parentKind: parentKind, parentDivision: parentDivision)
        if functionalKind != nil && o.kind != .group { errors.append(FieldError("functional_kind", "只有党小组可设为功能型党小组")) }
        guard errors.isEmpty, let newName = input.name?.trimmedOrNil else { throw RegistryError.invalid(errors) }
        if let s = secretaryMemberId, try await member(s, in: actor.scope) == nil {
            throw RegistryError.invalid([FieldError("secretary_member_id", "书记应为本辖区登记的党员")])
        }
        try await db.writeTransaction { db in
            let changed = try await SQLHelpers.sql(db).raw("""
                UPDATE party_orgs SET name = \(bind: newName), name_pinyin = \(bind: Pinyin.reading(ofName: newName).initials),
                    secretary_member_id = \(bind: secretaryMemberId), functional_kind = \(bind: input.functionalKind?.rawValue), version = version + 1
                WHERE id = \(bind: id) AND version = \(bind: version) RETURNING version
                """).all()
            guard !changed.isEmpty else { throw RegistryError.staleVersion(current: o.version) }
            try await AuditLog.append([AuditEvent(PartyAudit.updateOrg, target: .partyOrg(id), detail: ["name": newName])], by: actor.audit, on: db)
        }
        return try await requireOrg(id, in: actor.scope)
    }

    /// The organization and groups of a member as typed, checked: the organization holds members and is in the
    /// area; each group is a 党小组 of the area.
    func checkPlacement(_ m: PartyMemberInput, in scope: RegistryScope) async throws {
        if let o = m.orgId {
            guard let org = try await org(o, in: scope) else { throw RegistryError.invalid([FieldError("org_id", "本辖区没有这个党组织")]) }
            guard org.kind.holdsMembers else { throw RegistryError.invalid([FieldError("org_id", "党员应编入党支部、党总支或党委，党小组请在“参加的党小组”中选择")]) }
        }
        for g in m.groupIds {
            guard let group = try await org(g, in: scope), group.kind == .group else {
                throw RegistryError.invalid([FieldError("group_ids", "本辖区没有这个党小组")])
            }
        }
    }

    /// Registers a resident of the area as a party member: one record per person (a second, or a person already in
    /// another organization, is 409), written with the 党员 tag, the organization's and groups' tallies, audited.
    public func addMember(_ m: PartyMemberInput, by actor: PartyActor) async throws -> PartyMemberRecord {
        guard let rid = m.residentId else { throw RegistryError.invalid([FieldError("resident_id", "请选择已在人口信息库登记的居民")]) }
        guard let resident = try await residentFacts(rid), actor.scope.contains(code: resident.grid), resident.active else {
            throw RegistryError.invalid([FieldError("resident_id", "党员须是本辖区人口信息库中在册的居民，请先登记")])
        }
        let errors = PartyRules.check(m, birthDate: resident.birth, today: today)
        guard errors.isEmpty, let joined = m.joinedOn else { throw RegistryError.invalid(errors) }
        try await checkPlacement(m, in: actor.scope)
        let id = UUID(), at = nowSeconds, day = today
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            if !db.isSQLite { try await sql.raw("LOCK TABLE party_members IN SHARE ROW EXCLUSIVE MODE").run() }
            if let other = try await sql.raw("""
                SELECT COALESCE(o.name, m.outside_org) AS org FROM party_members m LEFT JOIN party_orgs o ON o.id = m.org_id WHERE m.resident_id = \(bind: rid)
                """).first() {
                let where_ = (try? other.decode(column: "org", as: String.self)) ?? ""
                throw RegistryError.conflict(FieldError("resident_id", "该居民已登记为党员（\(where_)）；一名党员只能属于一个党组织，转接组织关系请修改原记录"))
            }
            try await sql.raw("""
                INSERT INTO party_members (id, resident_id, org_id, outside_org, joined_on, reported_on, version, created_by, created_at, updated_at)
                VALUES (\(bind: id), \(bind: rid), \(bind: m.orgId), \(bind: m.orgId == nil ? m.outsideOrg?.trimmedOrNil : nil), \(bind: joined.description),
                        \(bind: m.reportedOn?.description), 1, \(bind: actor.audit.username), \(bind: at), \(bind: at))
                """).run()
            if let o = m.orgId { try await sql.raw("UPDATE party_orgs SET members = members + 1 WHERE id = \(bind: o)").run() }
            for g in m.groupIds {
                try await sql.raw("INSERT INTO party_group_members (group_id, member_id, joined_on) VALUES (\(bind: g), \(bind: id), \(bind: day.description))").run()
                try await sql.raw("UPDATE party_orgs SET members = members + 1 WHERE id = \(bind: g)").run()
            }
            try await PartyTally.move(from: nil, to: try await PartyTally.key(member: id, on: db), on: sql)
            try await FollowedTags.set(.partyMember, present: true, on: rid, today: day, on: db)
            try await AuditLog.append([AuditEvent(PartyAudit.addMember, target: .partyMember(id), detail: ["org": m.orgId?.uuidString ?? "outside"])],
                                      by: actor.audit, on: db)
        }
        residentCache?.remove(rid)
        guard let r = try await member(id, in: .everything) else { throw RegistryError.notFound("党员") }
        return r
    }

    /// A change of organization (组织关系接转), 报到, or groups; stale versions 409; tallies move in the same transaction.
    public func updateMember(_ id: UUID, _ m: PartyMemberInput, version: Int, by actor: PartyActor) async throws -> PartyMemberRecord {
        guard let current = try await member(id, in: actor.scope) else { throw RegistryError.notFound("党员") }
        var m = m
        m.residentId = current.residentId
        if m.joinedOn == nil { m.joinedOn = CivilDate(current.joinedOn) }
        let birth = try await residentFacts(current.residentId)?.birth
        let errors = PartyRules.check(m, birthDate: birth, today: today)
        guard errors.isEmpty, let joined = m.joinedOn else { throw RegistryError.invalid(errors) }
        try await checkPlacement(m, in: actor.scope)
        let day = today, w = m
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            let before = try await PartyTally.key(member: id, on: db)
            let changed = try await sql.raw("""
                UPDATE party_members SET org_id = \(bind: w.orgId), outside_org = \(bind: w.orgId == nil ? w.outsideOrg?.trimmedOrNil : nil),
                    joined_on = \(bind: joined.description), reported_on = \(bind: w.reportedOn?.description), version = version + 1, updated_at = \(bind: nowSeconds)
                WHERE id = \(bind: id) AND version = \(bind: version) RETURNING version
                """).all()
            guard !changed.isEmpty else { throw RegistryError.staleVersion(current: current.version) }
            // 接转 moves the member between organizations' communities, 报到 between reported and not.
            try await PartyTally.move(from: before, to: try await PartyTally.key(member: id, on: db), on: sql)
            if current.orgId != w.orgId {
                if let o = current.orgId { try await sql.raw("UPDATE party_orgs SET members = members - 1 WHERE id = \(bind: o)").run() }
                if let o = w.orgId { try await sql.raw("UPDATE party_orgs SET members = members + 1 WHERE id = \(bind: o)").run() }
            }
            let had = Set(try await sql.raw("SELECT group_id FROM party_group_members WHERE member_id = \(bind: id)").all()
                .map { try $0.decode(column: "group_id", as: UUID.self) })
            let want = Set(w.groupIds)
            for g in had.subtracting(want) {
                try await sql.raw("DELETE FROM party_group_members WHERE group_id = \(bind: g) AND member_id = \(bind: id)").run()
                try await sql.raw("UPDATE party_orgs SET members = members - 1 WHERE id = \(bind: g)").run()
            }
            for g in want.subtracting(had) {
                try await sql.raw("INSERT INTO party_group_members (group_id, member_id, joined_on) VALUES (\(bind: g), \(bind: id), \(bind: day.description))").run()
                try await sql.raw("UPDATE party_orgs SET members = members + 1 WHERE id = \(bind: g)").run()
            }
            var detail = ["reported": w.reportedOn?.description ?? ""]
            if current.orgId != w.orgId { detail["org"] = w.orgId?.uuidString ?? "outside" }
            try await AuditLog.append([AuditEvent(PartyAudit.updateMember, target: .partyMember(id), detail: detail)], by: actor.audit, on: db)
        }
        guard let r = try await member(id, in: .everything) else { throw RegistryError.notFound("党员") }
        return r
    }

    /// 组织关系转出 (or a death): the record leaves the roll with its groups and duty, the 党员 tag is cleared, audited with the reason.
    public func removeMember(_ id: UUID, version: Int, reason: String?, by actor: PartyActor) async throws {
        guard let current = try await member(id, in: actor.scope) else { throw RegistryError.notFound("党员") }
        guard let why = reason?.trimmedOrNil, why.count <= 200 else {
            throw RegistryError.invalid([FieldError("reason", "请填写转出或注销的原因（200字以内）")])
        }
        let day = today
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            let before = try await PartyTally.key(member: id, on: db)
            for row in try await sql.raw("SELECT group_id FROM party_group_members WHERE member_id = \(bind: id)").all() {
                try await sql.raw("UPDATE party_orgs SET members = members - 1 WHERE id = \(bind: try row.decode(column: "group_id", as: UUID.self))").run()
            }
            try await sql.raw("DELETE FROM party_group_members WHERE member_id = \(bind: id)").run()
            try await sql.raw("DELETE FROM party_centre_duty WHERE member_id = \(bind: id)").run()
            try await sql.raw("UPDATE party_orgs SET secretary_member_id = NULL WHERE secretary_member_id = \(bind: id)").run()
            let gone = try await sql.raw("DELETE FROM party_members WHERE id = \(bind: id) AND version = \(bind: version) RETURNING org_id").all()
            guard let row = gone.first else { throw RegistryError.staleVersion(current: current.version) }
            try await PartyTally.move(from: before, to: nil, on: sql)
            if let o = try row.decode(column: "org_id", as: UUID?.self) {
                try await sql.raw("UPDATE party_orgs SET members = members - 1 WHERE id = \(bind: o)").run()
            }
            try await FollowedTags.set(.partyMember, present: false, on: current.residentId, today: day, on: db)
            try await AuditLog.append([AuditEvent(PartyAudit.removeMember, target: .partyMember(id), detail: ["reason": why])], by: actor.audit, on: db)
        }
        residentCache?.remove(current.residentId)
    }

    /// Records that the actor read a page of the roll (or a member's page).
    public func auditRead(_ action: PartyAudit, target: AuditTarget, detail: [String: String], by actor: PartyActor) async throws {
        try await db.writeTransaction { db in try await AuditLog.append([AuditEvent(action, target: target, detail: detail)], by: actor.audit, on: db) }
    }

    /// A service centre in a facility of the register (one centre per facility), with its duty members.
    public func createCentre(_ c: PartyCentreInput, by actor: PartyActor) async throws -> PartyCentreRecord {
        let errors = PartyRules.check(c)
        guard errors.isEmpty, let facility = c.facilityId, let level = c.level, let name = c.name?.trimmedOrNil, let hours = c.openingHours?.trimmedOrNil else {
            throw RegistryError.invalid(errors)
        }
        guard let row = try await sql.raw("SELECT community_code FROM facilities WHERE id = \(bind: facility)").first(),
              case let community = try row.decode(column: "community_code", as: String.self), actor.scope.contains(code: community)
        else { throw RegistryError.invalid([FieldError("facility_id", "设施台账中没有本辖区的这个设施")]) }
        let division = level.division(of: community)
        guard actor.scope.contains(code: division) else { throw RegistryError.invalid([FieldError("level", "只能登记本辖区层级的服务中心")]) }
        for d in c.dutyMemberIds where try await member(d, in: actor.scope) == nil {
            throw RegistryError.invalid([FieldError("duty_member_ids", "值班党员应为本辖区登记的党员")])
        }
        let id = UUID(), at = nowSeconds
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            if try await sql.raw("SELECT id FROM party_centres WHERE facility_id = \(bind: facility)").first() != nil {
                throw RegistryError.conflict(FieldError("facility_id", "该设施已登记为党员服务中心"))
            }
            try await sql.raw("""
                INSERT INTO party_centres (id, facility_id, level, division_code, name, services, opening_hours, version, created_by, created_at)
                VALUES (\(bind: id), \(bind: facility), \(bind: level.rawValue), \(bind: division), \(bind: name),
                        \(bind: c.services.map(\.rawValue).joined(separator: ",")), \(bind: hours), 1, \(bind: actor.audit.username), \(bind: at))
                """).run()
            for d in c.dutyMemberIds {
                try await sql.raw("INSERT INTO party_centre_duty (centre_id, member_id) VALUES (\(bind: id), \(bind: d))").run()
            }
            try await AuditLog.append([AuditEvent(PartyAudit.createCentre, target: .partyCentre(id), detail: ["level": level.rawValue])], by: actor.audit, on: db)
        }
        guard let made = try await centres(in: RegistryScope(validatedCode: division), masked: false).first(where: { $0.id == id }) else {
            throw RegistryError.notFound("党员服务中心")
        }
        return made
    }

    public func createBrand(_ b: PartyBrandInput, by actor: PartyActor) async throws -> PartyBrandRecord {
        let errors = PartyRules.check(b, today: today)
        guard errors.isEmpty, let orgID = b.orgId, let name = b.name?.trimmedOrNil, let summary = b.summary?.trimmedOrNil, let started = b.startedOn else {
            throw RegistryError.invalid(errors)
        }
        guard let o = try await org(orgID, in: actor.scope), actor.scope.contains(code: o.divisionCode) else {
            throw RegistryError.invalid([FieldError("org_id", "本辖区没有这个党组织")])
        }
        let id = UUID(), at = nowSeconds
        try await db.writeTransaction { db in
            try await SQLHelpers.sql(db).raw("""
                INSERT INTO party_brands (id, org_id, name, summary, started_on, results, version, created_by, created_at)
                VALUES (\(bind: id), \(bind: orgID), \(bind: name), \(bind: summary), \(bind: started.description), \(bind: b.results?.trimmedOrNil), 1,
                        \(bind: actor.audit.username), \(bind: at))
                """).run()
            try await AuditLog.append([AuditEvent(PartyAudit.createBrand, target: .partyBrand(id), detail: ["org": orgID.uuidString])], by: actor.audit, on: db)
        }
        guard let made = try await brand(id, in: actor.scope, year: today.year) else { throw RegistryError.notFound("党建品牌") }
        return made
    }

    /// Marks a volunteer activity of the area as party-member service (党员志愿服务), optionally of a brand project:
    /// its hours, verified by the volunteers' workflow, count as members' service from then on.
    public func markActivity(_ activityID: UUID, brand brandID: UUID?, by actor: PartyActor) async throws {
        guard let row = try await sql.raw("SELECT community_code FROM volunteer_activities WHERE id = \(bind: activityID)").first(),
              actor.scope.contains(code: try row.decode(column: "community_code", as: String.self)) else { throw RegistryError.notFound("志愿活动") }
        if let b = brandID, try await brand(b, in: actor.scope, year: today.year) == nil {
            throw RegistryError.invalid([FieldError("brand_id", "本辖区没有这个党建品牌")])
        }
        try await db.writeTransaction { db in
            try await SQLHelpers.sql(db).raw("UPDATE volunteer_activities SET party_service = \(bind: true), party_brand_id = \(bind: brandID) WHERE id = \(bind: activityID)").run()
            try await AuditLog.append([AuditEvent(PartyAudit.markActivity, target: AuditTarget("volunteer_activity", activityID.uuidString),
                                                  detail: ["brand": brandID?.uuidString ?? ""])], by: actor.audit, on: db)
        }
    }
}
