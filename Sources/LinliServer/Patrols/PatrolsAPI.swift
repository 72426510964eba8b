import Foundation
import LinliCore
import LinliData
import Vapor

/// `/api/v1/patrols`: 网格巡查 — rounds (start, visits with findings that become grid events, end), the rounds of
/// one's area, a round's detail, the board of grids against the weekly norm, the export and the district's norm.
/// Scoped by the round's grid: a round outside the caller's area is 404; a round is its walker's to add to and end.
struct PatrolsAPI {
    func boot(_ routes: Routes) {
        let p = routes.grouped("patrols")
        p.get("rounds", needs: .permission(.patrolsRead), use: list)
        p.post("rounds", needs: .permission(.patrolsWalk), use: start)
        p.get("rounds", "current", needs: .permission(.patrolsWalk), use: current)
        p.get("rounds", "export.xlsx", needs: .permission(.patrolsRead), use: export)
        p.get("rounds", ":id", needs: .permission(.patrolsRead), use: detail)
        p.post("rounds", ":id", "visits", needs: .permission(.patrolsWalk), use: visit)
        p.post("rounds", ":id", "end", needs: .permission(.patrolsWalk), use: end)
        p.get("board", needs: .permission(.patrolsRead), use: board)
        p.get("settings", needs: .permission(.patrolsRead), use: settings)
        p.put("settings", needs: .permission(.patrolsSettings), use: setSettings)
    }

    func list(req: Request) async throws -> JSONBody<PageDTO<PatrolRoundDTO>> {
        let page = try await req.patrols.rounds(in: try req.narrowedScope(), try PatrolsService.filter(req), page: try req.pageRequest())
        return JSONBody(PageDTO(page, PatrolRoundDTO.init))
    }

    func start(req: Request) async throws -> JSONBody<PatrolRoundDTO> {
        let b = try req.decodeJSON(PatrolsService.StartBody.self)
        return JSONBody(PatrolRoundDTO(try await req.patrols.start(grid: b.gridCode, by: req.patrolsActor)), status: .created)
    }

    /// The caller's open round, or 404 when none is open.
    func current(req: Request) async throws -> JSONBody<PatrolRoundDetailDTO> {
        guard let r = try await req.patrols.openRound(of: req.patrolsActor.accountID) else { throw RegistryError.notFound("进行中的巡查") }
        return JSONBody(PatrolRoundDetailDTO(try await PatrolsService.find(req, id: r.id)))
    }

    func export(req: Request) async throws -> Response { try await PatrolsService.export(req) }

    func detail(req: Request) async throws -> JSONBody<PatrolRoundDetailDTO> {
        JSONBody(PatrolRoundDetailDTO(try await PatrolsService.find(req, id: try req.pathUUID())))
    }

    func visit(req: Request) async throws -> JSONBody<RecordedPatrolVisitDTO> {
        let input = try PatrolsService.input(try req.decodeJSON(PatrolsService.VisitBody.self))
        return JSONBody(RecordedPatrolVisitDTO(try await req.patrols.visit(try req.pathUUID(), input, by: req.patrolsActor)), status: .created)
    }

    func end(req: Request) async throws -> JSONBody<PatrolRoundDTO> {
        JSONBody(PatrolRoundDTO(try await req.patrols.end(try req.pathUUID(), by: req.patrolsActor)))
    }

    /// Every grid of the area (or of `division`) that missed the norm last week or is short of it this week; `all=true`: every grid.
    func board(req: Request) async throws -> JSONBody<PatrolBoardDTO> {
        let b = try await req.patrols.board(in: try req.narrowedScope())
        return JSONBody(PatrolBoardDTO(b, all: try req.queryBool("all") ?? false))
    }

    func settings(req: Request) async throws -> JSONBody<PatrolSettingsDTO> { JSONBody(PatrolSettingsDTO(try await req.patrols.settings())) }

    func setSettings(req: Request) async throws -> JSONBody<PatrolSettingsDTO> {
        let b = try req.decodeJSON(PatrolsService.SettingsBody.self)
        return JSONBody(PatrolSettingsDTO(try await req.patrols.setNorm(b.weeklyNorm, version: try requireVersion(b.version), by: req.auditActor)))
    }
}
