import Foundation
import LinliCore
import LinliData
import Vapor

/// `/api/v1/boundary`: 区划调整 — change orders (draft, approve, cancel, preview, apply now when due), the retired
/// divisions, the history of a division or a record (区划沿革), and the accounts an order left for review.
struct BoundaryAPI {
    func boot(_ routes: Routes) {
        let b = routes.grouped("boundary")
        b.get("orders", needs: .permission(.boundaryRead), use: list)
        b.post("orders", needs: .permission(.boundaryManage), use: create)
        b.get("orders", ":id", needs: .permission(.boundaryRead), use: order)
        b.get("orders", ":id", "preview", needs: .permission(.boundaryRead), use: preview)
        b.post("orders", ":id", "approval", needs: .permission(.boundaryManage), use: approve)
        b.post("orders", ":id", "cancellation", needs: .permission(.boundaryManage), use: cancel)
        b.post("orders", ":id", "application", needs: .permission(.boundaryManage), use: apply)
        b.get("retired", needs: .permission(.boundaryRead), use: retired)
        b.get("divisions", ":code", needs: .permission(.registryRead), use: division)
        b.get("records", ":id", needs: .permission(.registryRead), use: record)
        b.get("account-flags", needs: .permission(.accountsManage), use: flags)
        b.post("account-flags", ":id", "resolution", needs: .permission(.accountsManage), use: resolve)
    }

    func list(req: Request) async throws -> JSONBody<[BoundaryOrderDTO]> {
        let state = try req.queryString("state", maxLength: 20).map { s in
            guard let st = BoundaryState(rawValue: s) else { throw ProblemError.badRequest("state", "state 应为 draft、approved、applied 或 cancelled") }
            return st
        }
        let orders = try await req.boundary.list(in: req.registryScope, state: state)
        let names = try await BoundaryService.names(req, orders)
        return JSONBody(orders.map { BoundaryOrderDTO($0, names: names) })
    }

    func create(req: Request) async throws -> JSONBody<BoundaryOrderDTO> {
        let o = try await req.boundary.create(try BoundaryService.input(try req.decodeJSON(BoundaryService.OrderBody.self)), in: req.registryScope, by: req.auditActor)
        return JSONBody(BoundaryOrderDTO(o, names: try await BoundaryService.names(req, [o])), status: .created)
    }

    func order(req: Request) async throws -> JSONBody<BoundaryOrderDTO> {
        let o = try await req.boundary.find(try req.pathUUID(), in: req.registryScope)
        return JSONBody(BoundaryOrderDTO(o, names: try await BoundaryService.names(req, [o])))
    }

    func preview(req: Request) async throws -> JSONBody<BoundaryPreviewDTO> {
        let started = ContinuousClock.now
        let p = try await req.boundary.preview(try req.pathUUID(), in: req.registryScope)
        let ms = (ContinuousClock.now - started).components
        return JSONBody(BoundaryPreviewDTO(p, millis: Int(ms.seconds * 1000 + ms.attoseconds / 1_000_000_000_000_000)))
    }

    func decide(_ req: Request, approve: Bool) async throws -> JSONBody<BoundaryOrderDTO> {
        guard let version = try req.decodeJSON(BoundaryService.VersionBody.self).version else {
            throw RegistryError.invalid([FieldError("version", "请给出调整令的版本号 version")])
        }
        let o = try await req.boundary.decide(try req.pathUUID(), approve: approve, version: version, in: req.registryScope, by: req.auditActor)
        return JSONBody(BoundaryOrderDTO(o, names: try await BoundaryService.names(req, [o])))
    }

    func approve(req: Request) async throws -> JSONBody<BoundaryOrderDTO> { try await decide(req, approve: true) }
    func cancel(req: Request) async throws -> JSONBody<BoundaryOrderDTO> { try await decide(req, approve: false) }

    /// Applies a due, approved order now (what `linli boundary apply-due` does on the effective date).
    func apply(req: Request) async throws -> JSONBody<BoundaryOrderDTO> {
        let version = try req.decodeJSON(BoundaryService.VersionBody.self).version
        let o = try await BoundaryService.apply(req, try req.pathUUID(), version: version)
        return JSONBody(BoundaryOrderDTO(o, names: try await BoundaryService.names(req, [o])))
    }

    func retired(req: Request) async throws -> JSONBody<[RetiredDivisionDTO]> {
        JSONBody(try await req.boundary.retired(in: req.registryScope).map(RetiredDivisionDTO.init))
    }

    struct DivisionPastDTO: Encodable, Sendable {
        struct Arrival: Encodable, Sendable { var recordKind: String; var fromCode: String; var effectiveOn: String; var count: Int }
        var code: String
        var retired: RetiredDivisionDTO?
        var predecessors: [RetiredDivisionDTO]
        var arrivals: [Arrival]
    }

    /// A division's history: what it succeeded (directly or through earlier changes) and the records that came into it.
    func division(req: Request) async throws -> JSONBody<DivisionPastDTO> {
        let raw = req.parameters.get("code") ?? ""
        guard let code = try? DivisionCode(raw) else { throw ProblemError.badRequest("code", "路径中的 code 应为12位区划代码（网格15位）") }
        let scope = req.registryScope
        let q = req.boundary
        let retired = try await q.retiredDivision(code.value, in: scope)
        let live = try await DivisionQueries(req.db).find(code: code.value, in: scope)
        guard scope.contains(code: code.value), retired != nil || live != nil else {
            throw RegistryError.notFound("区划")
        }
        let arrivals = try await q.arrivals(into: code.value).map { DivisionPastDTO.Arrival(recordKind: $0.kind, fromCode: $0.from, effectiveOn: $0.on, count: $0.count) }
        return JSONBody(DivisionPastDTO(code: code.value, retired: retired.map(RetiredDivisionDTO.init),
                                            predecessors: try await q.predecessors(of: code.value).map(RetiredDivisionDTO.init), arrivals: arrivals))
    }

    /// A record's moves (a resident, household, building, request or account), those the caller's area touches.
    func record(req: Request) async throws -> JSONBody<[DivisionHistoryDTO]> {
        let scope = req.registryScope
        let entries = try await req.boundary.history(of: try req.pathUUID()).filter { scope.contains(code: $0.oldCode) || scope.contains(code: $0.newCode) }
        return JSONBody(entries.map(DivisionHistoryDTO.init))
    }

    func flags(req: Request) async throws -> JSONBody<[AccountFlagDTO]> {
        JSONBody(try await req.boundary.accountFlags(open: !(try req.queryBool("all") ?? false)).map(AccountFlagDTO.init))
    }

    func resolve(req: Request) async throws -> Response {
        try await req.boundary.resolveFlag(try req.pathUUID(), by: req.auditActor)
        return Response(status: .noContent)
    }
}
