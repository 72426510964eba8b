import FluentKit
import LinliCore
import LinliData
import Vapor

/// 爱心超市: a supermarket per street with goods priced in love points, the counter where residents redeem
/// them, each person's points ledger (volunteer hours, the monthly allowance of households on assistance,
/// redemptions), the district's rates, the portal's page of each supermarket, and the year's indicators.
struct SupermarketCapability: Capability {
    let name = "supermarket"
    var grants: [Role: Set<Permission>] { SupermarketPermissions.grants }
    let audit: (any AuditAction.Type)? = SupermarketAudit.self

    var migrations: [NumberedMigration] { [NumberedMigration(20, CreateSupermarket())] }

    func routes(_ routes: CapabilityRoutes) throws {
        SupermarketAPI().boot(routes.api)
        SupermarketPages().boot(routes.pages)
        SupermarketMarketPages().boot(routes.pages)
        SupermarketCounterPages().boot(routes.pages)
        SupermarketGoodsPages().boot(routes.pages)
        SupermarketPortalPages().boot(routes.pages)
    }

    var demo: (any DemoStep)? { SupermarketDemo() }
    var indicators: [IndicatorDefinition] { SupermarketIndicators.definitions }
    var indicatorCounts: (any IndicatorSource)? { SupermarketIndicatorCounts() }

    var sections: [ConsoleSection] { [ConsoleSection(label: "爱心超市", href: "/console/supermarket", needs: .supermarketRead, group: .services)] }

    func home(_ req: Request, _ user: WebUser) async throws -> HomeContribution { try await SupermarketHome.contribution(req, user) }
}
