import Foundation

/// 业主委员会: the owners' committee of a compound — members who are owners living in it (residents of the registry), a
/// term, and its filing with the street (备案). The plan: "规范业主自治".

/// A member's office on the committee.
public enum CommitteeOffice: String, Codable, Sendable, CaseIterable {
    case director, deputy, member

    public var label: String {
        switch self {
        case .director: return "主任"
        case .deputy: return "副主任"
        case .member: return "委员"
        }
    }
}

/// An owners' committee as typed.
public struct CommitteeInput: Sendable, Equatable {
    public var startsOn: CivilDate?
    public var endsOn: CivilDate?
    /// 备案日期: the day the street filed it; nil while not yet filed.
    public var filedOn: CivilDate?
    public var members: [CommitteeMemberInput]

    public init(startsOn: CivilDate?, endsOn: CivilDate?, filedOn: CivilDate? = nil, members: [CommitteeMemberInput]) {
        self.startsOn = startsOn; self.endsOn = endsOn; self.filedOn = filedOn; self.members = members
    }
}

public struct CommitteeMemberInput: Sendable, Equatable {
    public var residentId: UUID
    public var office: CommitteeOffice
    public init(residentId: UUID, office: CommitteeOffice) { self.residentId = residentId; self.office = office }
}

public enum CommitteeRules {
    /// 业主委员会由5至11人单数组成 (《业主大会和业主委员会指导规则》), a term of at most five years.
    public static let minMembers = 5, maxMembers = 11, maxTermYears = 5
    /// How far ahead a term's end is shown to the community: 90 days.
    public static let reminderDays = 90
    /// A compound this large (households) is expected to have a committee in force; the district may change it.
    public static let defaultLargeHouseholds = 300

    public static func check(_ c: CommitteeInput, today: CivilDate) -> [FieldError] {
        var e: [FieldError] = []
        if c.startsOn == nil { e.append(FieldError("starts_on", "请填写任期开始日期")) }
        if c.endsOn == nil { e.append(FieldError("ends_on", "请填写任期结束日期")) }
        if let s = c.startsOn, let t = c.endsOn {
            if t <= s {
                e.append(FieldError("ends_on", "任期结束日期应晚于开始日期（\(s)）"))
            } else if t > CivilDate(year: s.year + maxTermYears, month: s.month, day: min(s.day, 28))! {
                e.append(FieldError("ends_on", "业主委员会任期不超过\(maxTermYears)年"))
            }
        }
        if let f = c.filedOn {
            if f > today { e.append(FieldError("filed_on", "备案日期不能晚于今天")) }
            else if let s = c.startsOn, f < s { e.append(FieldError("filed_on", "备案日期不能早于任期开始日期")) }
        }
        let n = c.members.count
        if n < minMembers || n > maxMembers || n % 2 == 0 {
            e.append(FieldError("members", "业主委员会应由\(minMembers)至\(maxMembers)名业主单数组成（现为\(n)人）"))
        } else if Set(c.members.map(\.residentId)).count != n {
            e.append(FieldError("members", "同一业主登记了两次"))
        } else if c.members.filter({ $0.office == .director }).count != 1 {
            e.append(FieldError("members", "业主委员会应有一名主任"))
        }
        return e
    }

    /// In force on `day`: from its start to its end, both included.
    public static func inForce(startsOn: CivilDate, endsOn: CivilDate, on day: CivilDate) -> Bool { startsOn <= day && day <= endsOn }

    /// Its term ends within the reminder window (today included), while still in force.
    public static func endingSoon(endsOn: CivilDate, today: CivilDate) -> Bool { today <= endsOn && endsOn <= today.adding(days: reminderDays) }

    /// A compound of at least `large` households without a committee in force is a gap.
    public static func isGap(households: Int, committeeInForce: Bool, large: Int) -> Bool { households >= large && !committeeInForce }
}
