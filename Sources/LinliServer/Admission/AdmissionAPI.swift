import Foundation
import LinliCore
import LinliData
import Vapor

/// `/api/v1/admission`: 行政事务进社区准入 — a department's application (draft, edit, submit), the district's
/// 初审 and 审定 (two accounts), the open 准入清单, a community's admitted tasks with their funds, its refusals of
/// unadmitted tasks, and the figures per department.
struct AdmissionAPI {
    func boot(_ routes: Routes) {
        let a = routes.grouped("admission")
        a.get("tasks", needs: .permission(.admissionRead), use: tasks)
        a.post("tasks", needs: .permission(.admissionApply), use: apply)
        a.get("tasks", ":id", needs: .permission(.admissionRead), use: task)
        a.patch("tasks", ":id", needs: .permission(.admissionApply), use: edit)
        a.post("tasks", ":id", "submit", needs: .permission(.admissionApply), use: submit)
        a.post("tasks", ":id", "review", needs: .permission(.admissionReview), use: review)
        a.post("tasks", ":id", "decide", needs: .permission(.admissionDecide), use: decide)
        a.get("list", needs: .open, use: list)
        a.get("community", needs: .permission(.admissionRead), use: community)
        a.post("pushes", needs: .permission(.admissionCommunity), use: push)
        a.post("funds", needs: .permission(.admissionCommunity), use: funds)
        a.get("departments", needs: .permission(.admissionRead), use: departments)
    }

    func tasks(req: Request) async throws -> JSONBody<PageDTO<AdmissionTaskDTO>> {
        let q = req.admission
        let page = try await q.tasks(status: try req.queryEnum("status", AdmissionStatus.self), department: try req.queryString("department", maxLength: 10),
                                     kind: try req.queryEnum("kind", AdmissionTaskKind.self), by: req.admissionActor, page: try req.pageRequest())
        let names = try await q.departmentNames(), counts = try await q.communityCounts(of: page.items.map(\.id))
        return JSONBody(PageDTO(page) { AdmissionTaskDTO($0, departments: names, communityCount: counts[$0.id] ?? 0) })
    }

    func file(_ req: Request, _ t: AdmissionTaskRecord) async throws -> AdmissionTaskFileDTO {
        let q = req.admission
        let communities = try await q.communities(of: t.id)
        return AdmissionTaskFileDTO(task: AdmissionTaskDTO(t, departments: try await q.departmentNames(), communityCount: communities.count),
                                    communities: communities, steps: try await q.steps(of: t.id).map(AdmissionStepDTO.init))
    }

    func apply(req: Request) async throws -> JSONBody<AdmissionTaskFileDTO> {
        let b = try req.decodeJSON(AdmissionService.TaskBody.self)
        let t = try await req.admission.apply(try AdmissionService.task(b), by: req.admissionActor)
        return JSONBody(try await file(req, t), status: .created)
    }

    func task(req: Request) async throws -> JSONBody<AdmissionTaskFileDTO> {
        JSONBody(try await file(req, try await req.admission.task(try req.pathUUID(), by: req.admissionActor)))
    }

    func edit(req: Request) async throws -> JSONBody<AdmissionTaskFileDTO> {
        let id = try req.pathUUID()
        let b = try req.decodeJSON(AdmissionService.TaskBody.self)
        let t = try await req.admission.edit(id, try AdmissionService.task(b), version: try requireVersion(b.version), by: req.admissionActor)
        return JSONBody(try await file(req, t))
    }

    func act(_ req: Request, allowed: [AdmissionAction]) async throws -> JSONBody<AdmissionTaskFileDTO> {
        let id = try req.pathUUID()
        let b = try req.decodeJSON(AdmissionService.ActionBody.self)
        let action = allowed.count == 1 ? allowed[0] : try AdmissionService.action(b.decision, allowed: allowed)
        let t = try await req.admission.act(id, action, note: b.note, version: try requireVersion(b.version), by: req.admissionActor)
        return JSONBody(try await file(req, t))
    }

    func submit(req: Request) async throws -> JSONBody<AdmissionTaskFileDTO> { try await act(req, allowed: [.submit]) }
    func review(req: Request) async throws -> JSONBody<AdmissionTaskFileDTO> { try await act(req, allowed: [.pass, .refuse, .sendBack]) }
    func decide(req: Request) async throws -> JSONBody<AdmissionTaskFileDTO> { try await act(req, allowed: [.admit, .refuse, .sendBack]) }

    /// The 准入清单 (open): admitted tasks in their period, without staff names.
    func list(req: Request) async throws -> JSONBody<PageDTO<AdmissionTaskDTO>> {
        let q = req.admission
        let page = try await q.list(page: try req.pageRequest())
        let names = try await q.departmentNames(), counts = try await q.communityCounts(of: page.items.map(\.id))
        return JSONBody(PageDTO(page) { AdmissionTaskDTO($0, departments: names, communityCount: counts[$0.id] ?? 0, staff: false) })
    }

    func community(req: Request) async throws -> JSONBody<AdmissionCommunityDTO> {
        guard let raw = try req.queryString("community", maxLength: 12) else { throw ProblemError.badRequest("community", "请给出村/社区代码（community）") }
        let q = req.admission
        let c = try await q.community(raw, in: req.registryScope)
        let names = try await q.departmentNames()
        let tasks = try await q.tasks(of: c.code).map {
            AdmissionCommunityTaskDTO(task: AdmissionTaskDTO($0.task, departments: names), promisedFen: $0.promisedFen, arrivedFen: $0.arrivedFen,
                                      fundsExecuted: AdmissionRules.fundsExecuted(promisedFen: $0.promisedFen, arrivedFen: $0.arrivedFen))
        }
        let pushes = try await q.pushes(of: c.code, page: PageRequest(page: 1, perPage: 1))
        return JSONBody(AdmissionCommunityDTO(communityCode: c.code, communityName: c.name, tasks: tasks, checksAndPlaques: try await q.checksAndPlaques(of: c.code),
                                              unadmittedRefused: pushes.total))
    }

    func push(req: Request) async throws -> JSONBody<AdmissionPushDTO> {
        let b = try req.decodeJSON(AdmissionService.PushBody.self)
        let p = try await req.admission.recordPush(community: b.communityCode, try AdmissionService.push(b), by: req.admissionActor)
        return JSONBody(AdmissionPushDTO(p), status: .created)
    }

    func funds(req: Request) async throws -> JSONBody<AdmissionFundsDTO> {
        let b = try req.decodeJSON(AdmissionService.FundsBody.self)
        let (id, input) = try AdmissionService.funds(b)
        let f = try await req.admission.recordFunds(task: id, community: b.communityCode, input, by: req.admissionActor)
        return JSONBody(AdmissionFundsDTO(f), status: .created)
    }

    func departments(req: Request) async throws -> JSONBody<[AdmissionDepartmentDTO]> {
        JSONBody(try await req.admission.departmentFigures(scope: req.registryScope).map(AdmissionDepartmentDTO.init))
    }
}
