/// The requests' permissions.
extension Permission {
    /// See requests and events in one's area (a department: those dispatched to it; a resident: their own).
    public static let requestsRead = Permission("requests.read")
    /// Take the workflow's steps on requests (which steps, the workflow's rules decide).
    public static let requestsHandle = Permission("requests.handle")
    /// The supervision board and its cards.
    public static let requestsSupervise = Permission("requests.supervise")
    /// Edit the category tree and its time limits.
    public static let categoriesManage = Permission("categories.manage")
}

public enum RequestPermissions {
    public static let grants: [Role: Set<Permission>] = [
        .gridWorker: [.requestsRead, .requestsHandle],
        .communityWorker: [.requestsRead, .requestsHandle],
        .streetOfficer: [.requestsRead, .requestsHandle, .requestsSupervise],
        .districtOfficer: [.requestsRead, .requestsHandle, .requestsSupervise, .categoriesManage],
        .department: [.requestsRead, .requestsHandle],
        // Their own requests only (the data layer scopes a resident to what they reported).
        .resident: [.requestsRead],
        .systemAdmin: [.categoriesManage],
    ]
}
