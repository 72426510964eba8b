/// 区划调整's permissions.
extension Permission {
    /// The change orders of one's area, their previews, and the history of divisions (区划沿革).
    public static let boundaryRead = Permission("boundary.read")
    /// Draft, approve, cancel and apply change orders.
    public static let boundaryManage = Permission("boundary.manage")
}

public enum BoundaryPermissions {
    /// The district (civil affairs) orders boundary changes; streets read the orders of their area. The accounts an
    /// order left without a single successor are the security administrator's (`accounts.manage`).
    public static let grants: [Role: Set<Permission>] = [
        .streetOfficer: [.boundaryRead],
        .districtOfficer: [.boundaryRead, .boundaryManage],
    ]
}
