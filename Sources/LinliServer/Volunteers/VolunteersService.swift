import Foundation
import LinliCore
import LinliData
import Vapor

extension Request {
    /// 志愿者's queries for this request.
    var volunteers: VolunteersQueries {
        let linli = application.linli
        return VolunteersQueries(db, cipher: linli.cipher, today: linli.today(), now: linli.now)
    }

    var volunteersActor: VolunteersActor {
        let permissions = principal?.role.permissions ?? []
        return VolunteersActor(audit: auditActor, scope: registryScope, mayWrite: permissions.contains(.volunteersWrite),
                               mayRun: permissions.contains(.volunteersActivities))
    }

    /// The signed-in resident's account link to the registry.
    var accountLink: AccountResidentLink {
        let linli = application.linli
        return AccountResidentLink(db, cipher: linli.cipher, today: linli.today(), now: linli.now)
    }
}

/// What the API, the console pages and the portal share: inputs as typed, turned into the data layer's calls.
enum VolunteersService {
    /// Tries of 实名核验 per account: five in ten minutes, like the other sign-in forms.
    static let linkLimiter = RateLimiter(limit: 5, window: 600)

    struct RegistrationBody: Decodable {
        var residentId: UUID?
        var skills: [String]?
        var skillNote: String?
        var serviceAreas: [String]?
        var availability: [String]?
        var registeredOn: String?
        var guardianName: String?
        var guardianRelation: String?
        var guardianConsentOn: String?
    }

    struct StepBody: Decodable {
        var step: String?
        var version: Int?
        var date: String?
    }

    struct TeamBody: Decodable {
        var name: String?
        var kind: String?
        var skill: String?
        var organizationId: UUID?
        var leaderId: UUID?
        var communityCode: String?
    }

    struct ActivityBody: Decodable {
        var communityCode: String?
        var teamId: UUID?
        var organizationId: UUID?
        var projectId: UUID?
        var title: String?
        var place: String?
        var detail: String?
        var skills: [String]?
        var startsAt: Int64?
        var endsAt: Int64?
        var places: Int?
    }

    struct CorrectionBody: Decodable {
        var hours: Double?
        var reason: String?
        var servedOn: String?
        var activityId: UUID?
    }

    /// A date as typed at `field`: absent is nil; a malformed one is named.
    static func date(_ raw: String?, field: String) throws -> CivilDate? {
        guard let raw = raw?.trimmedOrNil else { return nil }
        guard let d = CivilDate(raw) else { throw RegistryError.invalid([FieldError(field, "日期应为 YYYY-MM-DD")]) }
        return d
    }

    /// Values of a fixed list, by code or label; an unknown one is named at `field`.
    static func values<T: RawRepresentable & CaseIterable>(_ raw: [String]?, _ type: T.Type, field: String, label: (T) -> String) throws -> [T] where T.RawValue == String {
        var out: [T] = []
        for r in raw ?? [] {
            let t = r.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { continue }
            guard let v = T(rawValue: t) ?? T.allCases.first(where: { label($0) == t }) else {
                throw RegistryError.invalid([FieldError(field, "可选：\(T.allCases.map { "\($0.rawValue)（\(label($0))）" }.joined(separator: "、"))")])
            }
            if !out.contains(where: { $0.rawValue == v.rawValue }) { out.append(v) }
        }
        return out
    }

    static func registration(_ b: RegistrationBody, today: CivilDate) throws -> VolunteerInput {
        VolunteerInput(VolunteerRules.Registration(
            skills: try values(b.skills, VolunteerSkill.self, field: "skills", label: \.label), skillNote: b.skillNote,
            areas: try values(b.serviceAreas, VolunteerServiceArea.self, field: "service_areas", label: \.label),
            availability: try values(b.availability, VolunteerAvailability.self, field: "availability", label: \.label),
            registeredOn: try date(b.registeredOn, field: "registered_on") ?? today,
            guardianName: b.guardianName, guardianRelation: b.guardianRelation, guardianConsentOn: try date(b.guardianConsentOn, field: "guardian")))
    }

    static func activity(_ b: ActivityBody) throws -> VolunteerActivityInput {
        VolunteerActivityInput(communityCode: b.communityCode, teamId: b.teamId, organizationId: b.organizationId, projectId: b.projectId, title: b.title,
                               place: b.place, detail: b.detail, skills: try values(b.skills, VolunteerSkill.self, field: "skills", label: \.label),
                               startsAt: b.startsAt, endsAt: b.endsAt, places: b.places)
    }

    static func step(_ raw: String?) throws -> VolunteerStep {
        guard let raw, let s = VolunteerStep(rawValue: raw) else {
            throw RegistryError.invalid([FieldError("step", "步骤可选：confirm（社区确认）、sign（签订协议）、withdraw（退出）、rejoin（退出后重新申请）")])
        }
        return s
    }

    /// The volunteer of the signed-in resident: linked to the registry and registered, or nil.
    static func ownVolunteer(_ req: Request) async throws -> (resident: ResidentRecord?, volunteer: VolunteerRecord?) {
        guard let p = req.principal, p.role == .resident else { return (nil, nil) }
        guard let r = try await req.accountLink.resident(of: p.account.id) else { return (nil, nil) }
        return (r, try await req.volunteers.volunteer(resident: r.id))
    }

    /// The volunteer roll of the caller's scope as .xlsx, names and numbers masked (audited).
    static func export(_ req: Request) async throws -> Response {
        let path = ListExport.temporaryPath("xlsx")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await req.volunteers.exportRoll(in: req.registryScope, to: path, by: req.volunteersActor)
        return ListExport.download(path: path, name: "志愿者名册.xlsx", format: "xlsx")
    }
}
