import Foundation

/// 四位一体: "社区居委会、物业管理、业主委员会、社区民警'四位一体'的运作机制". A compound's coordination meeting is a
/// 事务协调会 of the self-government capability, held by the residents' committee with the compound's property manager,
/// its owners' committee and the community police officer, its resolutions followed up as every meeting's are.

/// The four parties (四方) of a coordination meeting.
public enum CoordinationParty: String, Codable, Sendable, CaseIterable {
    case residentsCommittee = "juweihui"
    case propertyManager = "wuye"
    case ownersCommittee = "yeweihui"
    case police = "minjing"

    public var label: String {
        switch self {
        case .residentsCommittee: return "居委会"
        case .propertyManager: return "物业"
        case .ownersCommittee: return "业委会"
        case .police: return "社区民警"
        }
    }

    /// The form's and the API's field for the party's attendee.
    public var field: String {
        switch self {
        case .residentsCommittee: return "residents_committee"
        case .propertyManager: return "property_manager"
        case .ownersCommittee: return "owners_committee"
        case .police: return "police"
        }
    }
}

/// Who may sit for the compound on the day of the meeting: a company under a contract in force then, or the
/// community's 准物业管理, or nobody; an owners' committee in its term, or none.
public struct CoordinationSetting: Sendable, Equatable {
    public var company: String?
    public var quasi: Bool
    public var ownersCommittee: Bool

    public init(company: String?, quasi: Bool, ownersCommittee: Bool) {
        self.company = company; self.quasi = quasi; self.ownersCommittee = ownersCommittee
    }

    /// The parties the compound can send: the residents' committee and the police always; the property manager when
    /// somebody manages it; the owners' committee when one is in its term.
    public var expected: [CoordinationParty] {
        CoordinationParty.allCases.filter {
            switch $0 {
            case .residentsCommittee, .police: return true
            case .propertyManager: return company != nil || quasi
            case .ownersCommittee: return ownersCommittee
            }
        }
    }
}

/// A coordination meeting as typed: the meeting (date, topic, place, agenda) and the attendee of each party.
public struct CoordinationInput: Sendable, Equatable {
    public var title: String?
    public var agenda: String?
    public var heldOn: CivilDate?
    public var place: String?
    /// The attendee (name, or name and post) of each party; a party left empty did not attend.
    public var attendees: [CoordinationParty: String]

    public init(title: String?, agenda: String?, heldOn: CivilDate?, place: String?, attendees: [CoordinationParty: String]) {
        self.title = title; self.agenda = agenda; self.heldOn = heldOn; self.place = place; self.attendees = attendees
    }

    public func attendee(_ p: CoordinationParty) -> String? {
        guard let t = attendees[p]?.trimmingCharacters(in: .whitespacesAndNewlines), !t.isEmpty else { return nil }
        return t
    }
}

public enum CoordinationRules {
    public static let maxAttendee = 40

    /// The parties' part of the checks (the meeting's own — date, topic, place — are the deliberation rules'): the
    /// residents' committee convenes, so it must attend; every party the compound can send must be there, or the meeting
    /// is not 四位一体; a party the compound cannot send (no manager, no committee in its term) cannot be named.
    public static func check(_ input: CoordinationInput, _ setting: CoordinationSetting) -> [FieldError] {
        var e: [FieldError] = []
        let expected = Set(setting.expected)
        for p in CoordinationParty.allCases {
            let name = input.attendee(p)
            if let name, name.count > maxAttendee {
                e.append(FieldError(p.field, "\(p.label)参会人员不超过\(maxAttendee)字"))
            } else if name == nil, expected.contains(p) {
                e.append(FieldError(p.field, missing(p, setting)))
            } else if name != nil, !expected.contains(p) {
                e.append(FieldError(p.field, p == .propertyManager ? "该小区当天无人管理（无在期合同、无准物业管理），没有物业一方可参会"
                                                                    : "该小区当天没有任期内的业主委员会"))
            }
        }
        return e
    }

    static func missing(_ p: CoordinationParty, _ s: CoordinationSetting) -> String {
        switch p {
        case .residentsCommittee: return "请填写居委会参会人员（协调会由居委会召集）"
        case .police: return "请填写参会的社区民警"
        case .propertyManager:
            return s.company.map { "请填写\($0)（物业服务企业）的参会人员" } ?? "请填写准物业管理的参会人员"
        case .ownersCommittee: return "请填写业主委员会的参会人员"
        }
    }

    /// The units and officials lines the deliberation meeting records for the four parties.
    public static func lines(_ input: CoordinationInput, _ setting: CoordinationSetting, compound: String) -> (units: [String], officials: [String]) {
        var units: [String] = [], officials: [String] = []
        if let m = input.attendee(.propertyManager) {
            units.append(setting.company.map { "\($0)（物业服务企业）：\(m)" } ?? "准物业管理：\(m)")
        }
        if let o = input.attendee(.ownersCommittee) { units.append("\(compound)业主委员会：\(o)") }
        if let r = input.attendee(.residentsCommittee) { officials.append("居委会：\(r)") }
        if let p = input.attendee(.police) { officials.append("社区民警：\(p)") }
        return (units, officials)
    }
}
