/// 岗位等级薪酬体系: the district's table of grades per post class, each with a monthly amount, and the steps a
/// qualification or an appraisal moves a worker by. A worker starts at grade 1 of the post's class, moves by the
/// step of the highest qualification held, then by each year's appraisal in order — never below 1 nor above
/// the class's top grade, at every step (a 不称职 at grade 1 stays at 1; an 优秀 at the top stays at the top).

/// A reason a worker's grade moves.
public enum GradeStepReason: String, Codable, Sendable, CaseIterable {
    case assistant = "qualification.assistant"
    case full = "qualification.full"
    case senior = "qualification.senior"
    case excellent = "appraisal.excellent"
    case competent = "appraisal.competent"
    case basic = "appraisal.basic"
    case incompetent = "appraisal.incompetent"

    public var label: String {
        switch self {
        case .assistant: return "取得助理社会工作师"
        case .full: return "取得社会工作师"
        case .senior: return "取得高级社会工作师"
        case .excellent: return "年度考核优秀"
        case .competent: return "年度考核称职"
        case .basic: return "年度考核基本称职"
        case .incompetent: return "年度考核不称职"
        }
    }

    public init(_ q: QualificationLevel) {
        switch q {
        case .assistant: self = .assistant
        case .full: self = .full
        case .senior: self = .senior
        }
    }

    public init(_ r: AppraisalResult) {
        switch r {
        case .excellent: self = .excellent
        case .competent: self = .competent
        case .basic: self = .basic
        case .incompetent: self = .incompetent
        }
    }
}

/// The district's configuration: grades per class (index 0 is grade 1), monthly amounts in fen, and the steps.
public struct PayScale: Sendable, Equatable {
    public var grades: [PostClass: [Int]]
    public var steps: [GradeStepReason: Int]

    public init(grades: [PostClass: [Int]], steps: [GradeStepReason: Int]) {
        self.grades = grades
        self.steps = steps
    }

    public static let maxGrades = 30
    /// 5万元 a month: far above any community worker's pay, low enough that sums stay small.
    public static let maxMonthlyFen = 5_000_000
    public static let stepRange = -3...3

    /// The default steps: 助理 +1, 社会工作师 +2, 高级 +3; 优秀 +1, 称职 0, 基本称职 0, 不称职 −1.
    public static let defaultSteps: [GradeStepReason: Int] = [
        .assistant: 1, .full: 2, .senior: 3, .excellent: 1, .competent: 0, .basic: 0, .incompetent: -1,
    ]

    public func top(_ c: PostClass) -> Int { max(1, grades[c]?.count ?? 1) }
    public func amount(_ c: PostClass, grade: Int) -> Int? {
        guard let g = grades[c], grade >= 1, grade <= g.count else { return nil }
        return g[grade - 1]
    }

    /// One class's grades as typed: 1–30 amounts, each above 0 and at most 5万元, not decreasing.
    public static func checkGrades(_ amounts: [Int], field: String) -> [FieldError] {
        if amounts.isEmpty || amounts.count > maxGrades { return [FieldError(field, "每类岗位应有1到\(maxGrades)个等级")] }
        if amounts.contains(where: { $0 <= 0 || $0 > maxMonthlyFen }) { return [FieldError(field, "每级月薪应大于0、不超过5万元")] }
        if zip(amounts, amounts.dropFirst()).contains(where: { $0 > $1 }) { return [FieldError(field, "等级越高月薪不应越低")] }
        return []
    }

    public static func checkStep(_ v: Int?, reason: GradeStepReason) -> [FieldError] {
        guard let v else { return [FieldError(reason.rawValue, "请填写“\(reason.label)”的调整级数")] }
        return stepRange.contains(v) ? [] : [FieldError(reason.rawValue, "调整级数应在−3到3之间")]
    }
}

/// One line of a worker's grade history.
public struct GradeMove: Sendable, Equatable {
    public var reason: GradeStepReason?
    public var year: Int?
    public var grade: Int

    public init(reason: GradeStepReason?, year: Int?, grade: Int) { self.reason = reason; self.year = year; self.grade = grade }
}

public enum PayGrades {
    /// The grade of a worker of `post` holding `qualification` (the highest) with `appraisals` (year, result) — the
    /// history, start first; the last line is the grade now.
    public static func history(post: WorkerPost, qualification: QualificationLevel?, appraisals: [(year: Int, result: AppraisalResult)],
                               scale: PayScale) -> [GradeMove] {
        let top = scale.top(post.payClass)
        func clamp(_ g: Int) -> Int { min(max(1, g), top) }
        var grade = 1
        var moves = [GradeMove(reason: nil, year: nil, grade: grade)]
        if let q = qualification {
            let r = GradeStepReason(q)
            grade = clamp(grade + (scale.steps[r] ?? 0))
            moves.append(GradeMove(reason: r, year: nil, grade: grade))
        }
        for a in appraisals.sorted(by: { $0.year < $1.year }) {
            let r = GradeStepReason(a.result)
            grade = clamp(grade + (scale.steps[r] ?? 0))
            moves.append(GradeMove(reason: r, year: a.year, grade: grade))
        }
        return moves
    }

    public static func grade(post: WorkerPost, qualification: QualificationLevel?, appraisals: [(year: Int, result: AppraisalResult)], scale: PayScale) -> Int {
        history(post: post, qualification: qualification, appraisals: appraisals, scale: scale).last!.grade
    }
}
