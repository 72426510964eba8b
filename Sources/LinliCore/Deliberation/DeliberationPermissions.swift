/// 民主协商与网上议事's permissions.
extension Permission {
    /// The meetings, resolutions and proposals of one's area (participants' names masked).
    public static let deliberationRead = Permission("deliberation.read")
    /// Record a community's meetings, minutes, resolutions and their follow-up; publish and close proposals.
    public static let deliberationWrite = Permission("deliberation.write")
    /// Hide a resident's comment on a proposal, with a logged reason.
    public static let consultationModerate = Permission("consultation.moderate")
    /// Support and comment on the proposals of one's own community, once the account is linked to the registry (实名核验).
    public static let consultationTakePart = Permission("consultation.take_part")
}

public enum DeliberationPermissions {
    /// Community workers keep their community's meetings and proposals; streets and the district read and moderate.
    public static let grants: [Role: Set<Permission>] = [
        .gridWorker: [.deliberationRead],
        .communityWorker: [.deliberationRead, .deliberationWrite, .consultationModerate],
        .streetOfficer: [.deliberationRead, .consultationModerate],
        .districtOfficer: [.deliberationRead, .consultationModerate],
        .resident: [.consultationTakePart],
    ]
}
