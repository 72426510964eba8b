import Foundation

/// A meeting as typed: the participants linked to the registry come as resident ids; units and officials by name.
public struct MeetingInput: Sendable {
    public var kind: MeetingKind?
    public var title: String?
    public var agenda: String?
    public var heldOn: CivilDate?
    public var place: String?
    public var residentIds: [UUID]
    /// Residents who came but are not named (a count, e.g. at a 楼道 meeting).
    public var otherResidents: Int?
    public var units: [String]
    public var officials: [String]
    public var minutes: String?

    public init(kind: MeetingKind?, title: String?, agenda: String?, heldOn: CivilDate?, place: String?, residentIds: [UUID] = [], otherResidents: Int? = nil,
                units: [String] = [], officials: [String] = [], minutes: String? = nil) {
        self.kind = kind; self.title = title; self.agenda = agenda; self.heldOn = heldOn; self.place = place; self.residentIds = residentIds
        self.otherResidents = otherResidents; self.units = units; self.officials = officials; self.minutes = minutes
    }
}

public struct ResolutionInput: Sendable {
    public var text: String?
    public var owner: String?
    public var dueOn: CivilDate?

    public init(text: String?, owner: String?, dueOn: CivilDate?) { self.text = text; self.owner = owner; self.dueOn = dueOn }
}

public struct ProposalInput: Sendable {
    public var title: String?
    public var what: String?
    public var why: String?
    /// Estimated cost in yuan; nil when there is none.
    public var cost: Int64?
    public var deadline: CivilDate?

    public init(title: String?, what: String?, why: String?, cost: Int64?, deadline: CivilDate?) {
        self.title = title; self.what = what; self.why = why; self.cost = cost; self.deadline = deadline
    }
}

/// What 民主协商与网上议事 refuses, as pure functions of the input and today.
public enum DeliberationRules {
    public static let maxParticipants = 500
    public static let maxCost: Int64 = 1_000_000_000
    /// A proposal collects opinions for at most a year.
    public static let maxOpenDays = 365

    static func text(_ value: String?, field: String, label: String, max: Int, into errors: inout [FieldError]) {
        let t = value?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if t.isEmpty { errors.append(FieldError(field, "请填写\(label)")) }
        else if t.count > max { errors.append(FieldError(field, "\(label)不超过\(max)字")) }
    }

    public static func check(_ m: MeetingInput, today: CivilDate) -> [FieldError] {
        var e: [FieldError] = []
        if m.kind == nil { e.append(FieldError("kind", "请选择会议类型：\(MeetingKind.allCases.map(\.label).joined(separator: "、"))")) }
        text(m.title, field: "title", label: "议题", max: 100, into: &e)
        text(m.agenda, field: "agenda", label: "议程", max: 2000, into: &e)
        text(m.place, field: "place", label: "会议地点", max: 100, into: &e)
        if let d = m.heldOn {
            if d < CivilDate(year: 2000, month: 1, day: 1)! { e.append(FieldError("held_on", "会议日期不能早于2000年")) }
            // A meeting may be announced ahead; its minutes only after it took place.
            if let minutes = m.minutes, !minutes.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, d > today {
                e.append(FieldError("held_on", "会议日期晚于今天，不能记录会议纪要"))
            }
            if d > today.adding(days: 366) { e.append(FieldError("held_on", "会议日期不能晚于一年以后")) }
        } else { e.append(FieldError("held_on", "请填写会议日期")) }
        if m.residentIds.count > maxParticipants || Set(m.residentIds).count != m.residentIds.count {
            e.append(FieldError("resident_ids", "参会居民不超过\(maxParticipants)人，且不能重复"))
        }
        if let n = m.otherResidents, !(0...5000).contains(n) { e.append(FieldError("other_residents", "其他参会居民人数应在0至5000之间")) }
        if m.units.count > 100 || m.units.contains(where: { $0.count > 100 }) { e.append(FieldError("units", "参会单位不超过100个，每个名称不超过100字")) }
        if m.officials.count > 100 || m.officials.contains(where: { $0.count > 50 }) { e.append(FieldError("officials", "参会干部不超过100人，每个姓名不超过50字")) }
        if (m.minutes ?? "").count > 10000 { e.append(FieldError("minutes", "会议纪要不超过10000字")) }
        return e
    }

