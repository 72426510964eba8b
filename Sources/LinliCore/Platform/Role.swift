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

    /// Looked up on every request: computed once per role.
    public var permissions: Set<Permission> { Role.permissionTable[self]! }

    private static let permissionTable: [Role: Set<Permission>] = Dictionary(uniqueKeysWithValues: allCases.map { ($0, $0.grantedPermissions) })

    private var grantedPermissions: Set<Permission> {
        switch self {
        case .gridWorker, .communityWorker:
            return [.registryRead, .registryWrite, .registryFullView, .requestsRead, .requestsHandle, .indicatorsRead,
                    .careRead, .careWrite, .careFullView]
        case .streetOfficer:
            return [.registryRead, .registryFullView, .requestsRead, .requestsHandle, .requestsSupervise, .indicatorsRead,
                    .careRead, .careFullView, .careFacilities]
        case .districtOfficer:
            return [.registryRead, .registryFullView, .divisionsWrite, .requestsRead, .requestsHandle, .requestsSupervise, .categoriesManage,
                    .indicatorsRead, .careRead, .careFullView, .careFacilities]
        case .department:
            return [.requestsRead, .requestsHandle]
        case .resident:
            // Their own requests only (the data layer scopes a resident to what they reported).
            return [.requestsRead]
        case .systemAdmin:
            // Runs the system and keeps the division tree and the request categories; never sees residents' personal data.
            return [.divisionsWrite, .categoriesManage]
        case .securityAdmin:
            return [.accountsManage]
        case .auditAdmin:
            return [.auditRead]
        }
    }
}

/// What an action needs. Handlers check one; the data layer then limits it to the account's scope.
public enum Permission: String, Codable, Sendable, CaseIterable {
    /// Read the registry (masked personal numbers).
    case registryRead = "registry.read"
    /// Create and change buildings, households, residents and their events.
    case registryWrite = "registry.write"
    /// See a person's full ID and phone number (each view is audited).
    case registryFullView = "registry.full_view"
    /// Create and change divisions and grids.
    case divisionsWrite = "divisions.write"
    /// Create, change and disable accounts.
    case accountsManage = "accounts.manage"
    /// Search and verify the audit log.
    case auditRead = "audit.read"
    /// See requests and events in one's area (a department: those dispatched to it; a resident: their own).
    case requestsRead = "requests.read"
    /// Take the workflow's steps on requests (which steps, the workflow's rules decide).
    case requestsHandle = "requests.handle"
    /// The supervision board and its cards.
    case requestsSupervise = "requests.supervise"
    /// Edit the category tree and its time limits.
    case categoriesManage = "categories.manage"
    /// The plan's indicators of one's area: dashboard, series and their export.
    case indicatorsRead = "indicators.read"
    /// The care roll of one's area (居家养老): elders, levels, plans, records, calls, facilities, figures.
    case careRead = "care.read"
    /// Assess elders, keep their plans and service records, log and handle emergency calls.
    case careWrite = "care.write"
    /// See an assessment's item scores (sensitive personal data; each view is audited).
    case careFullView = "care.full_view"
    /// Register and change care facilities (floor area, beds).
    case careFacilities = "care.facilities"
}
