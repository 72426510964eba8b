import Foundation

/// 社工队伍's rules: what a worker's entry, a qualification, a year's training hours and an annual appraisal must
/// satisfy. Pure functions returning the fields at fault; scope, duplicates and versions are the data layer's.

/// A worker as typed.
public struct WorkerInput: Sendable, Equatable {
    public var name: String?
    public var post: WorkerPost?
    public var employment: EmploymentForm?
    public var title: String?
    public var phone: String?
    public var hiredOn: CivilDate?
    public var registrationNo: String?
    public var registeredOn: CivilDate?
    public var registrationValidTo: CivilDate?
    public var accountUsername: String?

    public init(name: String?, post: WorkerPost?, employment: EmploymentForm?, title: String? = nil, phone: String? = nil, hiredOn: CivilDate? = nil,
                registrationNo: String? = nil, registeredOn: CivilDate? = nil, registrationValidTo: CivilDate? = nil, accountUsername: String? = nil) {
        self.name = name; self.post = post; self.employment = employment; self.title = title; self.phone = phone; self.hiredOn = hiredOn
        self.registrationNo = registrationNo; self.registeredOn = registeredOn; self.registrationValidTo = registrationValidTo
        self.accountUsername = accountUsername
    }
}

public enum WorkerRules {
    /// The national examination of social workers' professional level began in 2008.
    public static let firstExam = CivilDate(year: 2008, month: 1, day: 1)!
    public static let maxTrainingHours = 2000
    public static let maxScores = 15

    static func blank(_ s: String?) -> Bool { (s?.trimmingCharacters(in: .whitespaces) ?? "").isEmpty }

    public static func text(_ s: String?, _ field: String, _ label: String, max: Int, required: Bool, into e: inout [FieldError]) {
        guard let t = s?.trimmingCharacters(in: .whitespaces), !t.isEmpty else {
            if required { e.append(FieldError(field, "请填写\(label)")) }
            return
        }
        if t.count > max { e.append(FieldError(field, "\(label)最多\(max)个字")) }
    }

    public static func past(_ d: CivilDate?, _ field: String, _ label: String, today: CivilDate, required: Bool = true, into e: inout [FieldError]) {
        guard let d else { if required { e.append(FieldError(field, "请填写\(label)")) }; return }
        if d > today { e.append(FieldError(field, "\(label)不能晚于今天")) }
    }

    public static func check(_ w: WorkerInput, today: CivilDate) -> [FieldError] {
        var e: [FieldError] = []
        text(w.name, "name", "姓名", max: 30, required: true, into: &e)
        if w.post == nil { e.append(FieldError("post", "请选择岗位")) }
        if w.employment == nil { e.append(FieldError("employment", "请选择用工方式（专职、聘用、派遣、项目、委托）")) }
        text(w.title, "title", "专业技术职称", max: 30, required: false, into: &e)
        if let p = w.phone?.trimmingCharacters(in: .whitespaces), !p.isEmpty, !DonationRules.isPhone(p.filter { $0 != " " }) {
            e.append(FieldError("phone", "联系电话应为11位手机号或带区号的固定电话"))
        }
        past(w.hiredOn, "hired_on", "入职日期", today: today, required: false, into: &e)
        text(w.accountUsername, "account", "平台账号", max: 40, required: false, into: &e)
        // 注册: the number, the date and the end of validity go together.
        if blank(w.registrationNo) {
            if w.registeredOn != nil || w.registrationValidTo != nil { e.append(FieldError("registration_no", "填写注册日期时请填写注册证号")) }
        } else {
            text(w.registrationNo, "registration_no", "注册证号", max: 40, required: true, into: &e)
            past(w.registeredOn, "registered_on", "注册日期", today: today, into: &e)
            if w.registrationValidTo == nil { e.append(FieldError("registration_valid_to", "请填写注册有效期至")) }
            if let from = w.registeredOn, let to = w.registrationValidTo, to <= from {
                e.append(FieldError("registration_valid_to", "有效期应晚于注册日期（\(from)）"))
            }
        }
        return e
    }

