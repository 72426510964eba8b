import Foundation

/// 助残康复: the pure rules of the disability roll — the categories and grades of 《残疾人残疾分类和分级》
/// (GB/T 26341-2010), the number of the 残疾人证 (the holder's 18-character ID number, then the category digit,
/// then the grade digit), the 30-day assessment rule ("出现一个、扶助一个"), the three settings of rehabilitation
/// and what a service, an assessment and a device must hold. Nothing here touches a database.

/// 残疾类别, with the digit the card number carries (GB/T 26341: 1 视力 … 7 多重).
public enum DisabilityCategory: String, Codable, Sendable, CaseIterable {
    case vision, hearing, speech, physical, intellectual, mental, multiple

    public var digit: Character {
        switch self {
        case .vision: return "1"
        case .hearing: return "2"
        case .speech: return "3"
        case .physical: return "4"
        case .intellectual: return "5"
        case .mental: return "6"
        case .multiple: return "7"
        }
    }

    public var label: String {
        switch self {
        case .vision: return "视力残疾"
        case .hearing: return "听力残疾"
        case .speech: return "言语残疾"
        case .physical: return "肢体残疾"
        case .intellectual: return "智力残疾"
        case .mental: return "精神残疾"
        case .multiple: return "多重残疾"
        }
    }

    public static func of(digit: Character) -> DisabilityCategory? { allCases.first { $0.digit == digit } }
}

/// 残疾等级: 一级 (most severe) to 四级. 一、二级 are 重度残疾.
public enum DisabilityGrade: Int, Codable, Sendable, CaseIterable {
    case one = 1, two, three, four

    public var digit: Character { Character(String(rawValue)) }
    public var label: String { ["一级", "二级", "三级", "四级"][rawValue - 1] }
    public var isSevere: Bool { rawValue <= 2 }
}

/// 残疾人证号: 20 characters, the holder's ID number + category digit + grade digit.
public enum DisabilityCardNumber {
    public static let length = 20

    /// The number a card of this person, category and grade must carry.
    public static func expected(idNumber: String, category: DisabilityCategory, grade: DisabilityGrade) -> String {
        idNumber.uppercased() + String(category.digit) + String(grade.digit)
    }

    /// What is wrong with `number` for this holder, category and grade, at the field `field`.
    public static func check(_ number: String, idNumber: String, category: DisabilityCategory?, grade: DisabilityGrade?,
                             field: String = "card_number") -> [FieldError] {
        let n = number.trimmingCharacters(in: .whitespaces).uppercased()
        if n.isEmpty { return [FieldError(field, "请填写残疾人证号")] }
        guard n.count == length else { return [FieldError(field, "残疾人证号应为20位（18位公民身份号码加残疾类别和等级代码），当前为\(n.count)位")] }
        guard n.prefix(18) == idNumber.uppercased() else { return [FieldError(field, "残疾人证号前18位应为持证人的公民身份号码")] }
        let c = n[n.index(n.startIndex, offsetBy: 18)], g = n[n.index(n.startIndex, offsetBy: 19)]
        guard let cat = DisabilityCategory.of(digit: c) else { return [FieldError(field, "残疾人证号第19位应为残疾类别代码1至7")] }
        guard let gr = g.wholeNumberValue.flatMap(DisabilityGrade.init(rawValue:)) else { return [FieldError(field, "残疾人证号第20位应为残疾等级代码1至4")] }
        var e: [FieldError] = []
        if let category, category != cat { e.append(FieldError(field, "残疾人证号第19位为\(cat.label)，与所填残疾类别（\(category.label)）不符")) }
        if let grade, grade != gr { e.append(FieldError(field, "残疾人证号第20位为\(gr.label)，与所填残疾等级（\(grade.label)）不符")) }
        return e
    }

    /// The number as lists show it: the ID number's middle hidden, category and grade kept.
    public static func masked(_ number: String) -> String {
        guard number.count == length else { return String(repeating: "*", count: number.count) }
        return String(number.prefix(6)) + String(repeating: "*", count: 10) + String(number.suffix(4))
    }
}

/// A card as entered: everything but the person is checked here.
public struct DisabilityCardInput: Sendable, Equatable {
    public var number: String
    public var category: DisabilityCategory?
    public var grade: DisabilityGrade?
    public var issuedOn: String?
    public var validUntil: String?

    public init(number: String, category: DisabilityCategory?, grade: DisabilityGrade?, issuedOn: String?, validUntil: String?) {
        self.number = number; self.category = category; self.grade = grade; self.issuedOn = issuedOn; self.validUntil = validUntil
    }
}

public enum DisabilityRules {
    /// "出现一个、扶助一个": a new card holder is assessed within this many days of registration.
    public static let assessmentDays = 30
    /// A service active within this many months counts as receiving rehabilitation.
    public static let rehabMonths = 12

    /// The card's rules: its number against the holder's ID number, a category and a grade, an issue date not in
    /// the future, a valid-until date after it.
    public static func check(_ card: DisabilityCardInput, idNumber: String, today: CivilDate) -> [FieldError] {
        var e = FieldErrors()
        if card.category == nil { e.add("category", "请选择残疾类别") }
        if card.grade == nil { e.add("grade", "请选择残疾等级") }
        for x in DisabilityCardNumber.check(card.number, idNumber: idNumber, category: card.category, grade: card.grade) { e.add(x) }
        let issued = pastDate(card.issuedOn, field: "issued_on", label: "发证日期", today: today, required: true, &e)
        if let raw = card.validUntil, !raw.isEmpty {
            if let until = CivilDate(raw) {
                if let issued, until <= issued { e.add("valid_until", "有效期至应晚于发证日期") }
            } else { e.add("valid_until", "有效期至应为日期（YYYY-MM-DD）") }
        }
        return e.errors
    }

    /// A date that must be given (or may be absent) and not be after today.
    @discardableResult
    public static func pastDate(_ raw: String?, field: String, label: String, today: CivilDate, required: Bool, _ e: inout FieldErrors) -> CivilDate? {
        guard let raw, !raw.isEmpty else {
            if required { e.add(field, "请填写\(label)") }
            return nil
        }
        guard let d = CivilDate(raw) else { e.add(field, "\(label)应为日期（YYYY-MM-DD）"); return nil }
        if d > today { e.add(field, "\(label)不能晚于今天") }
        return d
    }

    /// The day from which a card holder not yet assessed is overdue.
    public static func assessmentDue(registeredOn: CivilDate) -> CivilDate { registeredOn.adding(days: assessmentDays) }

    /// Overdue: registered more than 30 days ago and never assessed.
    public static func assessmentOverdue(registeredOn: CivilDate, lastAssessedOn: CivilDate?, today: CivilDate) -> Bool {
        lastAssessedOn == nil && today > assessmentDue(registeredOn: registeredOn)
    }

    /// Cards registered before this day without an assessment are overdue today.
    public static func overdueBefore(today: CivilDate) -> CivilDate { today.adding(days: -assessmentDays) }

    /// The first day of the window in which a service counts as rehabilitation received.
    public static func rehabSince(today: CivilDate) -> CivilDate { today.yearsEarlier(1) }
}
