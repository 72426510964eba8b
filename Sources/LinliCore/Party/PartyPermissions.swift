/// 社区党建's permissions. Membership is sensitive (政治面貌): the member roll is read only with `party.members`,
/// which community workers, street and district officers hold for their area (党务 is their work); grid workers and
/// departments see the organizations, centres and brand projects, and the registry's 党员 tag is masked for them.
extension Permission {
    /// The organizations of one's area with their figures, the service centres, the brand projects.
    public static let partyRead = Permission("party.read")
    /// The member roll of one's area: names, organizations, groups, 报到 and service hours (every list and export audited).
    public static let partyMembers = Permission("party.members")
    /// Organizations, members, groups, centres and brand projects: create and change.
    public static let partyWrite = Permission("party.write")
}

public enum PartyPermissions {
    public static let grants: [Role: Set<Permission>] = [
        .gridWorker: [.partyRead],
        .communityWorker: [.partyRead, .partyMembers, .partyWrite],
        .streetOfficer: [.partyRead, .partyMembers, .partyWrite],
        .districtOfficer: [.partyRead, .partyMembers, .partyWrite],
    ]
}
