import Foundation
import LinliCore
import LinliData
import Vapor

/// The platform's service layer for one's own account, for the API and the console alike.
enum AccountService {
    /// Checks the current password and the policy, stores the new hash (audited) and ends every session
    /// of the account. Shared by the API and the console's form. A wrong current password counts as a
    /// failed sign-in from this address, so a stolen session cannot guess the password faster than a sign-in.
    static func changePassword(of p: Principal, current: String?, new: String?, req: Request) async throws {
        let throttle = req.application.signInThrottle, now = req.application.linli.now()
        let ip = req.clientAddress, username = p.account.username
        func record(_ reason: String) async throws {
            try await AuditLog.record(AuditEvent(PlatformAudit.changePassword, target: .account(username), outcome: "failure", detail: ["reason": reason]),
                                      by: req.auditActor, on: req.db, now: now)
        }
        if let wait = throttle.wait(username: username, address: ip, now: now) {
            try await record("throttled")
            throw SignInThrottle.refusal(wait: wait)
        }
        guard let current, try await req.password.async.verify(current, created: p.account.passwordHash) else {
            throttle.fail(username: username, address: ip, now: now)
            try await record("current_password")
            throw RegistryError.invalid([FieldError("current_password", "当前密码不正确")])
        }
        throttle.succeed(username: username, address: ip)
        let new = new ?? ""
        let problems = PasswordPolicy.check(new, username: p.account.username, field: "new_password")
        guard problems.isEmpty else { throw RegistryError.invalid(problems) }
        let hash = try await req.password.async.hash(new)
        try await AccountQueries(req.db).setPassword(id: p.account.id, passwordHash: hash, action: .changePassword, by: req.auditActor)
        // Every session of the account has ended, in every cached copy.
        req.application.linli.sessionCache.removeAll()
    }
}
