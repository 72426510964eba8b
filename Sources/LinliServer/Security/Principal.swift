import Foundation
import LinliCore
import LinliData
import Vapor

/// The signed-in account behind a request.
struct Principal: Authenticatable, Sendable {
    var session: SessionRecord
    var account: AccountRecord { session.account }
    var role: Role { account.role }
}

extension Request {
    var principal: Principal? { auth.get(Principal.self) }

    /// The signed-in account, or 401.
    func requireSignedIn() throws -> Principal {
        guard let p = principal else {
            throw ProblemError(status: .unauthorized, detail: "请先登录（Authorization: Bearer 令牌）")
        }
        return p
    }

    /// The signed-in account if its role grants `permission`; 401 without a sign-in, 403 without the permission.
    @discardableResult
    func require(_ permission: Permission) throws -> Principal {
        let p = try requireSignedIn()
        guard p.role.permissions.contains(permission) else {
            throw ProblemError(status: .forbidden, detail: "\(p.role.label)无权进行此操作")
        }
        return p
    }

    /// The part of the registry the caller may see: the subtree of the account's division. Every registry
    /// query is built with it; without a sign-in it is empty.
    var registryScope: RegistryScope {
        guard let p = principal else { return .nothing }
        return RegistryScope(validatedCode: p.account.divisionCode)
    }

    /// The caller as the audit log records them.
    var auditActor: AuditActor {
        let ip = clientAddress
        guard let p = principal else { return AuditActor(id: nil, username: "(anonymous)", role: "anonymous", ip: ip) }
        return AuditActor(id: p.account.id, username: p.account.username, role: p.account.role.rawValue, ip: ip)
    }
}
