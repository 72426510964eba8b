/// 换届选举's permissions.
extension Permission {
    /// Elections of one's area: timetable, roll (names masked), candidates, counts, outcome; the board.
    public static let electionsRead = Permission("elections.read")
    /// Prepare an election: committee, seats, timetable, the roll and its corrections, candidates, objections.
    public static let electionsWrite = Permission("elections.write")
    /// Enter a ballot box's count (either of the two entries) and close a round.
    public static let electionsCount = Permission("elections.count")
}

public enum ElectionsPermissions {
    /// The community runs its election and counts it; the street and the district follow it on the board.
    public static let grants: [Role: Set<Permission>] = [
        .communityWorker: [.electionsRead, .electionsWrite, .electionsCount],
        .streetOfficer: [.electionsRead],
        .districtOfficer: [.electionsRead],
    ]
}