    /// Minutes recorded after the meeting: the meeting must have taken place.
    public static func checkMinutes(_ minutes: String?, heldOn: CivilDate, today: CivilDate) -> [FieldError] {
        var e: [FieldError] = []
        text(minutes, field: "minutes", label: "会议纪要", max: 10000, into: &e)
        if heldOn > today { e.append(FieldError("held_on", "会议日期（\(heldOn)）晚于今天，会后才能记录会议纪要")) }
        return e
    }

    /// A resolution has an owner and a due date, no earlier than the meeting.
    public static func check(_ r: ResolutionInput, meetingOn: CivilDate) -> [FieldError] {
        var e: [FieldError] = []
        text(r.text, field: "text", label: "决议内容", max: 500, into: &e)
        text(r.owner, field: "owner", label: "落实责任人", max: 50, into: &e)
        if let due = r.dueOn {
            if due < meetingOn { e.append(FieldError("due_on", "落实期限不能早于会议日期（\(meetingOn)）")) }
            if due > meetingOn.adding(days: 3 * 366) { e.append(FieldError("due_on", "落实期限不能晚于会议后三年")) }
        } else { e.append(FieldError("due_on", "请填写落实期限")) }
        return e
    }

    public static func checkFollowUp(note: String?, on day: CivilDate?, meetingOn: CivilDate, today: CivilDate) -> [FieldError] {
        var e: [FieldError] = []
        text(note, field: "note", label: "跟进情况", max: 1000, into: &e)
        if let d = day {
            if d > today { e.append(FieldError("on_date", "跟进日期不能晚于今天")) }
            if d < meetingOn { e.append(FieldError("on_date", "跟进日期不能早于会议日期（\(meetingOn)）")) }
        }
        return e
    }

    public static func check(_ p: ProposalInput, today: CivilDate) -> [FieldError] {
        var e: [FieldError] = []
        text(p.title, field: "title", label: "议题", max: 100, into: &e)
        text(p.what, field: "what", label: "做什么", max: 2000, into: &e)
        text(p.why, field: "why", label: "为什么做", max: 2000, into: &e)
        if let c = p.cost, !(0...maxCost).contains(c) { e.append(FieldError("cost", "预计费用应在0至\(maxCost)元之间")) }
        if let d = p.deadline {
            if d <= today { e.append(FieldError("deadline", "征求意见截止日期应晚于今天")) }
            else if d > today.adding(days: maxOpenDays) { e.append(FieldError("deadline", "征求意见期不超过\(maxOpenDays)天")) }
        } else { e.append(FieldError("deadline", "请填写征求意见截止日期")) }
        return e
    }

    public static func checkComment(_ body: String?) -> [FieldError] {
        var e: [FieldError] = []
        text(body, field: "body", label: "评论", max: 500, into: &e)
        return e
    }

    public static func checkClose(decision: String?, response: String?) -> [FieldError] {
        var e: [FieldError] = []
        text(decision, field: "decision", label: "决定", max: 2000, into: &e)
        text(response, field: "response", label: "对主要意见的答复", max: 4000, into: &e)
        return e
    }

    public static func checkHide(reason: String?) -> [FieldError] {
        var e: [FieldError] = []
        text(reason, field: "reason", label: "隐藏理由", max: 200, into: &e)
        return e
    }

    public enum Participation: Sendable { case support, comment }

    /// Whether a resident of `residentCommunity` may support or comment on a proposal of `community` today: only
    /// residents of the community; supports only until the deadline (the deadline day included); nothing once closed.
    public static func mayTakePart(_ what: Participation, residentCommunity: String?, community: String, communityName: String, state: ProposalState,
                                   deadline: CivilDate, today: CivilDate) -> FieldError? {
        let field = what == .support ? "support" : "body"
        guard let mine = residentCommunity else {
            return FieldError("account", "请先完成实名核验（姓名和公民身份号码），核验后可参与本社区的网上议事")
        }
        if mine != community { return FieldError(field, "本议题由\(communityName)发起，只有在该社区登记的居民可以\(what == .support ? "支持" : "评论")；您可以阅读") }
        if state == .closed { return FieldError(field, "本议题已答复，不再接受\(what == .support ? "支持" : "评论")") }
        if what == .support && today > deadline { return FieldError(field, "征求意见已于\(deadline)截止，不再接受支持") }
        return nil
    }

    /// The meetings the standard asks for in 12 months: four of the deliberative forms (any mix; 楼道/业主 do not count).
    public static let meetingsForStandard = 4

    public static func meetsMeetingStandard(_ kinds: [MeetingKind]) -> Bool {
        kinds.filter(\.isDeliberative).count >= meetingsForStandard
    }
}
