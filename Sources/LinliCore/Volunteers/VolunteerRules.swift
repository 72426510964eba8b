/// 志愿者's rules: registration (a minor needs a guardian's consent), the agreement's terms, the check-in code's
/// window, hours from check-in and check-out (never more than the activity lasts), the verification period and
/// corrections. Pure functions returning `FieldError`s.
public enum VolunteerRules {
    /// The version of the service agreement (志愿服务协议) residents sign now; a new text gets a new version.
    public static let currentTermsVersion = "2026版"
    /// Age from which a resident registers without a guardian (under it: 监护人同意).
    public static let adultAge = 18
    /// The check-in code works from 30 minutes before the start to 30 minutes after the end.
    public static let codeMargin: Int64 = 30 * 60
    /// Days after an activity's end during which its hours may be verified; after them they are fixed.
    public static let verifyDays = 7
    /// No volunteer serves more than this in one correction (a day and a night).
    public static let maxCorrectionMinutes = 24 * 60

    public struct Registration: Sendable {
        public var skills: [VolunteerSkill]
        public var skillNote: String?
        public var areas: [VolunteerServiceArea]
        public var availability: [VolunteerAvailability]
        public var registeredOn: CivilDate?
        public var guardianName: String?
        public var guardianRelation: String?
        public var guardianConsentOn: CivilDate?

        public init(skills: [VolunteerSkill], skillNote: String? = nil, areas: [VolunteerServiceArea], availability: [VolunteerAvailability],
                    registeredOn: CivilDate?, guardianName: String? = nil, guardianRelation: String? = nil, guardianConsentOn: CivilDate? = nil) {
            self.skills = skills; self.skillNote = skillNote; self.areas = areas; self.availability = availability
            self.registeredOn = registeredOn; self.guardianName = guardianName; self.guardianRelation = guardianRelation
            self.guardianConsentOn = guardianConsentOn
        }
    }

    /// Whether someone born on `birth` is a minor on `day`.
    public static func isMinor(born birth: CivilDate, on day: CivilDate) -> Bool { birth.age(on: day) < adultAge }

    /// A registration of someone born on `birth`, on `today`.
    public static func check(_ r: Registration, born birth: CivilDate, today: CivilDate) -> [FieldError] {
        var errors: [FieldError] = []
        if r.skills.isEmpty && (r.skillNote ?? "").isEmpty { errors.append(FieldError("skills", "请选择至少一项技能，或在“其他技能”中填写")) }
        if (r.skillNote ?? "").count > 200 { errors.append(FieldError("skill_note", "其他技能不超过200字")) }
        if r.areas.isEmpty { errors.append(FieldError("service_areas", "请选择至少一个服务类别")) }
        if r.availability.isEmpty { errors.append(FieldError("availability", "请选择可服务时间")) }
        guard let day = r.registeredOn else {
            errors.append(FieldError("registered_on", "请填写注册日期"))
            return errors
        }
        if day > today { errors.append(FieldError("registered_on", "注册日期不能晚于今天")) }
        if birth > day { errors.append(FieldError("registered_on", "注册日期早于出生日期")) }
        if isMinor(born: birth, on: day) {
            let name = (r.guardianName ?? "").trimmingCharacters(in: .whitespaces), relation = (r.guardianRelation ?? "").trimmingCharacters(in: .whitespaces)
            if name.isEmpty || relation.isEmpty || r.guardianConsentOn == nil {
                errors.append(FieldError("guardian", "未满18周岁的志愿者须经监护人同意：请填写监护人姓名、关系和同意日期"))
            } else if let consent = r.guardianConsentOn, consent > today {
                errors.append(FieldError("guardian", "监护人同意日期不能晚于今天"))
            }
        }
        return errors
    }

    /// The seconds during which the activity's code checks volunteers in and out.
    public static func codeWindow(start: Int64, end: Int64) -> ClosedRange<Int64> { (start - codeMargin)...(end + codeMargin) }

    /// A code typed at `now` for an activity from `start` to `end`: refused at `code` when it is not the activity's,
    /// at `time` outside the window.
    public static func checkCode(_ typed: String, expected: String, now: Int64, start: Int64, end: Int64) -> [FieldError] {
        if typed.trimmingCharacters(in: .whitespaces).uppercased() != expected.uppercased() { return [FieldError("code", "签到码不正确")] }
        if !codeWindow(start: start, end: end).contains(now) {
            return [FieldError("time", "只能在活动开始前30分钟至结束后30分钟内签到、签退")]
        }
        return []
    }

