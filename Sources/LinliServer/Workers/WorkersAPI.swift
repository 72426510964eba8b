import Foundation
import LinliCore
import LinliData
import Vapor

/// `/api/v1/workers`: 社工队伍 — the register of community workers, their qualifications, training hours, annual
/// appraisals, the reserve lists, the district's pay scale and the figures. Scoped like the registry (a worker
/// outside the caller's area is 404); a linked account reads its own record; a community's list is open.
struct WorkersAPI {
    func boot(_ routes: Routes) {
        let w = routes.grouped("workers")
        w.get(needs: .permission(.workersRead), use: list)
        w.post(needs: .permission(.workersManage), use: create)
        w.get("export.xlsx", needs: .permission(.workersRead), use: export)
        w.get("figures", needs: .permission(.workersRead), use: figures)
        w.get("public", needs: .open, use: publicList)
        w.get("me", needs: .permission(.workersOwn), use: own)
        w.get("pay-scale", needs: .permission(.workersRead), use: payScale)
        w.put("pay-scale", needs: .permission(.workersGrades), use: setPayScale)
        w.get("reserves", needs: .permission(.workersRead), use: reserves)
        w.post("reserves", ":id", "removal", needs: .permission(.workersManage), use: removeReserve)
        w.get(":id", needs: .permission(.workersRead), use: file)
        w.patch(":id", needs: .permission(.workersManage), use: update)
        w.get(":id", "phone", needs: .permission(.workersRead), use: phone)
        w.post(":id", "qualifications", needs: .permission(.workersManage), use: qualification)
        w.post(":id", "training", needs: .permission(.workersManage), use: training)
        w.post(":id", "appraisals", needs: .permission(.workersManage), use: appraisal)
        w.post(":id", "reserves", needs: .permission(.workersManage), use: reserve)
    }

    func list(req: Request) async throws -> JSONBody<PageDTO<WorkerDTO>> {
        let page = try await req.workers.list(in: try req.narrowedScope(), try WorkersService.filter(req), page: try req.pageRequest())
        return JSONBody(PageDTO(page, WorkerDTO.init))
    }

    func create(req: Request) async throws -> JSONBody<WorkerDTO> {
        let w = try await WorkersService.create(req, try req.decodeJSON(WorkersService.WorkerBody.self))
        return JSONBody(WorkerDTO(w), status: .created)
    }

    func export(req: Request) async throws -> Response { try await WorkersService.export(req) }

    func figures(req: Request) async throws -> JSONBody<[WorkerFiguresDTO]> {
        let rows = try await req.workers.figures(in: try req.narrowedScope(), year: try WorkersService.year(req))
        return JSONBody(rows.map(WorkerFiguresDTO.init))
    }

    /// A community's workers: name, post, title; nothing personal beyond what communities publish.
    func publicList(req: Request) async throws -> JSONBody<[PublicWorkerDTO]> {
        guard let code = try req.queryDivisionCode("community", level: .community) else { throw ProblemError.badRequest("community", "请给出村/社区代码 community") }
        guard try await DivisionQueries(req.db).find(code: code.value) != nil else { throw RegistryError.notFound("村/社区") }
        return JSONBody(try await req.workers.publicList(community: code.value).map(PublicWorkerDTO.init))
    }

    /// The caller's own record (read-only), when their account is linked to one.
    func own(req: Request) async throws -> JSONBody<WorkerFileDTO> {
        let w = try await WorkersService.own(req)
        return JSONBody(WorkerFileDTO(try await req.workers.file(of: w, audit: nil)))
    }

    func payScale(req: Request) async throws -> JSONBody<PayScaleDTO> { JSONBody(PayScaleDTO(try await req.workers.payScale())) }

    func setPayScale(req: Request) async throws -> JSONBody<PayScaleDTO> {
        let s = try WorkersService.scale(try req.decodeJSON(WorkersService.ScaleBody.self))
        return JSONBody(PayScaleDTO(try await req.workers.setPayScale(s, by: req.workersActor)))
    }

    func reserves(req: Request) async throws -> JSONBody<[ReserveDTO]> {
        JSONBody(try await req.workers.reserves(in: try req.narrowedScope(), removed: try req.queryBool("removed") ?? false).map(ReserveDTO.init))
    }

    func removeReserve(req: Request) async throws -> Response {
        let b = try req.decodeJSON(WorkersService.RemovalBody.self)
        try await req.workers.removeReserve(try req.pathUUID(), reason: b.reason, by: req.workersActor)
        return Response(status: .noContent)
    }

    /// A worker's full record: a full view, audited.
    func file(req: Request) async throws -> JSONBody<WorkerFileDTO> {
        let w = try await WorkersService.find(req, id: try req.pathUUID())
        return JSONBody(WorkerFileDTO(try await req.workers.file(of: w, audit: req.auditActor)))
    }

    func update(req: Request) async throws -> JSONBody<WorkerDTO> {
        JSONBody(WorkerDTO(try await WorkersService.update(req, id: try req.pathUUID(), try req.decodeJSON(WorkersService.WorkerBody.self))))
    }

    func phone(req: Request) async throws -> JSONBody<[String: String]> {
        guard let phone = try await req.workers.phone(of: try req.pathUUID(), by: req.workersActor) else { throw RegistryError.notFound("联系电话") }
        return JSONBody(["phone": phone])
    }

    func qualification(req: Request) async throws -> JSONBody<[QualificationDTO]> {
        let q = try await WorkersService.qualification(req, id: try req.pathUUID(), try req.decodeJSON(WorkersService.QualificationBody.self))
        return JSONBody(q.map(QualificationDTO.init), status: .created)
    }

    func training(req: Request) async throws -> JSONBody<[TrainingDTO]> {
        let b = try req.decodeJSON(WorkersService.TrainingBody.self)
        return JSONBody(try await req.workers.setTraining(try req.pathUUID(), year: b.year, hours: b.hours, by: req.workersActor).map(TrainingDTO.init))
    }

    func appraisal(req: Request) async throws -> JSONBody<AppraisalDTO> {
        let a = try await WorkersService.appraisal(req, id: try req.pathUUID(), try req.decodeJSON(WorkersService.AppraisalBody.self))
        return JSONBody(AppraisalDTO(a), status: .created)
    }

    func reserve(req: Request) async throws -> JSONBody<ReserveDTO> {
        let r = try await WorkersService.reserve(req, id: try req.pathUUID(), try req.decodeJSON(WorkersService.ReserveBody.self))
        return JSONBody(ReserveDTO(r), status: .created)
    }
}
