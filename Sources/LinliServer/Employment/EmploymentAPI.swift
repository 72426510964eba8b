import Foundation
import LinliCore
import LinliData
import Vapor

/// `/api/v1/employment`: 就业援助 — the unemployment register (失业登记) with its contacts, referrals, designation
/// and exits; public-welfare posts, placements and the street's monthly allowance roll; the placement term.
/// Scoped like the registry; a person's page is a full view, audited.
struct EmploymentAPI {
    func boot(_ routes: Routes) {
        let e = routes.grouped("employment")
        e.get("registrations", needs: .permission(.employmentRead), use: list)
        e.post("registrations", needs: .permission(.employmentWrite), use: register)
        e.get("registrations", ":id", needs: .permission(.employmentRead), use: file)
        e.post("registrations", ":id", "contacts", needs: .permission(.employmentWrite), use: contact)
        e.post("registrations", ":id", "referrals", needs: .permission(.employmentWrite), use: refer)
        e.post("registrations", ":id", "designation", needs: .permission(.employmentWrite), use: designate)
        e.post("registrations", ":id", "exit", needs: .permission(.employmentWrite), use: exit)
        e.get("posts", needs: .permission(.employmentRead), use: posts)
        e.post("posts", needs: .permission(.employmentJobs), use: createPost)
        e.get("posts", ":id", needs: .permission(.employmentRead), use: post)
        e.post("posts", ":id", "placements", needs: .permission(.employmentJobs), use: place)
        e.post("placements", ":id", "end", needs: .permission(.employmentJobs), use: endPlacement)
        e.get("allowances", needs: .permission(.employmentJobs), use: roll)
        e.get("settings", needs: .permission(.employmentRead), use: settings)
        e.put("settings", needs: .permission(.employmentConfigure), use: saveSettings)
    }

    func list(req: Request) async throws -> JSONBody<PageDTO<RegistrationListDTO>> {
        var f = EmploymentFilter()
        f.status = try req.queryEnum("status", RegistrationStatus.self)
        f.designated = try req.queryBool("designated")
        f.overdueContact = try req.queryBool("overdue_contact") == true
        f.category = try req.queryEnum("category", DifficultyCategory.self)
        let page = try await req.employment.registrations(in: try req.narrowedScope(), filter: f, page: try req.pageRequest())
        let today = req.application.linli.today()
        return JSONBody(PageDTO(page) { RegistrationListDTO($0, today: today) })
    }

    func register(req: Request) async throws -> JSONBody<RegistrationDTO> {
        let r = try await EmploymentService.register(req, try req.decodeJSON(EmploymentService.RegistrationBody.self))
        return JSONBody(RegistrationDTO(r, today: req.application.linli.today()), status: .created)
    }

    func file(req: Request) async throws -> JSONBody<RegistrationFileDTO> {
        JSONBody(try await EmploymentService.file(req, id: try req.pathUUID()))
    }

    struct ContactBody: Decodable { var contactedOn: String?; var way: String?; var content: String? }

    func contact(req: Request) async throws -> JSONBody<EmploymentContactRecord> {
        let b = try req.decodeJSON(ContactBody.self)
        let way = try b.way.map { raw in
            guard let w = ContactWay(rawValue: raw) else {
                throw RegistryError.invalid([FieldError("way", "联系方式可选：\(ContactWay.allCases.map(\.rawValue).joined(separator: "、"))")])
            }
            return w
        }
        return JSONBody(try await req.employment.contact(try req.pathUUID(), on: b.contactedOn, way: way, content: b.content, by: req.employmentActor),
                        status: .created)
    }

    struct ReferralBody: Decodable { var referredOn: String?; var employer: String?; var post: String?; var result: String? }

    func refer(req: Request) async throws -> JSONBody<EmploymentReferralRecord> {
        let b = try req.decodeJSON(ReferralBody.self)
        let result = try b.result.map { raw in
            guard let r = ReferralResult(rawValue: raw) else {
                throw RegistryError.invalid([FieldError("result", "推荐结果可选：\(ReferralResult.allCases.map(\.rawValue).joined(separator: "、"))")])
            }
            return r
        }
        return JSONBody(try await req.employment.refer(try req.pathUUID(), on: b.referredOn, employer: b.employer, post: b.post, result: result,
                                                       by: req.employmentActor), status: .created)
    }

    struct DesignationBody: Decodable { var categories: [String]?; var categoryNote: String?; var version: Int? }

