import Foundation

/// 再就业培训's permissions.
extension Permission {
    /// The courses of one's area and their trainees (names, attendance, completion, what became of them).
    public static let trainingRead = Permission("training.read")
    /// Enrol residents of one's area, keep attendance, record completion and the follow-up six months on.
    public static let trainingWrite = Permission("training.write")
    /// Open a course (the street's employment service station, 街道劳动保障所, or the district).
    public static let trainingCourses = Permission("training.courses")
}

public enum TrainingPermissions {
    public static let grants: [Role: Set<Permission>] = [
        .gridWorker: [.trainingRead],
        .communityWorker: [.trainingRead, .trainingWrite],
        .streetOfficer: [.trainingRead, .trainingWrite, .trainingCourses],
        .districtOfficer: [.trainingRead, .trainingCourses],
    ]
}

/// 培训类别.
public enum TrainingKind: String, Codable, Sendable, CaseIterable {
    /// 职业技能培训: a trade for those out of work.
    case skill
    /// 创业培训 (SYB and the like).
    case startup
    /// 岗位技能提升培训.
    case upgrade

    public var label: String {
        switch self {
        case .skill: return "职业技能培训"
        case .startup: return "创业培训"
        case .upgrade: return "岗位技能提升培训"
        }
    }
}

/// 结业情况.
public enum TrainingResult: String, Codable, Sendable, CaseIterable {
    case completed, dropped
    public var label: String { self == .completed ? "结业" : "中途退出" }
}

/// 证书类别.
public enum TrainingCertificate: String, Codable, Sendable, CaseIterable {
    /// 培训合格证书.
    case completion
    /// 职业技能等级证书.
    case skillLevel = "skill_level"
    /// 专项职业能力证书.
    case special
    /// 创业培训合格证书.
    case startup

    public var label: String {
        switch self {
        case .completion: return "培训合格证书"
        case .skillLevel: return "职业技能等级证书"
        case .special: return "专项职业能力证书"
        case .startup: return "创业培训合格证书"
        }
    }
}

/// A course as typed.
public struct CourseDraft: Sendable {
    public var name: String
    public var kind: String?
    public var trade: String?
    public var provider: String
    public var startsOn: String?
    public var endsOn: String?
    public var hours: Int?
    public var capacity: Int?
    public init(name: String, kind: String?, trade: String?, provider: String, startsOn: String?, endsOn: String?, hours: Int?, capacity: Int?) {
        self.name = name; self.kind = kind; self.trade = trade; self.provider = provider
        self.startsOn = startsOn; self.endsOn = endsOn; self.hours = hours; self.capacity = capacity
    }
}

/// A course once checked.
public struct CheckedCourse: Sendable, Equatable {
    public var name: String
    public var kind: TrainingKind
    public var trade: String?
    public var provider: String
    public var startsOn: CivilDate
    public var endsOn: CivilDate
    public var hours: Int
    public var capacity: Int
}

/// The rules of 再就业培训: what a course, an enrolment, a session's attendance, a completion and the
/// follow-up six months on must satisfy.
public enum TrainingRules {
    /// 劳动年龄: who may enrol.
    public static let ages = 16...64
    /// 出勤率: the share of sessions a trainee must attend to complete (结业), in percent.
    public static let attendanceToComplete = 80
    /// The follow-up (就业跟踪回访) is made six months after completion.
    public static let followUpMonths = 6
    /// A course is not planned more than a year ahead.
    public static let planAheadDays = 366

    static func date(_ raw: String?, _ field: String, _ label: String, _ errors: inout FieldErrors) -> CivilDate? {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { errors.add(field, "请填写\(label)"); return nil }
        guard let d = CivilDate(raw) else { errors.add(field, "\(label)应为 YYYY-MM-DD 格式的日期"); return nil }
        return d
    }

    public static func check(_ d: CourseDraft, today: CivilDate) -> Result<CheckedCourse, ValidationFailure> {
        var errors = FieldErrors()
        let name = d.name.trimmingCharacters(in: .whitespacesAndNewlines), provider = d.provider.trimmingCharacters(in: .whitespacesAndNewlines)
        if name.count < 2 || name.count > 60 { errors.add("name", "课程名称应为2至60个字") }
        if provider.isEmpty || provider.count > 60 { errors.add("provider", "请填写培训机构（不超过60个字）") }
        let kind = d.kind.flatMap(TrainingKind.init(rawValue:))
        if kind == nil { errors.add("kind", "请选择培训类别：\(TrainingKind.allCases.map(\.label).joined(separator: "、"))") }
        let trade = d.trade?.trimmedOrNil
        if let trade, trade.count > 40 { errors.add("trade", "工种不能超过40个字") }
        let starts = date(d.startsOn, "starts_on", "开班日期", &errors), ends = date(d.endsOn, "ends_on", "结业日期", &errors)
        if let starts, starts > today.adding(days: planAheadDays) { errors.add("starts_on", "开班日期不能晚于一年以后") }
        if let starts, let ends, ends < starts { errors.add("ends_on", "结业日期不能早于开班日期") }
        if let starts, let ends, ends.dayNumber - starts.dayNumber > 366 { errors.add("ends_on", "一期培训不能超过一年") }
        guard let hours = d.hours, (1...2000).contains(hours) else { errors.add("hours", "学时应为1至2000"); return .failure(ValidationFailure(errors.errors)) }
        guard let capacity = d.capacity, (1...500).contains(capacity) else { errors.add("capacity", "名额应为1至500人"); return .failure(ValidationFailure(errors.errors)) }
        guard errors.isEmpty, let kind, let starts, let ends else { return .failure(ValidationFailure(errors.errors)) }
        return .success(CheckedCourse(name: name, kind: kind, trade: trade, provider: provider, startsOn: starts, endsOn: ends, hours: hours, capacity: capacity))
    }

