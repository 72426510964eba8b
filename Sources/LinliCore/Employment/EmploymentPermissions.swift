/// 就业援助's permissions.
extension Permission {
    /// The unemployment register of one's area and the public-welfare posts: lists with names masked, a person's page (audited).
    public static let employmentRead = Permission("employment.read")
    /// Register the unemployed (失业登记), log contacts and job referrals, designate 就业困难人员, record exits.
    public static let employmentWrite = Permission("employment.write")
    /// Public-welfare posts (公益性岗位), placements into them and the monthly allowance roll of the street.
    public static let employmentJobs = Permission("employment.jobs")
    /// Configure the term of a placement (the district's rule).
    public static let employmentConfigure = Permission("employment.configure")
}

public enum EmploymentPermissions {
    public static let grants: [Role: Set<Permission>] = [
        .gridWorker: [.employmentRead, .employmentWrite],
        .communityWorker: [.employmentRead, .employmentWrite],
        .streetOfficer: [.employmentRead, .employmentWrite, .employmentJobs],
        .districtOfficer: [.employmentRead, .employmentConfigure],
    ]
}
