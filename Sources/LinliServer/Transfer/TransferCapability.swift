import LinliCore
import LinliData
import Vapor

/// Importing residents from Excel or CSV (checked, reported, confirmed, all or nothing).
struct TransferCapability: Capability {
    let name = "transfer"

    func routes(_ routes: CapabilityRoutes) throws {
        ImportAPI().boot(routes.api)
        ImportPages().boot(routes.pages)
    }

    var sections: [ConsoleSection] { [ConsoleSection(label: "导入", href: "/console/import", needs: .registryWrite)] }
}
