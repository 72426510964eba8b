import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 注册和签约: registering a resident, the community's confirmation, the agreement, withdrawal; teams. Each write is
/// one transaction with its audit entry; a registration counts in its community's month in `volunteer_monthly`.
extension VolunteersQueries {
    /// Who registers: a worker in the console (the resident in their scope), or the resident on the portal (their own).
    public enum Registrant: Sendable {
        case worker
        case selfOnPortal
    }

    /// Adds `n` to a community's figure of a month, inserting the row the first time.
    static func bump(_ community: String, month: String, registrations: Int = 0, activities: Int = 0, minutes: Int = 0, sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO volunteer_monthly (community_code, month, registrations, activities, minutes)
            VALUES (\(bind: community), \(bind: month), \(bind: registrations), \(bind: activities), \(bind: minutes))
            ON CONFLICT (community_code, month) DO UPDATE SET registrations = volunteer_monthly.registrations + excluded.registrations,
              activities = volunteer_monthly.activities + excluded.activities, minutes = volunteer_monthly.minutes + excluded.minutes
            """).run()
    }

    /// Registers the resident `residentID` as a volunteer: an active resident of the caller's scope, not yet registered
    /// (409 at `resident_id`); a minor only with a guardian's consent (422 at `guardian`).
    public func register(resident residentID: UUID?, _ input: VolunteerInput, as registrant: Registrant, by actor: VolunteersActor) async throws -> VolunteerRecord {
        if case .worker = registrant, !actor.mayWrite { throw RegistryError.forbidden("您没有登记志愿者的权限") }
        guard let residentID else { throw RegistryError.invalid([FieldError("resident_id", "请选择登记为志愿者的居民")]) }
        let residents = ResidentQueries(db, cipher: cipher, today: today)
        guard let r = try await residents.find(id: residentID, in: actor.scope) else {
            throw RegistryError.invalid([FieldError("resident_id", "本辖区没有这位居民")])
        }
        guard r.lifeStatus == .active else {
            throw RegistryError.invalid([FieldError("resident_id", "该居民已\(r.lifeStatus == .deceased ? "死亡" : "迁出")，不能登记为志愿者")])
        }
        guard let born = CivilDate(r.birthDate) else { throw RegistryError.invalid([FieldError("resident_id", "该居民的出生日期有误，请先更正户籍信息")]) }
        let reg = input.registration
        let errors = VolunteerRules.check(reg, born: born, today: today)
        guard errors.isEmpty, let day = reg.registeredOn else { throw RegistryError.invalid(errors) }
        let minor = VolunteerRules.isMinor(born: born, on: day)
        let community = String(r.gridCode.prefix(12))
        let id = UUID(), at = nowSeconds
        let via = registrant == .selfOnPortal ? "portal" : "worker"
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            // The unique index settles a race; this answers the usual case with the field.
            if try await sql.select().column("id").from("volunteers").where("resident_id", .equal, SQLBind(residentID)).first() != nil {
                throw RegistryError.conflict(FieldError("resident_id", "\(r.name)已登记为志愿者，不能重复登记"))
            }
            try await sql.insert(into: "volunteers")
                .columns("id", "resident_id", "community_code", "state", "skills", "skill_note", "service_areas", "availability", "registered_on",
                         "guardian_name", "guardian_relation", "guardian_consent_on", "minutes", "registered_via", "version", "created_by", "created_at", "updated_at")
                .values(SQLBind(id), SQLBind(residentID), SQLBind(community), SQLBind(VolunteerState.applied.rawValue),
                        SQLBind(reg.skills.map(\.rawValue).joined(separator: ",")), SQLBind(reg.skillNote?.trimmedOrNil),
                        SQLBind(reg.areas.map(\.rawValue).joined(separator: ",")), SQLBind(reg.availability.map(\.rawValue).joined(separator: ",")),
                        SQLBind(day.description), SQLBind(minor ? reg.guardianName?.trimmingCharacters(in: .whitespaces) : nil),
                        SQLBind(minor ? reg.guardianRelation?.trimmingCharacters(in: .whitespaces) : nil),
                        SQLBind(minor ? reg.guardianConsentOn?.description : nil), SQLBind(0), SQLBind(via), SQLBind(1),
                        SQLBind(actor.audit.username), SQLBind(at), SQLBind(at))
                .run()
            try await Self.bump(community, month: String(day.description.prefix(7)), registrations: 1, sql: sql)
            try await AuditLog.append([AuditEvent(VolunteersAudit.register, target: .volunteer(id),
                                                  detail: ["resident": r.idMasked, "via": via, "minor": minor ? "true" : "false"])], by: actor.audit, on: db)
        }
        return try await requireVolunteer(id, in: .everything)
    }

    /// A step of the registration at the version the caller read: confirm (the community), sign (a paper signature
    /// recorded by the worker, or the resident on the portal: `signature`), withdraw.
    public func step(_ id: UUID, _ step: VolunteerStep, version: Int, signature: VolunteerSignature = .paper, on day: CivilDate? = nil,
                     by actor: VolunteersActor, ownResident: UUID? = nil) async throws -> VolunteerRecord {
        let v = try await requireVolunteer(id, in: ownResident == nil ? actor.scope : .everything)
        if let ownResident {
            guard v.residentId == ownResident, step == .sign || step == .withdraw else { throw RegistryError.forbidden("只能办理本人的志愿者注册") }
        } else if !actor.mayWrite {
            throw RegistryError.forbidden("您没有办理志愿者注册的权限")
        }
        guard let next = step.next(from: v.state) else {
            throw RegistryError.conflictingState("志愿者当前状态为“\(v.state.label)”，不能\(step.label)")
        }
        let date = day ?? today
        if date > today { throw RegistryError.invalid([FieldError("date", "日期不能晚于今天")]) }
        if date.description < v.registeredOn { throw RegistryError.invalid([FieldError("date", "日期不能早于注册日期")]) }
        let at = nowSeconds
        try await db.writeTransaction { db in
            var u = SQLHelpers.sql(db).update("volunteers").set("state", to: SQLBind(next.rawValue))
            switch step {
            case .confirm: u = u.set("confirmed_on", to: SQLBind(date.description))
            case .sign:
                u = u.set("signed_on", to: SQLBind(date.description)).set("terms_version", to: SQLBind(VolunteerRules.currentTermsVersion))
                    .set("signature", to: SQLBind(signature.rawValue))
            case .withdraw: u = u.set("withdrawn_on", to: SQLBind(date.description))
            // The agreement is signed anew; the earlier dates stay in the audit log.
            case .rejoin:
                u = u.set("withdrawn_on", to: SQLBind(String?.none)).set("confirmed_on", to: SQLBind(String?.none)).set("signed_on", to: SQLBind(String?.none))
                    .set("terms_version", to: SQLBind(String?.none)).set("signature", to: SQLBind(String?.none))
            }
            let changed = try await u.set("version", to: SQLBind(version + 1)).set("updated_at", to: SQLBind(at))
                .where("id", .equal, SQLBind(id)).where("version", .equal, SQLBind(version)).returning("id").all()
            if changed.isEmpty { throw RegistryError.staleVersion(current: v.version) }
            let action: VolunteersAudit = switch step {
            case .confirm: .confirm
            case .sign: .sign
            case .withdraw: .withdraw
            case .rejoin: .rejoin
            }
            var detail = ["state": next.rawValue]
            if step == .sign { detail["terms"] = VolunteerRules.currentTermsVersion; detail["signature"] = signature.rawValue }
            try await AuditLog.append([AuditEvent(action, target: .volunteer(id), detail: detail)], by: actor.audit, on: db)
        }
        return try await requireVolunteer(id, in: .everything)
    }

    /// A team of the caller's community; a leader, when named, becomes its first member.
    public func createTeam(name: String?, kind: VolunteerTeamKind?, skill: VolunteerSkill?, organizationID: UUID?, leader: UUID?,
                           community: String?, by actor: VolunteersActor) async throws -> VolunteerTeamRecord {
        guard actor.mayWrite else { throw RegistryError.forbidden("您没有组建志愿服务队的权限") }
        var errors: [FieldError] = []
        let title = (name ?? "").trimmingCharacters(in: .whitespaces)
        if title.isEmpty || title.count > 60 { errors.append(FieldError("name", "请填写服务队名称（不超过60字）")) }
        if kind == nil { errors.append(FieldError("kind", "请选择服务队类型")) }
        if kind == .skill && skill == nil { errors.append(FieldError("skill", "专业技能服务队请选择技能")) }
        if kind == .organization && organizationID == nil { errors.append(FieldError("organization_id", "社会组织服务队请选择所属社会组织")) }
        let code = try await communityOf(community, actor: actor, errors: &errors)
        if organizationID != nil { _ = try await organizationOf(organizationID, project: nil, scope: actor.scope, errors: &errors) }
        var leaderRecord: VolunteerRecord?
        if let leader {
            leaderRecord = try await volunteer(leader, in: actor.scope)
            if leaderRecord == nil || leaderRecord?.communityCode != code || leaderRecord?.state.serves != true {
                errors.append(FieldError("leader_id", "队长应为本社区已签约的志愿者"))
            }
        }
        guard errors.isEmpty, let kind, let code else { throw RegistryError.invalid(errors) }
        let id = UUID(), at = nowSeconds, leader = leaderRecord
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            if try await sql.select().column("id").from("volunteer_teams").where("community_code", .equal, SQLBind(code))
                .where("name", .equal, SQLBind(title)).first() != nil {
                throw RegistryError.conflict(FieldError("name", "本社区已有同名的服务队"))
            }
            try await sql.insert(into: "volunteer_teams")
                .columns("id", "community_code", "name", "kind", "skill", "organization_id", "leader_id", "members", "minutes", "version", "created_by", "created_at")
                .values(SQLBind(id), SQLBind(code), SQLBind(title), SQLBind(kind.rawValue), SQLBind(skill?.rawValue), SQLBind(organizationID),
                        SQLBind(leader?.id), SQLBind(leader == nil ? 0 : 1), SQLBind(0), SQLBind(1), SQLBind(actor.audit.username), SQLBind(at))
                .run()
            if let l = leader {
                try await sql.insert(into: "volunteer_team_members").columns("team_id", "volunteer_id", "joined_on")
                    .values(SQLBind(id), SQLBind(l.id), SQLBind(today.description)).run()
            }
            try await AuditLog.append([AuditEvent(VolunteersAudit.teamCreate, target: .volunteerTeam(id), detail: ["name": title])], by: actor.audit, on: db)
        }
        return try await requireTeam(id)
    }

    /// Adds a volunteer of the team's community to it.
    public func addMember(team teamID: UUID, volunteer volunteerID: UUID?, by actor: VolunteersActor) async throws -> VolunteerTeamRecord {
        guard actor.mayWrite else { throw RegistryError.forbidden("您没有管理志愿服务队的权限") }
        guard let t = try await team(teamID, in: actor.scope) else { throw RegistryError.notFound("志愿服务队") }
        guard let volunteerID, let v = try await volunteer(volunteerID, in: actor.scope), v.communityCode == t.communityCode, v.state != .withdrawn else {
            throw RegistryError.invalid([FieldError("volunteer_id", "应为本社区登记在册的志愿者")])
        }
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            if try await sql.select().column("team_id").from("volunteer_team_members").where("team_id", .equal, SQLBind(teamID))
                .where("volunteer_id", .equal, SQLBind(v.id)).first() != nil {
                throw RegistryError.conflict(FieldError("volunteer_id", "\(v.name)已是本队队员"))
            }
            try await sql.insert(into: "volunteer_team_members").columns("team_id", "volunteer_id", "joined_on")
                .values(SQLBind(teamID), SQLBind(v.id), SQLBind(today.description)).run()
            try await sql.raw("UPDATE volunteer_teams SET members = members + 1 WHERE id = \(bind: teamID)").run()
            try await AuditLog.append([AuditEvent(VolunteersAudit.teamMember, target: .volunteerTeam(teamID), detail: ["volunteer": v.id.uuidString])],
                                      by: actor.audit, on: db)
        }
        return try await requireTeam(teamID)
    }

    func requireTeam(_ id: UUID) async throws -> VolunteerTeamRecord {
        guard let t = try await team(id, in: .everything) else { throw RegistryError.notFound("志愿服务队") }
        return t
    }

    /// The community a record goes to: the one named (in the caller's scope), or the caller's own when they work in one.
    func communityOf(_ named: String?, actor: VolunteersActor, errors: inout [FieldError]) async throws -> String? {
        let code = named?.trimmedOrNil ?? (actor.scope.prefix.count >= 12 ? String(actor.scope.prefix.prefix(12)) : nil)
        guard let code else { errors.append(FieldError("community_code", "请选择村/社区")); return nil }
        guard let d = try await DivisionQueries(db).find(code: code), d.level == .community, actor.scope.contains(code: code) || actor.scope.prefix.hasPrefix(code) else {
            errors.append(FieldError("community_code", "本辖区没有这个村/社区"))
            return nil
        }
        return code
    }
}
