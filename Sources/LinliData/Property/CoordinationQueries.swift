import FluentKit
import Foundation
import LinliCore
import SQLKit

/// A compound's 四位一体 coordination meeting: the deliberation meeting (its minutes and resolutions are the
/// self-government capability's) with the four parties' attendees.
public struct CoordinationRecord: Codable, Sendable, Equatable {
    public var meetingId: UUID
    public var compoundId: UUID
    public var compoundName: String
    public var communityCode: String
    public var heldOn: String
    public var title: String
    public var residentsCommittee: String?
    public var propertyManager: String?
    public var ownersCommittee: String?
    public var police: String?
    public var parties: Int
    public var expected: Int
    public var resolutions: Int
    public var openResolutions: Int

    public func attendee(_ p: CoordinationParty) -> String? {
        switch p {
        case .residentsCommittee: return residentsCommittee
        case .propertyManager: return propertyManager
        case .ownersCommittee: return ownersCommittee
        case .police: return police
        }
    }
}

extension PropertyQueries {
    /// Who could sit for the compound on a day: the company under a contract in force then, the community's 准物业管理
    /// (today's services; the register keeps no history of them), the owners' committee in its term.
    public func coordinationSetting(_ c: CompoundRecord, on day: CivilDate) async throws -> (CoordinationSetting, company: UUID?, committee: UUID?) {
        let d = day.description
        let company = try await sql.raw("""
            SELECT co.id, co.name FROM property_contracts k JOIN property_companies co ON co.id = k.company_id
            WHERE k.compound_id = \(bind: c.id) AND k.starts_on <= \(bind: d) AND k.ends_on >= \(bind: d) ORDER BY k.starts_on DESC, k.id LIMIT 1
            """).first()
        let committee = try await sql.raw("""
            SELECT id FROM property_committees WHERE compound_id = \(bind: c.id) AND starts_on <= \(bind: d) AND ends_on >= \(bind: d)
            ORDER BY starts_on DESC, id LIMIT 1
            """).first().map { try $0.decode(column: "id", as: UUID.self) }
        let name = try company.map { try $0.decode(column: "name", as: String.self) }
        let setting = CoordinationSetting(company: name, quasi: name == nil && !c.services.isEmpty, ownersCommittee: committee != nil)
        return (setting, try company.map { try $0.decode(column: "id", as: UUID.self) }, committee)
    }

    /// Holds a coordination meeting of a compound of the caller's area: the meeting and its parties in one transaction
    /// with the meeting's audit entry. Errors of the meeting and of the parties come back together.
    public func holdCoordination(compound id: UUID, _ input: CoordinationInput, deliberation: DeliberationQueries,
                                 by actor: DeliberationActor) async throws -> CoordinationRecord {
        guard actor.mayWrite else { throw RegistryError.forbidden("您没有记录议事会议的权限") }
        let c = try await requireCompound(id, in: actor.scope)
        let (setting, companyId, committeeId) = try await coordinationSetting(c, on: input.heldOn ?? today)
        let lines = CoordinationRules.lines(input, setting, compound: c.name)
        let meeting = MeetingInput(kind: .coordination, title: input.title, agenda: input.agenda, heldOn: input.heldOn, place: input.place,
                                   units: lines.units, officials: lines.officials)
        let errors = DeliberationRules.check(meeting, today: today) + CoordinationRules.check(input, setting)
        guard errors.isEmpty, let heldOn = input.heldOn else { throw RegistryError.invalid(errors) }
        let names = CoordinationParty.allCases.map { input.attendee($0) }
        let parties = names.compactMap { $0 }.count, expected = setting.expected.count, code = c.communityCode
        let m = try await deliberation.createMeeting(community: code, meeting, by: actor) { db, meetingId in
            try await SQLHelpers.sql(db).insert(into: "property_meetings")
                .columns("meeting_id", "compound_id", "community_code", "held_on", "company_id", "committee_id", "residents_committee",
                         "property_manager", "owners_committee", "police", "parties", "expected")
                .values(SQLBind(meetingId), SQLBind(id), SQLBind(code), SQLBind(heldOn.description), SQLBind(companyId), SQLBind(committeeId),
                        SQLBind(names[0]), SQLBind(names[1]), SQLBind(names[2]), SQLBind(names[3]), SQLBind(parties), SQLBind(expected))
                .run()
        }
        guard let r = try await coordinations("pm.meeting_id = \(bind: m.id)").first else { throw RegistryError.notFound("协调会") }
        return r
    }

    func coordinations(_ filter: SQLQueryString, limit: Int = 200) async throws -> [CoordinationRecord] {
        var q: SQLQueryString = """
            SELECT pm.meeting_id, pm.compound_id, c.name AS compound_name, pm.community_code, pm.held_on, m.title, pm.residents_committee,
                   pm.property_manager, pm.owners_committee, pm.police, pm.parties, pm.expected,
                   (SELECT COUNT(*) FROM deliberation_resolutions r WHERE r.meeting_id = pm.meeting_id) AS resolutions,
                   (SELECT COUNT(*) FROM deliberation_resolutions r WHERE r.meeting_id = pm.meeting_id AND r.state = 'open') AS open_resolutions
            FROM property_meetings pm JOIN deliberation_meetings m ON m.id = pm.meeting_id JOIN property_compounds c ON c.id = pm.compound_id
            WHERE
            """
        q.appendLiteral(" ")
        q = q + filter
        q.appendLiteral(" ORDER BY pm.held_on DESC, pm.meeting_id LIMIT \(limit)")
        return try await sql.raw(q).all().map { try $0.decodeRecord(CoordinationRecord.self) }
    }

    /// A compound's coordination meetings, newest first.
    public func coordinations(ofCompound id: UUID, in scope: RegistryScope) async throws -> [CoordinationRecord] {
        _ = try await requireCompound(id, in: scope)
        return try await coordinations("pm.compound_id = \(bind: id)")
    }

    /// The area's coordination meetings since a day (the 200 newest), for the street's and the district's overview.
    public func coordinations(in scope: RegistryScope, since day: CivilDate) async throws -> [CoordinationRecord] {
        try await coordinations("pm.community_code LIKE \(bind: Self.area(scope) + "%") AND pm.held_on >= \(bind: day.description)")
    }
}
