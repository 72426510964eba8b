import FluentKit
import Foundation
import LinliCore
import SQLKit

/// Counting: ballot boxes per round, each counted twice by two workers (双人录入) and confirmed only when both
/// entries agree; then the round is closed by the rules — the committee elected, a further round, or void.
extension ElectionsQueries {
    func counting(_ id: UUID, by actor: ElectionsActor) async throws -> ElectionRecord {
        guard actor.mayCount else { throw RegistryError.forbidden("您没有录入计票结果的权限") }
        let e = try await requireElection(id, in: actor.scope)
        guard e.status == .candidatesPublished || e.status == .furtherRound else { throw RegistryError.conflictingState("现在不能计票") }
        return e
    }

    public func addBox(_ id: UUID, kind: BallotBoxKind?, label: String?, by actor: ElectionsActor) async throws -> BoxRecord {
        let e = try await counting(id, by: actor)
        let name = label?.trimmingCharacters(in: .whitespaces) ?? ""
        var errors: [FieldError] = []
        if kind == nil { errors.append(FieldError("kind", "请选择票箱类别")) }
        if name.isEmpty || name.count > 40 { errors.append(FieldError("label", "请填写票箱名称（40字以内）")) }
        guard errors.isEmpty, let kind else { throw RegistryError.invalid(errors) }
        let box = UUID()
        try await db.writeTransaction { db in
            try await SQLHelpers.sql(db).insert(into: "election_boxes")
                .columns("id", "election_id", "round", "kind", "label", "confirmed", "version", "updated_at")
                .values(SQLBind(box), SQLBind(id), SQLBind(e.round), SQLBind(kind.rawValue), SQLBind(name), SQLBind(false), SQLBind(1), SQLBind(nowSeconds)).run()
            try await AuditLog.append([AuditEvent(ElectionsAudit.box, target: .election(id), detail: ["box": box.uuidString, "round": String(e.round)])],
                                      by: actor.audit, on: db)
        }
        return BoxRecord(id: box, round: e.round, kind: kind, label: name, first: nil, firstBy: nil, second: nil, secondBy: nil, differences: [],
                         confirmed: false, version: 1)
    }

    /// One entry of a box's count at the version read. The first worker's entry is the first (they may correct it);
    /// another worker's is the second; the box is confirmed when both agree field by field, otherwise it stays open
    /// with the differing fields named.
    public func enterCount(_ id: UUID, box: UUID, _ count: BoxCount, version: Int, by actor: ElectionsActor) async throws -> BoxRecord {
        let e = try await counting(id, by: actor)
        guard let b = try await boxes(id).first(where: { $0.id == box }) else { throw RegistryError.notFound("票箱") }
        guard b.round == e.round else { throw RegistryError.conflictingState("这是上一轮的票箱") }
        guard !b.confirmed else { throw RegistryError.conflictingState("该票箱的计票结果已确认") }
        let standing = Set(try await candidates(id).filter { $0.round == e.round }.map(\.residentId))
        let errors = ElectionRules.checkCount(count, candidates: standing, seats: max(1, e.seats - e.elected))
        guard errors.isEmpty else { throw RegistryError.invalid(errors) }
        let me = actor.audit.username, entry = StoredCount(count)
        var first = b.first, second = b.second, firstBy = b.firstBy, secondBy = b.secondBy
        if firstBy == nil || firstBy == me { first = entry; firstBy = me } else { second = entry; secondBy = me }
        var diff: [String] = []
        if let f = first, let s = second { diff = ElectionRules.differences(f.count, s.count) }
        let confirmed = first != nil && second != nil && diff.isEmpty
        try await db.writeTransaction { [first, second, firstBy, secondBy, diff] db in
            let changed = try await SQLHelpers.sql(db).update("election_boxes")
                .set("first_entry", to: SQLBind(first?.json)).set("first_by", to: SQLBind(firstBy))
                .set("second_entry", to: SQLBind(second?.json)).set("second_by", to: SQLBind(secondBy))
                .set("differences", to: SQLBind(diff.joined(separator: ","))).set("confirmed", to: SQLBind(confirmed))
                .set("version", to: SQLBind(version + 1)).set("updated_at", to: SQLBind(nowSeconds))
                .where("id", .equal, SQLBind(box)).where("version", .equal, SQLBind(version)).where("confirmed", .equal, SQLBind(false))
                .returning("id").all()
            if changed.isEmpty { throw RegistryError.staleVersion(current: b.version) }
            try await AuditLog.append([AuditEvent(ElectionsAudit.entry, target: .election(id),
                                                  detail: ["box": box.uuidString, "confirmed": confirmed ? "true" : "false", "differences": diff.joined(separator: ",")])],
                                      by: actor.audit, on: db)
        }
        return BoxRecord(id: box, round: b.round, kind: b.kind, label: b.label, first: first, firstBy: firstBy, second: second, secondBy: secondBy,
                         differences: diff, confirmed: confirmed, version: version + 1)
    }

