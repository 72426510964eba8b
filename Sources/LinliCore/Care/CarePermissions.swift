/// 居家养老's permissions.
extension Permission {
    /// The care roll of one's area (居家养老): elders, levels, plans, records, calls, facilities, figures.
    public static let careRead = Permission("care.read")
    /// Assess elders, keep their plans and service records, log and handle emergency calls.
    public static let careWrite = Permission("care.write")
    /// See an assessment's item scores (sensitive personal data; each view is audited).
    public static let careFullView = Permission("care.full_view")
    /// Register and change care facilities (floor area, beds).
    public static let careFacilities = Permission("care.facilities")
}

public enum CarePermissions {
    public static let grants: [Role: Set<Permission>] = [
        .gridWorker: [.careRead, .careWrite, .careFullView],
        .communityWorker: [.careRead, .careWrite, .careFullView],
        .streetOfficer: [.careRead, .careFullView, .careFacilities],
        .districtOfficer: [.careRead, .careFullView, .careFacilities],
    ]
}
