/// 社会组织's permissions.
extension Permission {
    /// The register of one's area (the legal person's phone masked), projects and support received.
    public static let organizationsRead = Permission("organizations.read")
    /// 备案 a community-based organization in one's community, edit entries, record annual reports and status.
    public static let organizationsWrite = Permission("organizations.write")
    /// 登记 a registered organization (with its 统一社会信用代码).
    public static let organizationsRegister = Permission("organizations.register")
    /// The 社会组织孵化基地: entries and graduations, and the support ledger (场地、培训、资金、补贴、奖励).
    public static let organizationsSupport = Permission("organizations.support")
    /// 政府购买服务, 资助项目, 合同外包: contracts, milestones with payments, evaluations.
    public static let organizationsProjects = Permission("organizations.projects")
}

public enum OrganizationsPermissions {
    /// Community workers file community organizations; the street registers and supports; civil affairs (the
    /// district) reads all, runs the incubation base and buys services; departments buy services too.
    public static let grants: [Role: Set<Permission>] = [
        .communityWorker: [.organizationsRead, .organizationsWrite],
        .streetOfficer: [.organizationsRead, .organizationsWrite, .organizationsRegister, .organizationsSupport],
        .districtOfficer: [.organizationsRead, .organizationsWrite, .organizationsRegister, .organizationsSupport, .organizationsProjects],
        .department: [.organizationsRead, .organizationsProjects],
    ]
}
