import Foundation
import LinliCore
import LinliData
import Vapor

/// `/api/v1/organizations`: 社会组织 — the register (登记 and 备案), annual reports, status, the incubation base,
/// support, and projects (政府购买服务, 资助项目, 合同外包) with milestones, payments and evaluations. Scoped like
/// the registry; the public list of active organizations is open.
struct OrganizationsAPI {
    func boot(_ routes: Routes) {
        let o = routes.grouped("organizations")
        o.get(needs: .permission(.organizationsRead), use: list)
        o.post(needs: .permission(.organizationsWrite), use: create)
        o.get("export.xlsx", needs: .permission(.organizationsRead), use: export)
        o.get("public", needs: .open, use: publicList)
        o.get("projects", needs: .permission(.organizationsRead), use: projects)
        o.post("projects", needs: .permission(.organizationsProjects), use: createProject)
        o.get("projects", ":id", needs: .permission(.organizationsRead), use: project)
        o.post("projects", ":id", "milestones", needs: .permission(.organizationsProjects), use: milestone)
        o.post("projects", ":id", "evaluation", needs: .permission(.organizationsProjects), use: evaluate)
        o.get(":id", needs: .permission(.organizationsRead), use: file)
        o.patch(":id", needs: .permission(.organizationsWrite), use: update)
        o.get(":id", "phone", needs: .permission(.organizationsRead), use: phone)
        o.post(":id", "status", needs: .permission(.organizationsWrite), use: status)
        o.post(":id", "reports", needs: .permission(.organizationsWrite), use: report)
        o.post(":id", "incubation", needs: .permission(.organizationsSupport), use: incubation)
        o.post(":id", "support", needs: .permission(.organizationsSupport), use: support)
    }

    func list(req: Request) async throws -> JSONBody<PageDTO<OrganizationDTO>> {
        let page = try await req.organizations.list(in: try req.narrowedScope(), try OrganizationsService.filter(req), page: try req.pageRequest())
        return JSONBody(PageDTO(page, OrganizationDTO.init))
    }

    /// 备案 needs `organizations.write`, 登记 also `organizations.register` (the data layer checks which applies).
    func create(req: Request) async throws -> JSONBody<OrganizationDTO> {
        let o = try await OrganizationsService.create(req, try req.decodeJSON(OrganizationsService.OrganizationBody.self))
        return JSONBody(OrganizationDTO(o), status: .created)
    }

    func export(req: Request) async throws -> Response { try await OrganizationsService.export(req) }

    func publicList(req: Request) async throws -> JSONBody<PageDTO<PublicOrganizationDTO>> {
        let page = try await req.organizations.publicList(kind: try req.queryEnum("kind", OrganizationKind.self), page: try req.pageRequest())
        return JSONBody(PageDTO(page, PublicOrganizationDTO.init))
    }

    func file(req: Request) async throws -> JSONBody<OrganizationFileDTO> {
        let o = try await OrganizationsService.find(req, id: try req.pathUUID()), q = req.organizations
        let support = try await q.support(of: o.id)
        return JSONBody(OrganizationFileDTO(organization: OrganizationDTO(o), reports: try await q.reports(of: o.id).map(ReportDTO.init),
                                            incubations: try await q.incubations(of: o.id).map(IncubationDTO.init), support: support.map(SupportDTO.init),
                                            supportTotals: OrganizationsQueries.totals(support).map { SupportYearDTO(year: $0.year, amountFen: $0.amountFen, entries: $0.entries) },
                                            actions: OrganizationWorkflow.actions(from: o.status)))
    }

    func update(req: Request) async throws -> JSONBody<OrganizationDTO> {
        let o = try await OrganizationsService.update(req, id: try req.pathUUID(), try req.decodeJSON(OrganizationsService.OrganizationBody.self))
        return JSONBody(OrganizationDTO(o))
    }

    /// The legal person's full phone: a full view, audited.
    func phone(req: Request) async throws -> JSONBody<[String: String]> {
        guard let phone = try await req.organizations.phone(of: try req.pathUUID(), by: req.organizationsActor) else { throw RegistryError.notFound("社会组织") }
        return JSONBody(["phone": phone])
    }

    func status(req: Request) async throws -> JSONBody<OrganizationDTO> {
        let o = try await OrganizationsService.changeStatus(req, id: try req.pathUUID(), try req.decodeJSON(OrganizationsService.StatusBody.self))
        return JSONBody(OrganizationDTO(o))
    }

    func report(req: Request) async throws -> JSONBody<[ReportDTO]> {
        let b = try req.decodeJSON(OrganizationsService.ReportBody.self)
        let r = try await req.organizations.recordReport(try req.pathUUID(), year: b.year, receivedOn: try OrganizationsService.date(b.receivedOn, "received_on"),
                                                         by: req.organizationsActor)
        return JSONBody(r.map(ReportDTO.init), status: .created)
    }

    /// Enters the incubation base (`entered_on`) or graduates from it (`graduated_on`).
    func incubation(req: Request) async throws -> JSONBody<[IncubationDTO]> {
        let b = try req.decodeJSON(OrganizationsService.IncubationBody.self), id = try req.pathUUID(), q = req.organizations
        let stays: [IncubationRecord]
        if b.graduatedOn != nil {
            stays = try await q.graduate(id, on: try OrganizationsService.date(b.graduatedOn, "graduated_on"), by: req.organizationsActor)
        } else {
            stays = try await q.enterIncubation(id, on: try OrganizationsService.date(b.enteredOn, "entered_on"), note: b.note, by: req.organizationsActor)
        }
        return JSONBody(stays.map(IncubationDTO.init))
    }

    func support(req: Request) async throws -> JSONBody<SupportDTO> {
        let s = try await OrganizationsService.support(req, id: try req.pathUUID(), try req.decodeJSON(OrganizationsService.SupportBody.self))
        return JSONBody(SupportDTO(s), status: .created)
    }

    func projects(req: Request) async throws -> JSONBody<PageDTO<ProjectDTO>> {
        let page = try await req.organizations.projects(in: try req.narrowedScope(), organization: try req.queryUUID("organization_id"), page: try req.pageRequest())
        return JSONBody(PageDTO(page, ProjectDTO.init))
    }

    func createProject(req: Request) async throws -> JSONBody<ProjectDTO> {
        let p = try await OrganizationsService.createProject(req, try req.decodeJSON(OrganizationsService.ProjectBody.self))
        return JSONBody(ProjectDTO(p), status: .created)
    }

    func project(req: Request) async throws -> JSONBody<ProjectFileDTO> {
        let p = try await OrganizationsService.findProject(req, id: try req.pathUUID())
        return JSONBody(ProjectFileDTO(project: ProjectDTO(p), milestones: try await req.organizations.milestones(of: p.id).map(MilestoneDTO.init)))
    }

    func milestone(req: Request) async throws -> JSONBody<MilestoneDTO> {
        let m = try await OrganizationsService.milestone(req, project: try req.pathUUID(), try req.decodeJSON(OrganizationsService.MilestoneBody.self))
        return JSONBody(MilestoneDTO(m), status: .created)
    }

    func evaluate(req: Request) async throws -> JSONBody<ProjectDTO> {
        let b = try req.decodeJSON(OrganizationsService.EvaluationBody.self)
        let p = try await req.organizations.evaluate(try req.pathUUID(), score: b.score, note: b.note, version: try requireVersion(b.version), by: req.organizationsActor)
        return JSONBody(ProjectDTO(p))
    }
}
