import Foundation

/// A department's application as typed. Amounts in fen (分).
public struct AdmissionTaskInput: Sendable, Equatable {
    public var title: String?
    public var content: String?
    public var kind: AdmissionTaskKind?
    public var basis: String?
    public var reach: AdmissionReach?
    /// The street (镇/街道) when `reach` is `.street`.
    public var streetCode: String?
    /// The communities when `reach` is `.list`.
    public var communities: [String]
    public var frequency: AdmissionFrequency?
    public var validFrom: CivilDate?
    public var validTo: CivilDate?
    /// 人随事转: the staff or hours funded with it.
    public var staff: String?
    /// 费随事转: the money per community per year, fen.
    public var fundsFen: Int64?
    /// 权随事转: the power delegated with it.
    public var power: String?

    public init(title: String?, content: String?, kind: AdmissionTaskKind?, basis: String?, reach: AdmissionReach?, streetCode: String?,
                communities: [String], frequency: AdmissionFrequency?, validFrom: CivilDate?, validTo: CivilDate?, staff: String?,
                fundsFen: Int64?, power: String?) {
        self.title = title; self.content = content; self.kind = kind; self.basis = basis; self.reach = reach; self.streetCode = streetCode
        self.communities = communities; self.frequency = frequency; self.validFrom = validFrom; self.validTo = validTo; self.staff = staff
        self.fundsFen = fundsFen; self.power = power
    }
}

/// A task a department pushed without admission, recorded and refused by the community (拒绝未准入事项).
public struct UnadmittedPushInput: Sendable, Equatable {
    public var departmentCode: String?
    public var title: String?
    public var pushedOn: CivilDate?
    public var channel: AdmissionChannel?
    public var note: String?

    public init(departmentCode: String?, title: String?, pushedOn: CivilDate?, channel: AdmissionChannel?, note: String?) {
        self.departmentCode = departmentCode; self.title = title; self.pushedOn = pushedOn; self.channel = channel; self.note = note
    }
}

/// Money that arrived for an admitted task (费随事转), for one community and year.
public struct FundsArrivalInput: Sendable, Equatable {
    public var year: Int?
    public var amountFen: Int64?
    public var receivedOn: CivilDate?

    public init(year: Int?, amountFen: Int64?, receivedOn: CivilDate?) {
        self.year = year; self.amountFen = amountFen; self.receivedOn = receivedOn
    }
}

public enum AdmissionRules {
    public static let titleMax = 100
    public static let contentMax = 2000
    public static let basisMax = 500
    public static let staffMax = 200
    public static let powerMax = 500
    public static let noteMax = 500
    /// At most 1 亿元 per community per year, and per arrival: sums stay far inside Int64.
    public static let fundsMaxFen: Int64 = 10_000_000_000
    /// A task is admitted for at most five years; it may start up to a year back (a task already running).
    public static let longestDays = 1827
    public static let backdateDays = 366
    public static let communitiesMax = 500

    static func text(_ s: String?) -> String { s?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "" }

    public static func check(_ x: AdmissionTaskInput, today: CivilDate) -> [FieldError] {
        var e = FieldErrors()
        let title = text(x.title)
        if title.isEmpty { e.add("title", "请填写事项名称") } else if title.count > titleMax { e.add("title", "事项名称不超过\(titleMax)字") }
        let content = text(x.content)
        if content.isEmpty { e.add("content", "请填写事项内容") } else if content.count > contentMax { e.add("content", "事项内容不超过\(contentMax)字") }
        if x.kind == nil { e.add("kind", "请选择事项类别") }
        let basis = text(x.basis)
        if basis.isEmpty { e.add("basis", "请填写依据（法律法规或上级文件）") } else if basis.count > basisMax { e.add("basis", "依据不超过\(basisMax)字") }
        switch x.reach {
        case nil: e.add("reach", "请选择适用范围")
        case .street?:
            let s = text(x.streetCode)
            if s.count != 12 || !s.allSatisfy({ $0.isASCII && $0.isNumber }) || !s.hasSuffix("000") { e.add("street_code", "请选择镇（街道）") }
        case .list?:
            let codes = x.communities.map { text($0) }.filter { !$0.isEmpty }
            if codes.isEmpty { e.add("communities", "请选择至少一个村/社区") }
            else if codes.count > communitiesMax { e.add("communities", "村/社区不超过\(communitiesMax)个") }
            else if codes.contains(where: { $0.count != 12 || !$0.allSatisfy { $0.isASCII && $0.isNumber } }) { e.add("communities", "村/社区代码应为12位数字") }
        case .district?: break
        }
        if x.frequency == nil { e.add("frequency", "请选择频次") }
        if let from = x.validFrom {
            if from < today.adding(days: -backdateDays) { e.add("valid_from", "开始日期不能早于\(backdateDays)天前") }
        } else { e.add("valid_from", "请填写开始日期") }
        if let to = x.validTo {
            if let from = x.validFrom, to < from { e.add("valid_to", "结束日期不能早于开始日期") }
            else if let from = x.validFrom, to.dayNumber - from.dayNumber > longestDays { e.add("valid_to", "准入期限不超过5年") }
            else if to < today { e.add("valid_to", "结束日期不能早于今天") }
        } else { e.add("valid_to", "请填写结束日期") }
        if text(x.staff).count > staffMax { e.add("staff", "人随事转不超过\(staffMax)字") }
        if let f = x.fundsFen {
            if f < 0 { e.add("funds_fen", "经费不能为负数") } else if f > fundsMaxFen { e.add("funds_fen", "每个村/社区每年经费不超过1亿元") }
        } else { e.add("funds_fen", "请填写随事转的经费（没有填0）") }
        if text(x.power).count > powerMax { e.add("power", "权随事转不超过\(powerMax)字") }
        return e.errors
    }

