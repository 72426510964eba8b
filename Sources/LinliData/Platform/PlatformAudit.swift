import Foundation

/// The platform's audit actions: sign-in and sessions, accounts, the audit log itself, backups, keys.
public enum PlatformAudit: String, AuditAction, CaseIterable {
    case login = "auth.login"
    case logout = "auth.logout"
    case idleTimeout = "auth.idle_timeout"
    case changePassword = "auth.change_password"
    case setupPassword = "auth.setup_password"
    case setupComplete = "auth.setup_complete"
    case accountCreate = "account.create"
    case accountUpdate = "account.update"
    case accountResetPassword = "account.reset_password"
    case accountsExport = "accounts.export"
    case auditExport = "audit.export"
    case auditPurge = "audit.purge"
    case backup = "system.backup"
    case dataKeyRotateStart = "data_key.rotate_start"
    case dataKeyRotateFinish = "data_key.rotate_finish"
    /// A refused write or denied access (`ProblemMiddleware`).
    case refused = "request.refused"
}

extension AuditTarget {
    public static func dataKey(_ id: String) -> AuditTarget { AuditTarget("key", id) }
}
