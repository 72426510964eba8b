import FluentKit
import LinliCore
import LinliData
import Vapor

/// 再就业培训: courses opened by a street or the district, enrolment of working-age residents, attendance,
/// completion with certificates, and the follow-up six months on that makes "training that led to work" real.
struct TrainingCapability: Capability {
    let name = "training"
    var grants: [Role: Set<Permission>] { TrainingPermissions.grants }
    let audit: (any AuditAction.Type)? = TrainingAudit.self
    var migrations: [NumberedMigration] { [NumberedMigration(17, CreateTraining())] }

    func routes(_ routes: CapabilityRoutes) throws {
        TrainingAPI().boot(routes.api)
        TrainingPages().boot(routes.pages)
    }

    var demo: (any DemoStep)? { TrainingDemo() }
    var measures: (any MeasureSource)? { TrainingMeasures() }
    var indicators: [IndicatorDefinition] { TrainingIndicators.definitions }
    var indicatorCounts: (any IndicatorSource)? { TrainingIndicatorCounts() }
    var sections: [ConsoleSection] { [ConsoleSection(label: "再就业培训", href: "/console/training", needs: .trainingRead, group: .services)] }

    func home(_ req: Request, _ user: WebUser) async throws -> HomeContribution {
        guard user.may(.trainingWrite) else { return HomeContribution() }
        let due = try await req.training.followUpsDue(in: req.registryScope, page: PageRequest(page: 1, perPage: 1)).total
        return HomeContribution(todo: [HomePage.todoTile("培训待回访", due, "/console/training/follow-ups", "yellow")])
    }
}
