import LinliCore
import LinliData
import Vapor

/// What every capability stands on: health and the contract, sign-in and sessions, first sign-in setup,
/// accounts (security administrator) and the audit log (audit administrator), the console's shell.
struct PlatformCapability: Capability {
    let name = "platform"
    var grants: [Role: Set<Permission>] { PlatformPermissions.grants }
    let audit: (any AuditAction.Type)? = PlatformAudit.self

    var migrations: [NumberedMigration] {
        [NumberedMigration(2, CreateAccountsAndAudit()), NumberedMigration(8, AddAccountSetupRequired()),
         NumberedMigration(9, CreateKeyRotations())]
    }

    func routes(_ routes: CapabilityRoutes) throws {
        let app = routes.app
        // Made in the background: every command builds the routes, and only sign-ins need it.
        let decoy = DecoyHash(app)
        let signIns = RateLimiter(limit: app.linli.signInLimit, window: app.linli.signInWindow)
        app.signInThrottle = SignInThrottle(free: app.linli.lockoutThreshold, base: app.linli.lockoutBaseDelay, cap: app.linli.lockoutDuration)
        SystemAPI().boot(routes.root)
        WebPages(limiter: signIns, decoyHash: decoy).boot(routes)
        AuthAPI(limiter: signIns, decoyHash: decoy).boot(routes.api)
        FirstSignInAPI().boot(routes.api)
        SetupPages().boot(routes.pages)
        AccountsAPI().boot(routes.api)
        AuditAPI().boot(routes.api)
    }

    var sections: [ConsoleSection] { [ConsoleSection(label: "工作台", href: "/console", needs: nil)] }
}
