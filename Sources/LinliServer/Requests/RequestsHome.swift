import Foundation
import LinliCore
import LinliData
import Vapor

/// The requests' part of the home page: what waits for the user, the area's request figures, the links.
enum RequestsHome {
    static func contribution(_ req: Request, _ user: WebUser) async throws -> HomeContribution {
        guard user.may(.requestsRead) else { return HomeContribution() }
        var part = HomeContribution(todo: [try await todo(req, user)])
        // The area's figures are for those who see the area's registry too (not a department).
        if user.may(.registryRead) {
            let f = try await req.requestQueries.figures(in: req.requestScope)
            part.figures.append(HomePage.figure("在办事项", String(f.open)))
            if let rate = f.onTimeRate { part.figures.append(HomePage.figure("按时办结率", String(format: "%.1f%%", rate * 100))) }
            if let s = f.meanSatisfaction { part.figures.append(HomePage.figure("群众满意度（5分制）", String(format: "%.2f", s))) }
        }
        part.links.append("<li><a href=\"/console/requests\">诉求事项</a></li>")
        if user.may(.requestsSupervise) { part.links.append("<li><a href=\"/console/requests/board\">督办（黄牌、红牌）</a></li>") }
        return part
    }

    /// Requests waiting in the user's area (or department): to accept, close to the limit, overdue, to verify.
    static func todo(_ req: Request, _ user: WebUser) async throws -> Markup {
        let q = req.requestQueries, scope = req.requestScope, now = req.nowSeconds
        func count(_ statuses: [RequestStatus], card: DeadlineCard? = nil) async throws -> Int {
            var f = RequestFilter()
            f.statuses = statuses
            f.card = card
            return try await q.list(in: scope, filter: f, now: now, page: PageRequest(page: 1, perPage: 1)).total
        }
        let open: [RequestStatus] = RequestStatus.allCases.filter(\.isOpen)
        let tile = HomePage.todoTile
        // A department receives requests already dispatched to it: its work is to start and finish them.
        let first = user.role == .department
            ? tile("待处置", try await count([.dispatched]), "/console/requests?status=dispatched", "yellow")
                + tile("处置中", try await count([.inProgress]), "/console/requests?status=in_progress", "")
            : tile("待受理", try await count([.reported]), "/console/requests?status=reported", "yellow")
        let last = user.role == .department ? .empty : tile("待核查", try await count([.resolved]), "/console/requests?status=resolved", "green")
        let yellow = try await count(open, card: .yellow), red = try await count(open, card: .red)
        return """
            <section aria-labelledby="todo-h"><h2 id="todo-h">今日待办</h2>
            <div class="tiles">
              \(first)
              \(tile("即将超时（黄牌）", yellow, "/console/requests?card=yellow", "yellow"))
              \(tile("已超时（红牌）", red, "/console/requests?card=red", "red"))
              \(last)
            </div></section>
            """
    }
}
