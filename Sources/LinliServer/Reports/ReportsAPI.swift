import Foundation
import LinliCore
import LinliData
import Vapor

/// `/api/v1/reports`: 一表通 — the measure catalogue, departments' forms under admitted 数据报表 tasks (edited in
/// place, or as a new version once a community has started), the communities' returns filled from the
/// platform's data as of the form's reference date, the side-by-side table and its .xlsx, sending a return back.
struct ReportsAPI {
    func boot(_ routes: Routes) {
        let r = routes.grouped("reports")
        r.get("measures", needs: .permission(.reportsRead), use: measures)
        r.get("forms", needs: .permission(.reportsRead), use: forms)
        r.post("forms", needs: .permission(.reportsDesign), use: publish)
        r.get("forms", ":id", needs: .permission(.reportsRead), use: form)
        r.patch("forms", ":id", needs: .permission(.reportsDesign), use: edit)
        r.get("forms", ":id", "returns", needs: .permission(.reportsRead), use: table)
        r.get("forms", ":id", "returns.xlsx", needs: .permission(.reportsRead), use: export)
        r.get("forms", ":id", "returns", ":community", needs: .permission(.reportsRead), use: openReturn)
        r.put("forms", ":id", "returns", ":community", needs: .permission(.reportsFill), use: save)
        r.post("forms", ":id", "returns", ":community", "submit", needs: .permission(.reportsFill), use: submit)
        r.post("forms", ":id", "returns", ":community", "send-back", needs: .permission(.reportsDesign), use: sendBack)
        r.get("forms", ":id", "returns", ":community", "lists", ":field", needs: .permission(.reportsRead), use: list)
    }

    func measures(req: Request) async throws -> JSONBody<[MeasureDTO]> {
        JSONBody(Capabilities.measures.definitions.map(MeasureDTO.init))
    }

    func forms(req: Request) async throws -> JSONBody<PageDTO<ReportFormDTO>> {
        let page = try await req.reports.forms(by: req.reportsActor, page: try req.pageRequest())
        return JSONBody(PageDTO(page) { ReportFormDTO($0) })
    }

    func publish(req: Request) async throws -> JSONBody<ReportFormDTO> {
        let b = try ReportsService.decode(req, ReportsService.FormBody.self)
        let f = try await req.reports.publish(task: b.taskId, try ReportsService.input(b), catalogue: Capabilities.measures.definitions, by: req.reportsActor)
        return JSONBody(ReportFormDTO(f, communities: try await req.reports.communities(of: f.id)), status: .created)
    }

    func form(req: Request) async throws -> JSONBody<ReportFormDTO> {
        let (f, seen) = try await req.reports.form(try req.pathUUID(), by: req.reportsActor)
        return JSONBody(ReportFormDTO(f, communities: seen))
    }

    func edit(req: Request) async throws -> JSONBody<ReportFormDTO> {
        let id = try req.pathUUID()
        let b = try ReportsService.decode(req, ReportsService.FormBody.self)
        let f = try await req.reports.edit(id, try ReportsService.input(b), version: try requireVersion(b.version),
                                           catalogue: Capabilities.measures.definitions, by: req.reportsActor)
        return JSONBody(ReportFormDTO(f, communities: try await req.reports.communities(of: f.id)))
    }

    func table(req: Request) async throws -> JSONBody<ReportTableDTO> {
        JSONBody(try await ReportsTable.table(req, try req.pathUUID()))
    }

    func export(req: Request) async throws -> Response {
        try await ReportsTable.export(req, try req.pathUUID())
    }

    func openReturn(req: Request) async throws -> JSONBody<ReportReturnDTO> {
        let (f, c) = try await ReportsService.target(req)
        return JSONBody(try await ReportsService.returnDTO(req, f, c))
    }

    static func write(_ req: Request, submit: Bool) async throws -> ReportReturnDTO {
        let (f, c) = try await ReportsService.target(req)
        let b = try ReportsService.decode(req, ReportsService.ReturnBody.self)
        let typed = (b.values ?? []).map { $0?.text }
        var auto: [Int: String] = [:]
        if submit { auto = try await ReportsService.frozen(req, f, community: c) }
        _ = try await req.reports.saveReturn(form: f.id, community: c, typed: typed, automatic: auto, submit: submit, by: req.reportsActor)
        return try await ReportsService.returnDTO(req, f, c)
    }

    func save(req: Request) async throws -> JSONBody<ReportReturnDTO> {
        JSONBody(try await Self.write(req, submit: false))
    }

    func submit(req: Request) async throws -> JSONBody<ReportReturnDTO> {
        JSONBody(try await Self.write(req, submit: true))
    }

    func sendBack(req: Request) async throws -> JSONBody<ReportReturnDTO> {
        let (f, c) = try await ReportsService.target(req)
        let b = try ReportsService.decode(req, ReportsService.SendBackBody.self)
        _ = try await req.reports.sendBack(form: f.id, community: c, comment: b.comment, by: req.reportsActor)
        return JSONBody(try await ReportsService.returnDTO(req, f, c))
    }

    /// A list field's rows for a community: masked, or full with `reveal=true` for those allowed (audited).
    func list(req: Request) async throws -> JSONBody<ReportListDTO> {
        let (f, c) = try await ReportsService.target(req)
        guard let raw = req.parameters.get("field"), let index = Int(raw), (0..<ReportRules.fieldsMax).contains(index) else {
            throw ProblemError.badRequest("field", "栏目序号应为 0 起的整数")
        }
        let reveal = try req.queryBool("reveal") ?? false
        let actor = req.reportsActor
        if reveal && !actor.mayReveal { throw RegistryError.forbidden("您没有查看完整名单的权限") }
        guard let found = try await ReportsService.listRows(req, f, field: index, community: c, reveal: reveal) else {
            throw RegistryError.notFound("名单栏目")
        }
        let (d, rows) = found
        if reveal {
            try await AuditLog.record(AuditEvent(ReportsAudit.listView, target: .reportForm(f.id),
                                                 detail: ["community": c, "field": String(index), "rows": String(rows.count)]),
                                      by: actor.audit, on: req.db, now: req.application.linli.now())
        }
        return JSONBody(ReportListDTO(header: f.fieldList[index].header, columns: d.columns.map(\.label), rows: rows, masked: !reveal))
    }
}
