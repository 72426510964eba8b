/// 志愿者's permissions.
extension Permission {
    /// The volunteers, teams, activities and service records of one's area (names and numbers masked), performance.
    public static let volunteersRead = Permission("volunteers.read")
    /// Register a resident as a volunteer, confirm, record the agreement (paper signature), withdraw; teams; the roll's export.
    public static let volunteersWrite = Permission("volunteers.write")
    /// Publish activities, add volunteers, check them in and out, verify and correct hours, issue certificates.
    public static let volunteersActivities = Permission("volunteers.activities")
    /// A resident's own: link the account to the registry (实名核验), register, sign, sign up, check in by code, own hours.
    public static let volunteersRegister = Permission("volunteers.register")
}

public enum VolunteersPermissions {
    /// Community workers run the roll and the activities; grid workers read their community; the street and
    /// the district read and see performance; a resident acts for themself on the portal.
    public static let grants: [Role: Set<Permission>] = [
        .gridWorker: [.volunteersRead],
        .communityWorker: [.volunteersRead, .volunteersWrite, .volunteersActivities],
        .streetOfficer: [.volunteersRead],
        .districtOfficer: [.volunteersRead],
        .resident: [.volunteersRegister],
    ]
}