    /// Closes the current round from its confirmed boxes (every box of the round must be confirmed).
    public func closeRound(_ id: UUID, version: Int, by actor: ElectionsActor) async throws -> (ElectionRecord, RoundResult) {
        let e = try await counting(id, by: actor)
        let round = try await boxes(id).filter { $0.round == e.round }
        guard !round.isEmpty else { throw RegistryError.conflictingState("本轮还没有票箱") }
        if let open = round.first(where: { !$0.confirmed }) { throw RegistryError.conflictingState("票箱“\(open.label)”的两次录入尚未一致确认") }
        let all = try await candidates(id)
        let standing = all.filter { $0.round == e.round }
        let result = ElectionRules.count(roll: e.rollCount, boxes: round.compactMap { $0.first?.count }, candidates: standing.map(\.residentId),
                                         seats: e.seats, alreadyElected: e.elected, kind: e.committeeKind, first: e.round == 1)
        let byID = Dictionary(uniqueKeysWithValues: all.map { ($0.residentId, $0) })
        let votes = Dictionary(uniqueKeysWithValues: result.tallies.map { ($0.candidate, $0.votes) })
        guard let day = CivilDate(e.electionDay) else { throw RegistryError.conflictingState("选举日无效") }
        let end = ElectionRules.termEnd(start: day)
        let elected = e.elected + result.elected.count
        let next = result.outcome == .furtherRound
            ? ElectionRules.furtherRoundCandidates(result, openSeats: e.seats - elected, kind: e.committeeKind) : []
        let at = nowSeconds
        try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            var q = sql.update("elections").set("status", to: SQLBind(result.outcome.status.rawValue)).set("elected", to: SQLBind(elected))
                .set("version", to: SQLBind(version + 1)).set("updated_at", to: SQLBind(at))
            if e.round == 1 {
                q = q.set("first_cast", to: SQLBind(result.cast)).set("first_ballot", to: SQLBind(result.outcome == .succeeded && elected >= e.seats))
            }
            if result.outcome == .succeeded { q = q.set("term_start", to: SQLBind(day.description)).set("term_end", to: SQLBind(end.description)) }
            if result.outcome == .furtherRound { q = q.set("round", to: SQLBind(e.round + 1)) }
            let changed = try await q.where("id", .equal, SQLBind(id)).where("version", .equal, SQLBind(version)).returning("id").all()
            if changed.isEmpty { throw RegistryError.staleVersion(current: e.version) }
            for m in result.elected {
                try await sql.insert(into: "election_members").columns("election_id", "resident_id", "name", "post", "round", "votes", "term_start", "term_end")
                    .values(SQLBind(id), SQLBind(m), SQLBind(byID[m]?.name ?? ""), SQLBind((byID[m]?.post ?? .member).rawValue), SQLBind(e.round),
                            SQLBind(votes[m] ?? 0), SQLBind(day.description), SQLBind(end.description)).run()
            }
            if !next.isEmpty {
                try await sql.update("election_candidates").set("round", to: SQLBind(e.round + 1))
                    .where("election_id", .equal, SQLBind(id)).where("resident_id", .in, SQLBind.group(next)).run()
            }
            try await AuditLog.append([AuditEvent(ElectionsAudit.closeRound, target: .election(id),
                                                  detail: ["round": String(e.round), "outcome": result.outcome.rawValue, "cast": String(result.cast),
                                                           "elected": String(result.elected.count), "tied": String(result.tied.count)])],
                                      by: actor.audit, on: db)
        }
        return (try await requireElection(id, in: actor.scope), result)
    }
}
