import Foundation
import LinliCore
import LinliData
import Vapor

extension Request {
    /// 就业援助's queries for this request.
    var employment: EmploymentQueries {
        EmploymentQueries(db, today: application.linli.today(), now: application.linli.now)
    }

    /// The caller as the employment writes see them.
    var employmentActor: EmploymentActor {
        let permissions = principal?.role.permissions ?? []
        return EmploymentActor(audit: auditActor, scope: registryScope, mayWrite: permissions.contains(.employmentWrite),
                               mayJobs: permissions.contains(.employmentJobs), mayConfigure: permissions.contains(.employmentConfigure))
    }
}

/// What the API and the console pages share: inputs as typed, turned into the data layer's calls. A write that
/// changes the 失业人员 tag drops the person from the resident cache once it has committed.
enum EmploymentService {
    struct RegistrationBody: Decodable {
        var residentId: UUID?
        var registeredOn: String?
        var reason: String?
        var lastJob: String?
        var skills: String?
        var wishes: String?
        var categories: [String]?
        var categoryNote: String?
    }

    static func categories(_ raw: [String]?) throws -> [DifficultyCategory] {
        try (raw ?? []).map { name in
            guard let c = DifficultyCategory(rawValue: name) else {
                throw RegistryError.invalid([FieldError("categories", "就业困难人员类别可选：\(DifficultyCategory.allCases.map(\.rawValue).joined(separator: "、"))")])
            }
            return c
        }
    }

    static func register(_ req: Request, _ b: RegistrationBody) async throws -> EmploymentRegistrationRecord {
        let input = RegistrationInput(residentId: b.residentId, registeredOn: b.registeredOn, reason: b.reason, lastJob: b.lastJob, skills: b.skills,
                                      wishes: b.wishes, categories: try categories(b.categories), categoryNote: b.categoryNote)
        let r = try await req.employment.register(input, by: req.employmentActor)
        req.application.linli.residentCache?.remove(r.residentId)
        return r
    }

    static func exit(_ req: Request, id: UUID, reason: String?, on: String?, employer: String?, note: String?, version: Int?) async throws -> EmploymentRegistrationRecord {
        var parsed: EmploymentExitReason?
        if let reason, !reason.isEmpty {
            guard let r = EmploymentExitReason(rawValue: reason) else {
                throw RegistryError.invalid([FieldError("exit_reason", "退出原因可选：\(EmploymentExitReason.typed.map(\.rawValue).joined(separator: "、"))")])
            }
            parsed = r
        }
        let r = try await req.employment.exit(id, reason: parsed, on: on, employer: employer, note: note, version: try requireVersion(version),
                                              by: req.employmentActor)
        req.application.linli.residentCache?.remove(r.residentId)
        return r
    }

    static func place(_ req: Request, post: UUID, resident: UUID?, start: String?, end: String?) async throws -> EmploymentPlacementRecord {
        let p = try await req.employment.place(post: post, resident: resident, start: start, end: end, by: req.employmentActor)
        req.application.linli.residentCache?.remove(p.residentId)
        return p
    }

    /// A person's page: the registration (audited), contacts, referrals, placements and the household's assistance cases.
    static func file(_ req: Request, id: UUID) async throws -> RegistrationFileDTO {
        let q = req.employment, today = req.application.linli.today()
        let r = try await q.view(id, in: req.registryScope, by: req.auditActor)
        return RegistrationFileDTO(registration: RegistrationDTO(r, today: today), contacts: try await q.contacts(of: id),
                                   referrals: try await q.referrals(of: id), placements: try await q.placements(ofResident: r.residentId).map(PlacementDTO.init),
                                   householdAssistance: try await q.assistanceCases(ofHousehold: r.householdId).map(HouseholdCaseDTO.init))
    }

    /// `YYYY-MM` of a roll; this month when not given.
    static func month(_ raw: String?, today: CivilDate) throws -> (year: Int, month: Int) {
        guard let raw, !raw.isEmpty else { return (today.year, today.month) }
        let parts = raw.split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, let y = Int(parts[0]), let m = Int(parts[1]), (1...12).contains(m), (2000...2100).contains(y) else {
            throw ProblemError.badRequest("month", "月份应为 YYYY-MM")
        }
        return (y, m)
    }

    static func street(_ req: Request) throws -> String {
        guard let code = try req.queryDivisionCode("street", level: .street) else { throw ProblemError.badRequest("street", "请指定街道（镇）代码") }
        guard req.registryScope.contains(code: code.value) else { throw RegistryError.notFound("街道") }
        return code.value
    }
}