    /// Who may enrol on `today` in a course ending on `endsOn`.
    public static func checkEnrolment(birth: CivilDate, alive: Bool, courseEnds: CivilDate, enrolled: Int, capacity: Int, today: CivilDate) -> [FieldError] {
        var errors = FieldErrors()
        if !alive { errors.add("resident_id", "该居民不在册，不能报名") }
        if !ages.contains(birth.age(on: today)) { errors.add("resident_id", "再就业培训面向\(ages.lowerBound)至\(ages.upperBound)岁的劳动年龄人员") }
        if courseEnds < today { errors.add("course_id", "该期培训已结业，不能再报名") }
        if enrolled >= capacity { errors.add("course_id", "该期培训名额已满（\(capacity)人）") }
        return errors.errors
    }

    /// A session's date: within the course and not in the future.
    public static func checkSession(_ raw: String?, startsOn: CivilDate, endsOn: CivilDate, today: CivilDate) -> Result<CivilDate, ValidationFailure> {
        var errors = FieldErrors()
        guard let d = date(raw, "date", "上课日期", &errors) else { return .failure(ValidationFailure(errors.errors)) }
        if d > today { return .failure(ValidationFailure([FieldError("date", "上课日期不能晚于今天")])) }
        if d < startsOn || d > endsOn { return .failure(ValidationFailure([FieldError("date", "上课日期应在\(startsOn)至\(endsOn)之间")])) }
        return .success(d)
    }

    /// The attendance rate in whole percent (0 when no session was held).
    public static func attendanceRate(present: Int, sessions: Int) -> Int { sessions == 0 ? 0 : present * 100 / sessions }

    public struct Completion: Sendable, Equatable {
        public var result: TrainingResult
        public var on: CivilDate
        public var certificate: TrainingCertificate?
        public var certificateNumber: String?
    }

    /// 结业: on or after the course's last day and not in the future; completed only with enough attendance;
    /// a certificate only on completion, always with its number.
    public static func checkCompletion(result raw: String?, on rawDate: String?, certificate rawCert: String?, number rawNumber: String?,
                                       present: Int, sessions: Int, courseEnds: CivilDate, today: CivilDate) -> Result<Completion, ValidationFailure> {
        var errors = FieldErrors()
        let result = raw.flatMap(TrainingResult.init(rawValue:))
        if result == nil { errors.add("result", "请选择结业情况：completed（结业）或 dropped（中途退出）") }
        let on = date(rawDate, "on", "日期", &errors)
        if let on, on > today { errors.add("on", "日期不能晚于今天") }
        if let on, result == .completed, on < courseEnds { errors.add("on", "结业日期不能早于该期培训的结业日期\(courseEnds)") }
        let rate = attendanceRate(present: present, sessions: sessions)
        if result == .completed && rate < attendanceToComplete {
            errors.add("result", "出勤率\(rate)%，未达到\(attendanceToComplete)%，不能结业")
        }
        var certificate: TrainingCertificate?
        if let c = rawCert?.trimmedOrNil {
            certificate = TrainingCertificate(rawValue: c)
            if certificate == nil { errors.add("certificate", "证书类别无效，可选：\(TrainingCertificate.allCases.map(\.rawValue).joined(separator: "、"))") }
            if result == .dropped { errors.add("certificate", "中途退出的学员没有证书") }
        }
        let number = rawNumber?.trimmedOrNil
        if certificate != nil && number == nil { errors.add("certificate_number", "请填写证书编号") }
        if certificate == nil && number != nil { errors.add("certificate", "填写了证书编号，请选择证书类别") }
        if let number, number.count > 40 { errors.add("certificate_number", "证书编号不能超过40个字") }
        guard errors.isEmpty, let result, let on else { return .failure(ValidationFailure(errors.errors)) }
        return .success(Completion(result: result, on: on, certificate: certificate, certificateNumber: number))
    }

    /// The day the follow-up falls due.
    public static func followUpDue(completedOn: CivilDate) -> CivilDate { completedOn.addingMonths(followUpMonths) }

    /// 就业跟踪: six months after completion at the earliest, not in the future; where they work when employed.
    public static func checkFollowUp(on rawDate: String?, employed: Bool?, employer rawEmployer: String?, completedOn: CivilDate,
                                     today: CivilDate) -> Result<(on: CivilDate, employed: Bool, employer: String?), ValidationFailure> {
        var errors = FieldErrors()
        let on = date(rawDate, "on", "回访日期", &errors)
        if let on, on > today { errors.add("on", "回访日期不能晚于今天") }
        let due = followUpDue(completedOn: completedOn)
        if let on, on < due { errors.add("on", "结业满\(followUpMonths)个月（\(due)）后才能登记回访结果") }
        if employed == nil { errors.add("employed", "请选择是否已就业") }
        let employer = rawEmployer?.trimmedOrNil
        if employed == true && employer == nil { errors.add("employer", "请填写就业单位（自主创业填“自主创业”）") }
        if let employer, employer.count > 60 { errors.add("employer", "就业单位不能超过60个字") }
        guard errors.isEmpty, let on, let employed else { return .failure(ValidationFailure(errors.errors)) }
        return .success((on, employed, employed ? employer : nil))
    }
}
