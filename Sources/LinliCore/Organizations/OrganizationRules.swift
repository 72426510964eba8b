/// 社会组织's rules: what a register entry, an incubation, a project, a milestone, an evaluation and a support
/// entry must satisfy. Pure functions returning the fields at fault; the database checks (scope, duplicates,
/// the contract amount) are the data layer's.

/// An organization as typed, for 登记 or 备案.
public struct OrganizationInput: Sendable, Equatable {
    public var name: String?
    public var kind: OrganizationKind?
    public var field: OrganizationField?
    public var creditCode: String?
    public var legalPerson: String?
    public var phone: String?
    public var foundedOn: CivilDate?
    public var registeredOn: CivilDate?

    public init(name: String?, kind: OrganizationKind?, field: OrganizationField?, creditCode: String?, legalPerson: String?,
                phone: String?, foundedOn: CivilDate?, registeredOn: CivilDate?) {
        self.name = name; self.kind = kind; self.field = field; self.creditCode = creditCode; self.legalPerson = legalPerson
        self.phone = phone; self.foundedOn = foundedOn; self.registeredOn = registeredOn
    }
}

/// A purchased service, grant or outsourced contract as typed.
public struct ProjectInput: Sendable, Equatable {
    public var title: String?
    public var mode: ProjectMode?
    public var buyer: String?
    public var contractFen: Int?
    public var signedOn: CivilDate?
    public var startsOn: CivilDate?
    public var endsOn: CivilDate?
    public var deliverables: String?

    public init(title: String?, mode: ProjectMode?, buyer: String?, contractFen: Int?, signedOn: CivilDate?, startsOn: CivilDate?,
                endsOn: CivilDate?, deliverables: String?) {
        self.title = title; self.mode = mode; self.buyer = buyer; self.contractFen = contractFen; self.signedOn = signedOn
        self.startsOn = startsOn; self.endsOn = endsOn; self.deliverables = deliverables
    }
}

/// A milestone reached: what was delivered, the payment made for it (may be 0) and the people served in it.
public struct MilestoneInput: Sendable, Equatable {
    public var description: String?
    public var onDate: CivilDate?
    public var paymentFen: Int?
    public var beneficiaries: Int?

    public init(description: String?, onDate: CivilDate?, paymentFen: Int?, beneficiaries: Int?) {
        self.description = description; self.onDate = onDate; self.paymentFen = paymentFen; self.beneficiaries = beneficiaries
    }
}

/// A support entry of the ledger: 场地, 培训, 资金 (incubation), 补贴, 奖励.
public struct SupportInput: Sendable, Equatable {
    public var kind: SupportKind?
    public var amountFen: Int?
    public var onDate: CivilDate?
    public var giver: String?
    public var documentNo: String?
    public var note: String?

    public init(kind: SupportKind?, amountFen: Int?, onDate: CivilDate?, giver: String?, documentNo: String?, note: String?) {
        self.kind = kind; self.amountFen = amountFen; self.onDate = onDate; self.giver = giver; self.documentNo = documentNo; self.note = note
    }
}

public enum OrganizationRules {
    /// A contract or support amount above this (一亿元) is a typing slip.
    public static let maxFen = 10_000_000_000
    public static let maxBeneficiaries = 1_000_000

    static func text(_ s: String?, _ field: String, _ label: String, max: Int, required: Bool, into e: inout [FieldError]) {
        let t = s?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if t.isEmpty { if required { e.append(FieldError(field, "请填写\(label)")) }; return }
        if t.count > max { e.append(FieldError(field, "\(label)最多\(max)个字"))
        } else if let bad = TextInput.check(t, field: field) { e.append(bad) }
    }

    static func past(_ d: CivilDate?, _ field: String, _ label: String, today: CivilDate, into e: inout [FieldError]) {
        guard let d else { e.append(FieldError(field, "请填写\(label)")); return }
        if d > today { e.append(FieldError(field, "\(label)不能晚于今天")) }
    }

    /// 登记 needs a valid code, 备案 has none; the code's 机构类别 is not checked against the kind (older codes differ).
    public static func check(_ o: OrganizationInput, today: CivilDate) -> [FieldError] {
        var e: [FieldError] = []
        text(o.name, "name", "组织名称", max: 60, required: true, into: &e)
        if o.kind == nil { e.append(FieldError("kind", "请选择组织类型")) }
        if o.field == nil { e.append(FieldError("field", "请选择服务领域")) }
        let code = o.creditCode.map(CreditCode.normalized) ?? ""
        switch o.kind?.registration {
        case .registered?:
            if code.isEmpty { e.append(FieldError("credit_code", "登记的社会组织请填写统一社会信用代码"))
            } else if let bad = CreditCode.check(code) { e.append(bad) }
        case .filed?:
            if !code.isEmpty { e.append(FieldError("credit_code", "备案的社区社会组织没有统一社会信用代码；已在民政部门登记的请选择其登记类型")) }
        case nil: break
        }
        text(o.legalPerson, "legal_person", "法定代表人（负责人）", max: 30, required: true, into: &e)
        if let phone = o.phone?.trimmingCharacters(in: .whitespaces), !phone.isEmpty {
            if !DonationRules.isPhone(phone) { e.append(FieldError("phone", "联系电话应为11位手机号或带区号的固定电话")) }
        } else {
            e.append(FieldError("phone", "请填写联系电话"))
        }
        past(o.foundedOn, "founded_on", "成立日期", today: today, into: &e)
        let label = o.kind?.registration == .filed ? "备案日期" : "登记日期"
        past(o.registeredOn, "registered_on", label, today: today, into: &e)
        if let f = o.foundedOn, let r = o.registeredOn, r < f { e.append(FieldError("registered_on", "\(label)不能早于成立日期")) }
        return e
    }

