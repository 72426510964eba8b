import FluentKit
import Foundation
import LinliCore
import SQLKit

/// Preparing an election: its plan, the roll (drawn at once from the registry, then corrected person by person
/// until it is frozen), candidates, proxies. Each write is one transaction with its audit entry.
extension ElectionsQueries {
    func writable(_ id: UUID, by actor: ElectionsActor) async throws -> ElectionRecord {
        guard actor.mayWrite else { throw RegistryError.forbidden("您没有组织换届选举的权限") }
        return try await requireElection(id, in: actor.scope)
    }

    /// Takes the election's row lock on PostgreSQL (SQLite's write transaction already serialises), so that checks
    /// made inside the transaction (proxies held, the boxes' versions) see every earlier write.
    func lock(_ id: UUID, on db: any Database) async throws {
        try await SQLHelpers.sql(db).update("elections").set("updated_at", to: SQLBind(nowSeconds)).where("id", .equal, SQLBind(id)).run()
    }

    public func create(_ input: ElectionInput, by actor: ElectionsActor) async throws -> ElectionRecord {
        guard actor.mayWrite else { throw RegistryError.forbidden("您没有组织换届选举的权限") }
        let code = input.communityCode?.trimmingCharacters(in: .whitespaces) ?? ""
        guard let dc = try? DivisionCode(code), dc.level == .community, actor.scope.contains(code: code) || code.hasPrefix(Self.communityPrefix(actor.scope)),
              let division = try await DivisionQueries(db).find(code: code) else {
            throw RegistryError.invalid([FieldError("community_code", code.isEmpty ? "请选择村/社区" : "本辖区没有这个村/社区")])
        }
        let kind = CommitteeKind(division.kind)
        var errors = ElectionRules.checkPlan(kind: kind, seats: input.seats ?? 0, viceChairs: input.viceChairs ?? 0, rollPublishedOn: input.rollPublishedOn,
                                             candidatesPublishedOn: input.candidatesPublishedOn, electionDay: input.electionDay, committee: input.committee)
        if input.method == nil { errors.insert(FieldError("method", "请选择选举方式"), at: 0) }
        if let frozen = input.rollFrozenOn, let roll = input.rollPublishedOn, let day = input.electionDay {
            if frozen < roll || frozen > day { errors.append(FieldError("roll_frozen_on", "选民名单确定日应在名单公布日至选举日之间")) }
        } else if input.rollFrozenOn == nil {
            errors.append(FieldError("roll_frozen_on", "请填写选民名单确定日"))
        }
        guard errors.isEmpty, let method = input.method, let seats = input.seats, let day = input.electionDay, let roll = input.rollPublishedOn,
              let frozen = input.rollFrozenOn, let cands = input.candidatesPublishedOn else { throw RegistryError.invalid(errors) }
        let committee = input.committee.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: "、")
        let id = UUID(), at = nowSeconds
        try await db.writeTransaction { db in
            let open = try await SQLHelpers.sql(db).select().column("id").from("elections").where("community_code", .equal, SQLBind(code))
                .where("status", .in, SQLBind.group([ElectionStatus.preparing, .rollPublished, .candidatesPublished, .furtherRound].map(\.rawValue))).first()
            if open != nil { throw RegistryError.conflict(FieldError("community_code", "\(division.name)已有进行中的换届选举")) }
            try await SQLHelpers.sql(db).insert(into: "elections")
                .columns("id", "community_code", "committee_kind", "method", "seats", "vice_chairs", "committee", "roll_published_on", "roll_frozen_on",
                         "candidates_published_on", "election_day", "status", "round", "roll_count", "elected", "version", "created_by", "created_at", "updated_at")
                .values(SQLBind(id), SQLBind(code), SQLBind(kind.rawValue), SQLBind(method.rawValue), SQLBind(seats), SQLBind(input.viceChairs ?? 0),
                        SQLBind(committee), SQLBind(roll.description), SQLBind(frozen.description), SQLBind(cands.description), SQLBind(day.description),
                        SQLBind(ElectionStatus.preparing.rawValue), SQLBind(1), SQLBind(0), SQLBind(0), SQLBind(1), SQLBind(actor.audit.username),
                        SQLBind(at), SQLBind(at))
                .run()
            try await AuditLog.append([AuditEvent(ElectionsAudit.create, target: .election(id), detail: ["community": code])], by: actor.audit, on: db)
        }
        return try await requireElection(id, in: actor.scope)
    }

    /// Draws the roll — every resident with 户籍 here, on the roll of the registry, 18 or over on election day — in
    /// one INSERT … SELECT over the community's grids, and publishes it.
    public func publishRoll(_ id: UUID, version: Int, by actor: ElectionsActor) async throws -> ElectionRecord {
        let e = try await writable(id, by: actor)
        guard ElectionWorkflow.allows(.publishRoll, from: e.status) else { throw RegistryError.conflictingState("选民名单已公布") }
        guard let day = CivilDate(e.electionDay) else { throw RegistryError.conflictingState("选举日无效") }
        let cutoff = day.yearsEarlier(18).description, at = nowSeconds, by = actor.audit.username
        try await db.writeTransaction(bulk: true) { db in
            let sql = SQLHelpers.sql(db)
            let changed = try await sql.update("elections").set("status", to: SQLBind(ElectionStatus.rollPublished.rawValue))
                .set("version", to: SQLBind(version + 1)).set("updated_at", to: SQLBind(at))
                .where("id", .equal, SQLBind(id)).where("version", .equal, SQLBind(version)).returning("id").all()
            if changed.isEmpty { throw RegistryError.staleVersion(current: e.version) }
            let (lo, hi) = (e.communityCode, e.communityCode + "999")
            try await sql.raw("""
                INSERT INTO election_voters (election_id, resident_id, grid_code, name, name_initials, birth_date, basis, recorded_by, recorded_at)
                SELECT \(bind: id), id, grid_code, name, name_initials, birth_date, \(bind: VoterBasis.registry.rawValue), \(bind: by), \(bind: at)
                FROM residents WHERE life_status = 'active' AND grid_code > \(bind: lo) AND grid_code <= \(bind: hi)
                AND residence_status = 'registered' AND birth_date <= \(bind: cutoff)
                """).run()
            let n = try await SQLHelpers.count(sql.select().column(SQLRaw("count(*)"), as: "n").from("election_voters").where("election_id", .equal, SQLBind(id)))
            try await sql.update("elections").set("roll_count", to: SQLBind(n)).where("id", .equal, SQLBind(id)).run()
            try await AuditLog.append([AuditEvent(ElectionsAudit.publishRoll, target: .election(id), detail: ["voters": String(n)])], by: actor.audit, on: db)
        }
        return try await requireElection(id, in: actor.scope)
    }

    func rollOpen(_ e: ElectionRecord) throws {
        guard e.status == .rollPublished || e.status == .candidatesPublished else { throw RegistryError.conflictingState("选民名单尚未公布或选举已结束") }
        if let frozen = CivilDate(e.rollFrozenOn), today >= frozen { throw RegistryError.conflictingState("选民名单已于\(e.rollFrozenOn)确定，不能再增减") }
    }

    /// Adds a person on application (户籍 elsewhere, living here), with the application recorded.
    public func addVoter(_ id: UUID, resident: UUID?, decision: String?, by actor: ElectionsActor) async throws -> VoterRecord {
        let e = try await writable(id, by: actor)
        try rollOpen(e)
        let reason = decision?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard let resident, let r = try await sql.select().columns("id", "name", "name_initials", "birth_date", "grid_code", "life_status").from(Resident.schema)
            .where("id", .equal, SQLBind(resident)).first(),
            let grid = try? r.decode(column: "grid_code", as: String.self), grid.hasPrefix(e.communityCode),
            (try? r.decode(column: "life_status", as: String.self)) == LifeStatus.active.rawValue else {
            throw RegistryError.invalid([FieldError("resident_id", "本村/社区的在册居民中没有此人")])
        }
        let birth = try r.decode(column: "birth_date", as: String.self), name = try r.decode(column: "name", as: String.self)
        let nameInitials = try r.decode(column: "name_initials", as: String.self)
        var errors: [FieldError] = []
        if let b = CivilDate(birth), let day = CivilDate(e.electionDay) { errors += ElectionRules.checkVoterAge(birth: b, electionDay: day) }
        if reason.isEmpty { errors.append(FieldError("decision", "请填写申请登记的情况（户籍所在地、居住年限等）")) }
        guard errors.isEmpty else { throw RegistryError.invalid(errors) }
        let at = nowSeconds
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            try await lock(id, on: db)
            if try await voter(id, resident, on: db) != nil { throw RegistryError.conflict(FieldError("resident_id", "此人已在选民名单上")) }
            try await sql.insert(into: "election_voters")
                .columns("election_id", "resident_id", "grid_code", "name", "name_initials", "birth_date", "basis", "decision", "recorded_by", "recorded_at")
                .values(SQLBind(id), SQLBind(resident), SQLBind(grid), SQLBind(name), SQLBind(nameInitials), SQLBind(birth), SQLBind(VoterBasis.application.rawValue),
                        SQLBind(reason), SQLBind(actor.audit.username), SQLBind(at)).run()
            try await sql.raw("UPDATE elections SET roll_count = roll_count + 1 WHERE id = \(bind: id)").run()
            try await AuditLog.append([AuditEvent(ElectionsAudit.voterAdd, target: .election(id), detail: ["resident": resident.uuidString])],
                                      by: actor.audit, on: db)
        }
        guard let v = try await voter(id, resident) else { throw RegistryError.notFound("选民") }
        return v
    }

    func voter(_ election: UUID, _ resident: UUID, on db: any Database) async throws -> String? {
        try await SQLHelpers.sql(db).select().column("basis").from("election_voters").where("election_id", .equal, SQLBind(election))
            .where("resident_id", .equal, SQLBind(resident)).first().map { try $0.decode(column: "basis", as: String.self) }
    }

    /// Takes a person off the roll by a recorded decision (deprived of political rights, or drawn in error); the row
    /// stays with the decision.
    public func excludeVoter(_ id: UUID, resident: UUID, decision: String?, by actor: ElectionsActor) async throws {
        let e = try await writable(id, by: actor)
        try rollOpen(e)
        let reason = decision?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard !reason.isEmpty else { throw RegistryError.invalid([FieldError("decision", "请填写不列入选民名单的依据（如法院判决书文号）")]) }
        try await db.writeTransaction { db in
            try await lock(id, on: db)
            guard let basis = try await voter(id, resident, on: db), basis != VoterBasis.excluded.rawValue else { throw RegistryError.notFound("选民") }
            let sql = SQLHelpers.sql(db)
            try await sql.update("election_voters").set("basis", to: SQLBind(VoterBasis.excluded.rawValue)).set("decision", to: SQLBind(reason))
                .set("recorded_by", to: SQLBind(actor.audit.username)).set("recorded_at", to: SQLBind(nowSeconds))
                .where("election_id", .equal, SQLBind(id)).where("resident_id", .equal, SQLBind(resident)).run()
            try await sql.raw("UPDATE elections SET roll_count = roll_count - 1 WHERE id = \(bind: id)").run()
            try await AuditLog.append([AuditEvent(ElectionsAudit.voterExclude, target: .election(id), detail: ["resident": resident.uuidString])],
                                      by: actor.audit, on: db)
        }
    }

    /// Nominates a candidate: a person on the roll, once.
    public func nominate(_ id: UUID, resident: UUID?, post: CommitteePost?, by actor: ElectionsActor) async throws -> CandidateRecord {
        let e = try await writable(id, by: actor)
        guard e.status == .rollPublished else { throw RegistryError.conflictingState("只能在选民名单公布后、候选人公布前提名候选人") }
        guard let post else { throw RegistryError.invalid([FieldError("post", "请选择职务")]) }
        guard let resident, let v = try await voter(id, resident), v.basis != .excluded else {
            throw RegistryError.invalid([FieldError("resident_id", "候选人应是本次选举选民名单上的选民")])
        }
        try await db.writeTransaction { db in
            try await lock(id, on: db)
            if try await SQLHelpers.sql(db).select().column("round").from("election_candidates").where("election_id", .equal, SQLBind(id))
                .where("resident_id", .equal, SQLBind(resident)).first() != nil {
                throw RegistryError.conflict(FieldError("resident_id", "此人已被提名"))
            }
            try await SQLHelpers.sql(db).insert(into: "election_candidates")
                .columns("election_id", "resident_id", "name", "post", "formal", "round", "recorded_by", "recorded_at")
                .values(SQLBind(id), SQLBind(resident), SQLBind(v.name), SQLBind(post.rawValue), SQLBind(true), SQLBind(1),
                        SQLBind(actor.audit.username), SQLBind(nowSeconds)).run()
            try await AuditLog.append([AuditEvent(ElectionsAudit.candidate, target: .election(id), detail: ["resident": resident.uuidString])],
                                      by: actor.audit, on: db)
        }
        return CandidateRecord(residentId: resident, name: v.name, post: post, formal: true, round: 1)
    }

    /// Publishes the formal list: enough candidates, and more than seats for a villagers' committee (差额).
    public func publishCandidates(_ id: UUID, version: Int, by actor: ElectionsActor) async throws -> ElectionRecord {
        let e = try await writable(id, by: actor)
        guard ElectionWorkflow.allows(.publishCandidates, from: e.status) else { throw RegistryError.conflictingState("现在不能公布正式候选人") }
        let errors = ElectionRules.checkCandidates(kind: e.committeeKind, seats: e.seats, count: try await candidates(id).count)
        guard errors.isEmpty else { throw RegistryError.invalid(errors) }
        try await step(e, to: .candidatesPublished, version: version, action: .publishCandidates, by: actor)
        return try await requireElection(id, in: actor.scope)
    }

    public func cancel(_ id: UUID, version: Int, by actor: ElectionsActor) async throws -> ElectionRecord {
        let e = try await writable(id, by: actor)
        guard ElectionWorkflow.allows(.cancel, from: e.status) else { throw RegistryError.conflictingState("已计票的选举不能撤销") }
        try await step(e, to: .cancelled, version: version, action: .cancel, by: actor)
        return try await requireElection(id, in: actor.scope)
    }

    func step(_ e: ElectionRecord, to status: ElectionStatus, version: Int, action: ElectionsAudit, by actor: ElectionsActor) async throws {
        let at = nowSeconds
        try await db.writeTransaction { db in
            let changed = try await SQLHelpers.sql(db).update("elections").set("status", to: SQLBind(status.rawValue))
                .set("version", to: SQLBind(version + 1)).set("updated_at", to: SQLBind(at))
                .where("id", .equal, SQLBind(e.id)).where("version", .equal, SQLBind(version)).returning("id").all()
            if changed.isEmpty { throw RegistryError.staleVersion(current: e.version) }
            try await AuditLog.append([AuditEvent(action, target: .election(e.id), detail: ["status": status.rawValue])], by: actor.audit, on: db)
        }
    }

    /// A proxy (委托投票): both on the roll, the holder holding at most three.
    public func addProxy(_ id: UUID, grantor: UUID?, holder: UUID?, by actor: ElectionsActor) async throws {
        let e = try await writable(id, by: actor)
        guard e.status == .rollPublished || e.status == .candidatesPublished else { throw RegistryError.conflictingState("现在不能登记委托投票") }
        guard let grantor, let g = try await voter(id, grantor), g.basis != .excluded else {
            throw RegistryError.invalid([FieldError("grantor_id", "委托人应是选民名单上的选民")])
        }
        guard let holder, let h = try await voter(id, holder), h.basis != .excluded else {
            throw RegistryError.invalid([FieldError("holder_id", "受托人应是选民名单上的选民")])
        }
        try await db.writeTransaction { db in
            try await lock(id, on: db)
            let held = try await proxiesHeld(id, holder: holder, on: db)
            let errors = ElectionRules.checkProxy(heldAlready: held, holderIsGrantor: grantor == holder)
            guard errors.isEmpty else { throw RegistryError.invalid(errors) }
            let sql = SQLHelpers.sql(db)
            if try await sql.select().column("holder_id").from("election_proxies").where("election_id", .equal, SQLBind(id))
                .where("grantor_id", .equal, SQLBind(grantor)).first() != nil {
                throw RegistryError.conflict(FieldError("grantor_id", "\(Masking.name(g.name))已委托他人投票"))
            }
            try await sql.insert(into: "election_proxies").columns("election_id", "grantor_id", "holder_id", "recorded_by", "recorded_at")
                .values(SQLBind(id), SQLBind(grantor), SQLBind(holder), SQLBind(actor.audit.username), SQLBind(nowSeconds)).run()
            try await AuditLog.append([AuditEvent(ElectionsAudit.proxy, target: .election(id), detail: ["holder": holder.uuidString])],
                                      by: actor.audit, on: db)
        }
    }
}