    /// The note an action needs: a refusal and a sending back say why; admitting may state conditions.
    public static func checkDecision(_ action: AdmissionAction, note: String?) -> [FieldError] {
        var e = FieldErrors()
        let n = text(note)
        if n.count > noteMax { e.add("note", "意见不超过\(noteMax)字") }
        else if n.isEmpty, action == .refuse { e.add("note", "不予准入须说明理由") }
        else if n.isEmpty, action == .sendBack { e.add("note", "退回修改须说明需修改的内容") }
        return e.errors
    }

    /// Whether `action` may be taken on a task in `status` by `step`; a refusal is at `status`.
    public static func checkAction(_ action: AdmissionAction, status: AdmissionStatus, step: AdmissionStep) -> FieldError? {
        guard let move = AdmissionWorkflow.move(action, from: status) else {
            return FieldError("status", "该事项\(status.label)，不能\(action.label)")
        }
        if move.step != step { return FieldError("status", "该事项\(status.label)，应由\(move.step.label)办理") }
        return nil
    }

    /// Four eyes: the 审定 is by another account than the 初审.
    public static func checkFourEyes(reviewer: String?, decider: String) -> FieldError? {
        reviewer == decider ? FieldError("status", "初审和审定须由两个不同的账号办理") : nil
    }

    public static func check(_ x: UnadmittedPushInput, today: CivilDate) -> [FieldError] {
        var e = FieldErrors()
        if text(x.departmentCode).isEmpty { e.add("department_code", "请选择布置事项的部门") }
        let title = text(x.title)
        if title.isEmpty { e.add("title", "请填写布置的事项") } else if title.count > titleMax { e.add("title", "事项不超过\(titleMax)字") }
        if let d = x.pushedOn {
            if d > today { e.add("pushed_on", "日期不能晚于今天") } else if d < today.adding(days: -backdateDays) { e.add("pushed_on", "日期不能早于\(backdateDays)天前") }
        } else { e.add("pushed_on", "请填写布置日期") }
        if x.channel == nil { e.add("channel", "请选择布置方式") }
        if text(x.note).count > noteMax { e.add("note", "说明不超过\(noteMax)字") }
        return e.errors
    }

    public static func check(_ x: FundsArrivalInput, today: CivilDate) -> [FieldError] {
        var e = FieldErrors()
        if let y = x.year {
            if y < 2000 || y > today.year + 1 { e.add("year", "年度应为2000–\(today.year + 1)") }
        } else { e.add("year", "请填写年度") }
        if let a = x.amountFen {
            if a <= 0 { e.add("amount_fen", "到位金额应大于0") } else if a > fundsMaxFen { e.add("amount_fen", "单笔金额不超过1亿元") }
        } else { e.add("amount_fen", "请填写到位金额") }
        if let d = x.receivedOn {
            if d > today { e.add("received_on", "到位日期不能晚于今天") } else if d < today.adding(days: -backdateDays * 2) { e.add("received_on", "到位日期过早") }
        } else { e.add("received_on", "请填写到位日期") }
        return e.errors
    }

    /// 费随事转 executed for a community and year: what arrived covers what was promised. Nothing promised: not counted.
    public static func fundsExecuted(promisedFen: Int64, arrivedFen: Int64) -> Bool? {
        promisedFen <= 0 ? nil : arrivedFen >= promisedFen
    }

    /// Whether a task's period touches `year` (its funds are due that year).
    public static func covers(year: Int, from: CivilDate, to: CivilDate) -> Bool { from.year <= year && year <= to.year }
}
