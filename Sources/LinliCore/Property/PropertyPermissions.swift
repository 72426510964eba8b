/// 物业管理's permissions.
extension Permission {
    /// The compounds of one's area with their management, the property service companies and their contracts.
    public static let propertyRead = Permission("property.read")
    /// Register and edit compounds, companies (with their department account) and contracts.
    public static let propertyWrite = Permission("property.write")
    /// The district's size of a large compound (one expected to have an owners' committee).
    public static let propertySettings = Permission("property.settings")
}

public enum PropertyPermissions {
    /// 四位一体: the community keeps its compounds' register and the street guides the companies; the grid and the
    /// district read. Company accounts (role 部门用户) see only the requests dispatched to them, through the requests workflow.
    public static let grants: [Role: Set<Permission>] = [
        .gridWorker: [.propertyRead],
        .communityWorker: [.propertyRead, .propertyWrite],
        .streetOfficer: [.propertyRead, .propertyWrite],
        .districtOfficer: [.propertyRead, .propertySettings],
        .resident: [.propertyRate],
    ]
}
