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

    func home(_ req: Request, _ user: WebUser) async throws -> HomeContribution {
        user.may(.registryWrite) ? HomeContribution(links: ["<li><a href=\"/console/import\">导入居民信息（Excel / CSV）</a></li>"]) : HomeContribution()
    }

    var sections: [ConsoleSection] { [ConsoleSection(label: "导入", href: "/console/import", needs: .registryWrite, group: .registry)] }
}
