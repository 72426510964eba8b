import LinliCore
import LinliData
import Vapor

/// 行政事务进社区准入: departments' tasks into communities, the district's review, the 准入清单.
struct AdmissionCapability: Capability {
    let name = "admission"

    var migrations: [NumberedMigration] { [NumberedMigration(24, CreateAdmission())] }

    func routes(_ routes: CapabilityRoutes) throws {}
}