    public static func check(_ p: ProjectInput, today: CivilDate) -> [FieldError] {
        var e: [FieldError] = []
        text(p.title, "title", "项目名称", max: 80, required: true, into: &e)
        if p.mode == nil { e.append(FieldError("mode", "请选择方式（政府购买服务、资助项目或合同外包）")) }
        text(p.buyer, "buyer", "购买（资助）单位", max: 60, required: true, into: &e)
        switch p.contractFen {
        case nil: e.append(FieldError("contract_fen", "请填写合同金额"))
        case let f? where f <= 0 || f > maxFen: e.append(FieldError("contract_fen", "合同金额应大于0、不超过1亿元"))
        default: break
        }
        past(p.signedOn, "signed_on", "签订日期", today: today, into: &e)
        if p.startsOn == nil { e.append(FieldError("starts_on", "请填写服务期开始日期")) }
        if p.endsOn == nil { e.append(FieldError("ends_on", "请填写服务期结束日期")) }
        if let s = p.startsOn, let end = p.endsOn, end < s { e.append(FieldError("ends_on", "服务期结束日期不能早于开始日期")) }
        if let s = p.startsOn, let end = p.endsOn, end.dayNumber - s.dayNumber > 366 * 5 { e.append(FieldError("ends_on", "服务期不能超过5年")) }
        text(p.deliverables, "deliverables", "服务内容与交付成果", max: 2000, required: true, into: &e)
        return e
    }

    /// A milestone within the project's term (not before it starts) and not in the future; the payment is checked
    /// against what is left of the contract in the write transaction.
    public static func check(_ m: MilestoneInput, startsOn: CivilDate, today: CivilDate) -> [FieldError] {
        var e: [FieldError] = []
        text(m.description, "description", "阶段成果", max: 500, required: true, into: &e)
        past(m.onDate, "on_date", "日期", today: today, into: &e)
        if let d = m.onDate, d < startsOn { e.append(FieldError("on_date", "日期不能早于服务期开始日期（\(startsOn)）")) }
        if let f = m.paymentFen, f < 0 || f > maxFen { e.append(FieldError("payment_fen", "拨付金额应在0到1亿元之间")) }
        if let b = m.beneficiaries, b < 0 || b > maxBeneficiaries { e.append(FieldError("beneficiaries", "服务人次应在0到100万之间")) }
        return e
    }

    /// The message when a payment would take the paid total over the contract amount.
    public static func overpaid(paymentFen: Int, paidFen: Int, contractFen: Int) -> FieldError {
        FieldError("payment_fen", "拨付后累计\(Money.yuan(paidFen + paymentFen))元将超过合同金额\(Money.yuan(contractFen))元（已拨付\(Money.yuan(paidFen))元，最多还可拨付\(Money.yuan(max(0, contractFen - paidFen)))元）")
    }

    /// The evaluation (结项评估) once the term has ended: from its last day on, a score of 0–100.
    public static func checkEvaluation(score: Int?, endsOn: CivilDate, today: CivilDate) -> [FieldError] {
        var e: [FieldError] = []
        if today < endsOn { e.append(FieldError("score", "服务期至\(endsOn)结束，期满后才能评估")) }
        switch score {
        case nil: e.append(FieldError("score", "请填写评估得分"))
        case let s? where !(0...100).contains(s): e.append(FieldError("score", "评估得分应在0到100之间"))
        default: break
        }
        return e
    }

    /// Graduation (出壳) after entry, not in the future.
    public static func checkGraduation(_ on: CivilDate?, enteredOn: CivilDate, today: CivilDate) -> [FieldError] {
        var e: [FieldError] = []
        past(on, "graduated_on", "出壳日期", today: today, into: &e)
        if let on, on <= enteredOn { e.append(FieldError("graduated_on", "出壳日期应晚于入驻日期（\(enteredOn)）")) }
        return e
    }

    public static func check(_ s: SupportInput, today: CivilDate) -> [FieldError] {
        var e: [FieldError] = []
        if s.kind == nil { e.append(FieldError("kind", "请选择扶持方式（场地、培训、资金、补贴、奖励）")) }
        switch s.amountFen {
        case nil where s.kind?.needsAmount == true: e.append(FieldError("amount_fen", "\(s.kind!.label)请填写金额"))
        case let f? where f <= 0 || f > maxFen: e.append(FieldError("amount_fen", "金额应大于0、不超过1亿元"))
        default: break
        }
        past(s.onDate, "on_date", "日期", today: today, into: &e)
        text(s.giver, "giver", "给予单位", max: 60, required: true, into: &e)
        text(s.documentNo, "document_no", "文号", max: 60, required: false, into: &e)
        text(s.note, "note", "说明", max: 300, required: false, into: &e)
        return e
    }
}
