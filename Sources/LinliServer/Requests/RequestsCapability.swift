import LinliCore
import LinliData
import Vapor

/// 网上受理: residents' requests and grid events, from report to rating, the supervision board, the
/// residents' portal and Open311 GeoReport v2.
struct RequestsCapability: Capability {
    let name = "requests"
    var grants: [Role: Set<Permission>] { RequestPermissions.grants }
    let audit: (any AuditAction.Type)? = RequestAudit.self

    var migrations: [NumberedMigration] { [NumberedMigration(3, CreateRequests()), NumberedMigration(10, UpdateRequestStepsAddReply())] }

    func routes(_ routes: CapabilityRoutes) throws {
        let app = routes.app
        // The portal's reports and the API's anonymous ones count against the same limit.
        let anonymousSubmits = RateLimiter(limit: app.linli.anonymousSubmitLimit, window: 3600)
        app.trackingGuard = TrackingGuard(app.linli)
        RequestsAPI(submitLimiter: anonymousSubmits).boot(routes.api)
        RequestPages().boot(routes.pages)
        PortalPages(submitLimiter: anonymousSubmits).boot(routes.pages)
        Open311API(submitLimiter: RateLimiter(limit: app.linli.open311SubmitLimit, window: 3600)).boot(routes.root)
    }

    var sections: [ConsoleSection] {
        [ConsoleSection(label: "诉求事项", href: "/console/requests", needs: .requestsRead, group: .requests),
         ConsoleSection(label: "督办", href: "/console/requests/board", needs: .requestsSupervise, group: .requests)]
    }

    func home(_ req: Request, _ user: WebUser) async throws -> HomeContribution { try await RequestsHome.contribution(req, user) }

    var indicators: [IndicatorDefinition] { RequestIndicators.definitions }
    var indicatorCounts: (any IndicatorSource)? { RequestIndicatorCounts() }
    var demo: (any DemoStep)? { RequestsDemo() }
    var measures: (any MeasureSource)? { RequestMeasures() }
}
