import LinliCore
import LinliData
import Vapor

/// 行政事务进社区准入: departments apply to push tasks into communities (with 人随事转、费随事转、权随事转), the
/// district reviews them in two steps by two accounts (民政初审, 领导小组审定), admitted tasks form the public
/// 准入清单; communities refuse unadmitted tasks and record the funds that arrived; checks and plaques are watched.
struct AdmissionCapability: Capability {
    let name = "admission"
    var grants: [Role: Set<Permission>] { AdmissionPermissions.grants }
    let audit: (any AuditAction.Type)? = AdmissionAudit.self

    var migrations: [NumberedMigration] { [NumberedMigration(24, CreateAdmission())] }

    func routes(_ routes: CapabilityRoutes) throws {
        AdmissionAPI().boot(routes.api)
        AdmissionPages().boot(routes.pages)
        AdmissionCommunityPages().boot(routes.pages)
        AdmissionPortalPages().boot(routes.pages)
    }

    func home(_ req: Request, _ user: WebUser) async throws -> HomeContribution { try await AdmissionHome.contribution(req, user) }
    var demo: (any DemoStep)? { AdmissionDemo() }
    var indicators: [IndicatorDefinition] { AdmissionIndicators.definitions }
    var indicatorCounts: (any IndicatorSource)? { AdmissionIndicatorCounts() }

    var sections: [ConsoleSection] { [ConsoleSection(label: "事项准入", href: "/console/admission", needs: .admissionRead, group: .burden)] }
}