    /// An activity as published: a title and a place, the end after the start, at least one place.
    public static func checkActivity(title: String?, place: String?, start: Int64?, end: Int64?, places: Int?) -> [FieldError] {
        var errors: [FieldError] = []
        if (title ?? "").trimmingCharacters(in: .whitespaces).isEmpty { errors.append(FieldError("title", "请填写活动名称")) }
        if (place ?? "").trimmingCharacters(in: .whitespaces).isEmpty { errors.append(FieldError("place", "请填写活动地点")) }
        if start == nil { errors.append(FieldError("starts_at", "请填写开始时间")) }
        if end == nil { errors.append(FieldError("ends_at", "请填写结束时间")) }
        // Times before 1970 or after 2099 are refused before any arithmetic on them (an Int64 at its limit would overflow).
        let range: ClosedRange<Int64> = 0...4_102_444_799
        if let start, !range.contains(start) { errors.append(FieldError("starts_at", "开始时间超出可填写的范围")) }
        if let end, !range.contains(end) { errors.append(FieldError("ends_at", "结束时间超出可填写的范围")) }
        if let start, let end, range.contains(start), range.contains(end) {
            if end <= start { errors.append(FieldError("ends_at", "结束时间应晚于开始时间")) }
            if end - start > Int64(maxCorrectionMinutes) * 60 { errors.append(FieldError("ends_at", "一次活动不超过24小时，多日活动请分次发布")) }
        }
        if let places { if places < 1 || places > 10_000 { errors.append(FieldError("places", "名额应为1至10000")) } } else {
            errors.append(FieldError("places", "请填写名额"))
        }
        return errors
    }

    /// The minutes an activity lasts.
    public static func length(start: Int64, end: Int64) -> Int { Int((end - start) / 60) }

    /// Minutes proposed from check-in and check-out: their difference, never more than the activity lasts.
    public static func proposedMinutes(checkIn: Int64, checkOut: Int64, start: Int64, end: Int64) -> Int {
        max(0, min(Int((checkOut - checkIn) / 60), length(start: start, end: end)))
    }

    /// The hours the organizer verifies: refused at `hours` when negative or over the activity's length.
    public static func checkVerified(minutes: Int, start: Int64, end: Int64) -> [FieldError] {
        if minutes < 0 { return [FieldError("hours", "服务时长不能为负")] }
        if minutes > length(start: start, end: end) {
            return [FieldError("hours", "服务时长不能超过活动时长（\(hoursText(length(start: start, end: end)))）")]
        }
        return []
    }

    /// Whether the hours of an activity that ended at `end` may still be verified at `now`.
    public static func mayVerify(end: Int64, now: Int64) -> Bool { now <= end + Int64(verifyDays) * 86_400 }

    /// A correction of fixed hours: a change other than zero, within a day, not below zero in total, with a reason.
    public static func checkCorrection(delta: Int?, reason: String?, total: Int) -> [FieldError] {
        var errors: [FieldError] = []
        if let delta {
            if delta == 0 || abs(delta) > maxCorrectionMinutes { errors.append(FieldError("hours", "更正的时长应在±24小时之内且不为0")) }
            else if total + delta < 0 { errors.append(FieldError("hours", "更正后累计时长不能为负")) }
        } else {
            errors.append(FieldError("hours", "请填写更正的时长"))
        }
        if (reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty { errors.append(FieldError("reason", "请填写更正原因")) }
        return errors
    }

    /// Minutes as hours for people: "12.5小时".
    public static func hoursText(_ minutes: Int) -> String {
        let tenths = (minutes * 10 + (minutes >= 0 ? 30 : -30)) / 60
        let whole = tenths / 10, frac = abs(tenths % 10)
        return (tenths < 0 && whole == 0 ? "-" : "") + "\(whole)" + (frac == 0 ? "" : ".\(frac)") + "小时"
    }

    /// Hours as typed (a decimal, at most one place after the point) in minutes, nil when not a number.
    public static func minutes(fromHours text: String) -> Int? {
        Double(text.trimmingCharacters(in: .whitespaces)).flatMap(minutes(fromHours:))
    }

    /// Hours as minutes, or nil when not a finite number of a sensible size (never a trap on a huge value).
    public static func minutes(fromHours h: Double) -> Int? {
        guard h.isFinite, abs(h) < 100_000 else { return nil }
        return Int((h * 60).rounded())
    }

    /// The letters and digits of codes (no look-alikes: 0/O, 1/I/L).
    public static let codeAlphabet = Array("ABCDEFGHJKMNPQRSTUVWXYZ23456789")
}
