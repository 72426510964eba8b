/// 四个公开与财务公开's permissions.
extension Permission {
    /// The notices and the finance ledger of one's area (nothing personal in either).
    public static let disclosureRead = Permission("disclosure.read")
    /// Publish and withdraw the community's notices; record ledger entries and reversing entries.
    public static let disclosureWrite = Permission("disclosure.write")
    /// Approve the communities' ledger entries and publish their quarterly statements (the street).
    public static let disclosureApprove = Permission("disclosure.approve")
}

public enum DisclosurePermissions {
    /// The community publishes and keeps the books; the street approves them and publishes the statements.
    public static let grants: [Role: Set<Permission>] = [
        .gridWorker: [.disclosureRead],
        .communityWorker: [.disclosureRead, .disclosureWrite],
        .streetOfficer: [.disclosureRead, .disclosureWrite, .disclosureApprove],
        .districtOfficer: [.disclosureRead],
    ]
}
