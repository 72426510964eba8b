/// The roles of the platform. An account has exactly one, so the three separated administrators
/// (MLPS "三权分立": system, security, audit) can never be held together.
public enum Role: String, Codable, Sendable, CaseIterable {
    case gridWorker = "grid_worker"
    case communityWorker = "community_worker"
    case streetOfficer = "street_officer"
    case districtOfficer = "district_officer"
    case department
    case resident
    case systemAdmin = "system_admin"
    case securityAdmin = "security_admin"
    case auditAdmin = "audit_admin"

    public var label: String {
        switch self {
        case .gridWorker: return "网格员"
        case .communityWorker: return "社区工作者"
        case .streetOfficer: return "街道干部"
        case .districtOfficer: return "区级干部"
        case .department: return "部门用户"
        case .resident: return "居民"
        case .systemAdmin: return "系统管理员"
        case .securityAdmin: return "安全管理员"
        case .auditAdmin: return "审计管理员"
        }
    }

    /// Officers and the three administrators sign in with a second factor (TOTP).
    public var requiresTOTP: Bool {
        switch self {
        case .streetOfficer, .districtOfficer, .systemAdmin, .securityAdmin, .auditAdmin: return true
        default: return false
        }
    }

    public var isAdministrator: Bool { self == .systemAdmin || self == .securityAdmin || self == .auditAdmin }

    /// The division levels an account of this role may be bound to.
    public var allowedScopeLevels: [DivisionLevel] {
        switch self {
        case .gridWorker: return [.grid]
        case .communityWorker: return [.community]
        case .streetOfficer: return [.street]
        case .districtOfficer, .systemAdmin, .securityAdmin, .auditAdmin: return [.district]
        case .department: return [.district, .street]
        case .resident: return [.district, .street, .community, .grid]
        }
    }
}

/// What an action needs. Handlers and route declarations name one; the data layer then limits it to the
/// account's scope. Each capability declares its own (`extension Permission` in its LinliCore folder) and
/// which roles hold them (its `…Permissions.grants`); the server joins the grants of every capability.
public struct Permission: RawRepresentable, Hashable, Codable, Sendable, CustomStringConvertible {
    /// As the API shows it: `care.read`.
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
}

/// The platform's own: the security and audit administrators'.
extension Permission {
    /// Create, change and disable accounts.
    public static let accountsManage = Permission("accounts.manage")
    /// Search and verify the audit log.
    public static let auditRead = Permission("audit.read")
}

public enum PlatformPermissions {
    /// Each of the three separated administrators holds one of the platform's (MLPS 三权分立).
    public static let grants: [Role: Set<Permission>] = [.securityAdmin: [.accountsManage], .auditAdmin: [.auditRead]]
}