    func designate(req: Request) async throws -> JSONBody<RegistrationDTO> {
        let b = try req.decodeJSON(DesignationBody.self)
        let r = try await req.employment.designate(try req.pathUUID(), categories: try EmploymentService.categories(b.categories), note: b.categoryNote,
                                                   version: try requireVersion(b.version), by: req.employmentActor)
        return JSONBody(RegistrationDTO(r, today: req.application.linli.today()))
    }

    struct ExitBody: Decodable { var exitReason: String?; var exitOn: String?; var exitEmployer: String?; var exitNote: String?; var version: Int? }

    func exit(req: Request) async throws -> JSONBody<RegistrationDTO> {
        let b = try req.decodeJSON(ExitBody.self)
        let r = try await EmploymentService.exit(req, id: try req.pathUUID(), reason: b.exitReason, on: b.exitOn, employer: b.exitEmployer, note: b.exitNote,
                                                 version: b.version)
        return JSONBody(RegistrationDTO(r, today: req.application.linli.today()))
    }

    func posts(req: Request) async throws -> JSONBody<PageDTO<PostDTO>> {
        JSONBody(PageDTO(try await req.employment.posts(in: try req.narrowedScope(), page: try req.pageRequest()), PostDTO.init))
    }

    struct PostBody: Decodable { var title: String?; var employer: String?; var communityCode: String?; var hoursPerWeek: Int?; var monthlyAllowance: Int?; var places: Int? }

    func createPost(req: Request) async throws -> JSONBody<PostDTO> {
        let b = try req.decodeJSON(PostBody.self)
        let p = try await req.employment.createPost(PostInput(title: b.title, employer: b.employer, communityCode: b.communityCode, hoursPerWeek: b.hoursPerWeek,
                                                              monthlyAllowance: b.monthlyAllowance, places: b.places), by: req.employmentActor)
        return JSONBody(PostDTO(p), status: .created)
    }

    func post(req: Request) async throws -> JSONBody<PostFileDTO> {
        let id = try req.pathUUID()
        guard let p = try await req.employment.post(id, in: req.registryScope) else { throw RegistryError.notFound("公益性岗位") }
        return JSONBody(PostFileDTO(post: PostDTO(p), placements: try await req.employment.placements(ofPost: id).map(PlacementDTO.init)))
    }

    struct PlacementBody: Decodable { var residentId: UUID?; var startOn: String?; var endOn: String? }

    func place(req: Request) async throws -> JSONBody<PlacementDTO> {
        let b = try req.decodeJSON(PlacementBody.self)
        let p = try await EmploymentService.place(req, post: try req.pathUUID(), resident: b.residentId, start: b.startOn, end: b.endOn)
        return JSONBody(PlacementDTO(p), status: .created)
    }

    struct EndBody: Decodable { var endedOn: String?; var endedReason: String?; var version: Int? }

    func endPlacement(req: Request) async throws -> JSONBody<PlacementDTO> {
        let b = try req.decodeJSON(EndBody.self)
        let p = try await req.employment.endPlacement(try req.pathUUID(), on: b.endedOn, reason: b.endedReason, version: try requireVersion(b.version),
                                                      by: req.employmentActor)
        return JSONBody(PlacementDTO(p))
    }

    /// The street's allowance roll of a month (names in full: for paying): audited like its .xlsx.
    func roll(req: Request) async throws -> JSONBody<AllowanceRollDTO> {
        let street = try EmploymentService.street(req)
        let m = try EmploymentService.month(try req.queryString("month", maxLength: 7), today: req.application.linli.today())
        let lines = try await req.employment.allowanceRoll(street: street, year: m.year, month: m.month, in: req.registryScope)
        let month = String(format: "%04d-%02d", m.year, m.month)
        try await AuditLog.record(AuditEvent(EmploymentAudit.roll, target: .employmentRoll(street, month), detail: ["rows": String(lines.count)]),
                                  by: req.auditActor, on: req.db, now: req.application.linli.now())
        return JSONBody(AllowanceRollDTO(street: street, month: month, lines: lines.map(AllowanceLineDTO.init), total: lines.reduce(0) { $0 + $1.amount }))
    }

    func settings(req: Request) async throws -> JSONBody<EmploymentSettingsDTO> {
        let t = try await req.employment.termMonths()
        return JSONBody(EmploymentSettingsDTO(placementTermMonths: t.months, version: t.version))
    }

    func saveSettings(req: Request) async throws -> JSONBody<EmploymentSettingsDTO> {
        let b = try req.decodeJSON(EmploymentSettingsDTO.self)
        _ = try await req.employment.saveTerm(b.placementTermMonths, version: try requireVersion(b.version), by: req.employmentActor)
        let t = try await req.employment.termMonths()
        return JSONBody(EmploymentSettingsDTO(placementTermMonths: t.months, version: t.version))
    }
}