    /// A qualification (职业水平证书): the level, the certificate number, the date obtained — not before the first
    /// examination and not in the future.
    public static func checkQualification(level: QualificationLevel?, certificateNo: String?, obtainedOn: CivilDate?, today: CivilDate) -> [FieldError] {
        var e: [FieldError] = []
        if level == nil { e.append(FieldError("level", "请选择职业水平等级（助理社会工作师、社会工作师、高级社会工作师）")) }
        text(certificateNo, "certificate_no", "证书编号", max: 40, required: true, into: &e)
        past(obtainedOn, "obtained_on", "取得日期", today: today, into: &e)
        if let d = obtainedOn, d < firstExam { e.append(FieldError("obtained_on", "取得日期不能早于2008年（全国社会工作者职业水平考试始于2008年）")) }
        return e
    }

    /// A year's training hours: the year not after this one, 0–2,000 hours.
    public static func checkTraining(year: Int?, hours: Int?, today: CivilDate) -> [FieldError] {
        var e: [FieldError] = []
        switch year {
        case nil: e.append(FieldError("year", "请填写年度"))
        case let y? where y < 2000 || y > today.year: e.append(FieldError("year", "年度应在2000到\(today.year)之间"))
        default: break
        }
        switch hours {
        case nil: e.append(FieldError("hours", "请填写培训学时"))
        case let h? where h < 0 || h > maxTrainingHours: e.append(FieldError("hours", "培训学时应在0到\(maxTrainingHours)之间"))
        default: break
        }
        return e
    }
}

/// 年度考核: several appraisers' scores, the result from their mean.
public enum AppraisalRules {
    /// The bands of the mean: 90 and above 优秀, 75 称职, 60 基本称职, below 60 不称职.
    public static func result(mean: Double) -> AppraisalResult {
        switch mean {
        case 90...: return .excellent
        case 75..<90: return .competent
        case 60..<75: return .basic
        default: return .incompetent
        }
    }

    /// The mean of scores already checked to be 0–100 (so the sum cannot overflow).
    public static func mean(_ scores: [Int]) -> Double {
        scores.isEmpty ? 0 : Double(scores.reduce(0, +)) / Double(scores.count)
    }

    /// Scores as typed (`85, 90 88`, commas or spaces, full-width commas too): each 0–100, 1–15 of them.
    public static func parse(_ raw: String?) -> (scores: [Int], error: FieldError?) {
        let parts = (raw ?? "").split { $0 == "," || $0 == "，" || $0 == " " || $0 == "、" || $0 == ";" }.map(String.init)
        var scores: [Int] = []
        for p in parts {
            guard p.count <= 3, let v = Int(p) else { return ([], FieldError("scores", "评分应为0到100的整数，用逗号分隔")) }
            scores.append(v)
        }
        return (scores, nil)
    }

    /// The year, the scores (each 0–100, 1–15 of them) and, when typed, the result: it must be the one the mean gives.
    /// Returns the derived result when everything holds.
    public static func check(year: Int?, scores: [Int], result typed: AppraisalResult?, today: CivilDate) -> (AppraisalResult?, [FieldError]) {
        var e: [FieldError] = []
        switch year {
        case nil: e.append(FieldError("year", "请填写考核年度"))
        case let y? where y < 2000 || y > today.year: e.append(FieldError("year", "考核年度应在2000到\(today.year)之间"))
        default: break
        }
        if scores.isEmpty {
            e.append(FieldError("scores", "请填写考核评分（每位考核人一个分数）"))
        } else if scores.count > WorkerRules.maxScores {
            e.append(FieldError("scores", "考核评分最多\(WorkerRules.maxScores)个"))
        } else if scores.contains(where: { !(0...100).contains($0) }) {
            e.append(FieldError("scores", "每个评分应在0到100之间"))
        }
        guard e.isEmpty else { return (nil, e) }
        let m = mean(scores), derived = result(mean: m)
        if let typed, typed != derived {
            return (nil, [FieldError("result", "平均分\(String(format: "%.1f", m))分，考核结果应为“\(derived.label)”")])
        }
        return (derived, [])
    }
}
