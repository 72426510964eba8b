import FluentKit
import LinliCore
import LinliData
import Vapor

/// 社区生活: venues of the community and of units (辖区单位) opened to residents, booked on the portal or by
/// workers without double bookings; cultural, sports, science and legal-education (普法) activities with
/// sign-ups within their capacity and attendance; the community screens (社区大型液晶屏, 多媒体便民服务亭);
/// the area's summary and the year's indicators.
struct CommunityLifeCapability: Capability {
    let name = "life"
    var grants: [Role: Set<Permission>] { LifePermissions.grants }
    let audit: (any AuditAction.Type)? = LifeAudit.self

    var migrations: [NumberedMigration] { [NumberedMigration(28, CreateCommunityLife())] }

    func routes(_ routes: CapabilityRoutes) throws {
        LifeAPI().boot(routes.api)
        LifePages().boot(routes.pages)
        LifeActivityPages().boot(routes.pages)
        LifePortalPages().boot(routes.pages)
        LifeScreenPages().boot(routes.pages)
        LifeAwardPages().boot(routes.pages)
        LifeAwardPortalPages().boot(routes.pages)
    }

    var demo: (any DemoStep)? { LifeDemo() }
    var indicators: [IndicatorDefinition] { LifeIndicators.definitions }
    var indicatorCounts: (any IndicatorSource)? { LifeIndicatorCounts() }
    var measures: (any MeasureSource)? { LifeMeasures() }

    var sections: [ConsoleSection] { [ConsoleSection(label: "场地与活动", href: "/console/life", needs: .lifeRead, group: .amenities)] }

    func home(_ req: Request, _ user: WebUser) async throws -> HomeContribution { try await LifeHome.contribution(req, user) }
}
