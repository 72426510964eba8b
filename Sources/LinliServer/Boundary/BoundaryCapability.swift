import FluentKit
import LinliCore
import LinliData
import Vapor

/// 区划调整: change orders that merge communities or grids, split a community or move buildings, each with its effective
/// date and approving document, previewed with the before/after figures of every division touched, and applied in one
/// transaction on the effective date; retired divisions kept with their successors, every moved record's history
/// (区划沿革), and the accounts an order left without a single successor flagged for the security administrator.
struct BoundaryCapability: Capability {
    let name = "boundary"
    var grants: [Role: Set<Permission>] { BoundaryPermissions.grants }
    let audit: (any AuditAction.Type)? = BoundaryAudit.self

    var migrations: [NumberedMigration] { [NumberedMigration(30, CreateBoundary())] }

    func routes(_ routes: CapabilityRoutes) throws {
        BoundaryAPI().boot(routes.api)
        BoundaryPages().boot(routes.pages)
    }

    var demo: (any DemoStep)? { BoundaryDemo() }
    var indicators: [IndicatorDefinition] { BoundaryIndicators.definitions }
    var indicatorCounts: (any IndicatorSource)? { BoundaryIndicatorCounts() }

    var sections: [ConsoleSection] {
        [ConsoleSection(label: "区划调整", href: "/console/boundary", needs: .boundaryRead, group: .registry)]
    }

    func home(_ req: Request, _ user: WebUser) async throws -> HomeContribution {
        if user.may(.accountsManage) {
            let n = try await req.boundary.accountFlags().count
            return HomeContribution(todo: ["""
                <section aria-labelledby="boundary-flags-h"><h2 id="boundary-flags-h">区划调整</h2>
                <div class="tiles">\(HomePage.todoTile("区划调整后待核查的账号", n, "/console/boundary/accounts", "yellow"))</div></section>
                """])
        }
        guard user.may(.boundaryRead) else { return HomeContribution() }
        let q = req.boundary
        let pending = try await q.list(in: req.registryScope).filter { $0.state == .draft || $0.state == .approved }
        let due = pending.filter { $0.state == .approved && $0.effectiveOn <= req.application.linli.today() }.count
        return HomeContribution(todo: ["""
            <section aria-labelledby="boundary-h"><h2 id="boundary-h">区划调整</h2>
            <div class="tiles">\(HomePage.todoTile("未实施的调整令", pending.count, "/console/boundary", "yellow"))\(HomePage.todoTile("已到生效日待实施", due, "/console/boundary", "red"))</div></section>
            """], links: ["<li><a href=\"/console/boundary\">区划调整（调整令、预览、区划沿革）</a></li>"])
    }
}
