import FluentKit
import LinliCore
import LinliData
import Vapor

/// 一表通 (report once): departments' forms under admitted 数据报表 tasks, each field mapped to a measure of the
/// catalogue or typed by the community; returns filled from the platform's data as of the reference date,
/// submitted, sent back and corrected; the side-by-side table and its .xlsx; the share filled automatically.
struct ReportsCapability: Capability {
    let name = "reports"
    var grants: [Role: Set<Permission>] { ReportsPermissions.grants }
    let audit: (any AuditAction.Type)? = ReportsAudit.self

    var migrations: [NumberedMigration] { [NumberedMigration(25, CreateReports())] }

    func routes(_ routes: CapabilityRoutes) throws {
        ReportsAPI().boot(routes.api)
        ReportsPages().boot(routes.pages)
    }

    var demo: (any DemoStep)? { ReportsDemo() }
    var indicators: [IndicatorDefinition] { ReportsIndicators.definitions }
    var indicatorCounts: (any IndicatorSource)? { ReportsIndicatorCounts() }

    var sections: [ConsoleSection] { [ConsoleSection(label: "一表通", href: "/console/reports", needs: .reportsRead, group: .burden)] }

    func home(_ req: Request, _ user: WebUser) async throws -> HomeContribution {
        guard user.may(.reportsFill) else { return HomeContribution() }
        let n = try await req.reports.pendingReturns(by: req.reportsActor)
        guard n > 0 else { return HomeContribution() }
        let tile: Markup = """
            <section aria-labelledby="reports-h"><h2 id="reports-h">一表通</h2>
            <div class="tiles">\(HomePage.todoTile("待填报的报表", n, "/console/reports", "yellow"))</div></section>
            """
        return HomeContribution(todo: [tile])
    }
}
