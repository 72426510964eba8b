/// 助残康复's permissions.
extension Permission {
    /// The disability roll of one's area: names and card numbers masked, category, grade, assessment and rehabilitation status.
    public static let disabilityRead = Permission("disability.read")
    /// Register, change and revoke cards; record assessments, rehabilitation services and assistive devices.
    public static let disabilityWrite = Permission("disability.write")
    /// A holder's full card and assessments: name, full card number, needs and notes (each view is audited).
    public static let disabilityFullView = Permission("disability.full_view")
}

public enum DisabilityPermissions {
    public static let grants: [Role: Set<Permission>] = [
        .gridWorker: [.disabilityRead, .disabilityWrite, .disabilityFullView],
        .communityWorker: [.disabilityRead, .disabilityWrite, .disabilityFullView],
        .streetOfficer: [.disabilityRead, .disabilityFullView],
        .districtOfficer: [.disabilityRead, .disabilityFullView],
    ]
}
