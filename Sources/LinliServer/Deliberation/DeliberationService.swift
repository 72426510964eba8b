import Foundation
import LinliCore
import LinliData
import Vapor

extension Request {
    /// 民主协商与网上议事's queries for this request.
    var deliberation: DeliberationQueries {
        let linli = application.linli
        return DeliberationQueries(db, cipher: linli.cipher, today: linli.today(), now: linli.now)
    }

    var deliberationActor: DeliberationActor {
        let p = principal?.role.permissions ?? []
        return DeliberationActor(audit: auditActor, scope: registryScope, mayWrite: p.contains(.deliberationWrite), mayModerate: p.contains(.consultationModerate))
    }

    /// The registry entry the signed-in resident's account is linked to (实名核验), nil when not linked.
    func linkedResident() async throws -> ResidentRecord? {
        guard let p = principal else { return nil }
        return try await accountLink.resident(of: p.account.id)
    }
}

/// What the API and the pages share: inputs as typed, turned into the data layer's calls.
enum DeliberationService {
    struct MeetingBody: Decodable {
        var communityCode: String?
        var kind: String?
        var title: String?
        var agenda: String?
        var heldOn: String?
        var place: String?
        var residentIds: [String]?
        var otherResidents: Int?
        var units: [String]?
        var officials: [String]?
        var minutes: String?
    }

    struct MinutesBody: Decodable {
        var minutes: String?
        var version: Int?
    }

    struct ResolutionBody: Decodable {
        var text: String?
        var owner: String?
        var dueOn: String?
    }

    struct FollowUpBody: Decodable {
        var note: String?
        var onDate: String?
        var done: Bool?
        var version: Int?
    }

    struct RequestBody: Decodable {
        var serviceCode: String?
    }

    struct ProposalBody: Decodable {
        var communityCode: String?
        var title: String?
        var what: String?
        var why: String?
        var cost: Int64?
        var deadline: String?
    }

    struct CloseBody: Decodable {
        var decision: String?
        var response: String?
        var version: Int?
    }

    struct HideBody: Decodable {
        var reason: String?
    }

    struct CommentBody: Decodable {
        var body: String?
    }

    static func date(_ raw: String?, field: String) throws -> CivilDate? {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        guard let d = CivilDate(raw) else { throw RegistryError.invalid([FieldError(field, "日期应为 YYYY-MM-DD")]) }
        return d
    }

    static func kind(_ raw: String?) throws -> MeetingKind? {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        guard let k = MeetingKind.parse(raw) else {
            throw RegistryError.invalid([FieldError("kind", "会议类型可选：\(MeetingKind.allCases.map { "\($0.rawValue)（\($0.label)）" }.joined(separator: "、"))")])
        }
        return k
    }

    static func meeting(_ b: MeetingBody) throws -> MeetingInput {
        var ids: [UUID] = []
        for raw in (b.residentIds ?? []).prefix(DeliberationRules.maxParticipants + 1) {
            guard let id = UUID(uuidString: raw) else { throw RegistryError.invalid([FieldError("resident_ids", "参会居民应为居民的 id（UUID）")]) }
            ids.append(id)
        }
        return MeetingInput(kind: try kind(b.kind), title: b.title, agenda: b.agenda, heldOn: try date(b.heldOn, field: "held_on"), place: b.place, residentIds: ids,
                            otherResidents: b.otherResidents, units: b.units ?? [], officials: b.officials ?? [], minutes: b.minutes)
    }

    static func proposal(_ b: ProposalBody) throws -> ProposalInput {
        ProposalInput(title: b.title, what: b.what, why: b.why, cost: b.cost, deadline: try date(b.deadline, field: "deadline"))
    }
}
