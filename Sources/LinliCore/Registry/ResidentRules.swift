/// 户籍/常住/流动: how a person belongs to the community.
public enum ResidenceStatus: String, Codable, Sendable, CaseIterable {
    /// 户籍人口: household registration here.
    case registered
    /// 常住人口: lives here (registered elsewhere) for six months or more.
    case resident
    /// 流动人口: lives here for a shorter time.
    case floating

    public var label: String {
        switch self {
        case .registered: return "户籍"
        case .resident: return "常住"
        case .floating: return "流动"
        }
    }
}

/// Whether a person is still on the community's roll. A person is never deleted: they leave by an event.
public enum LifeStatus: String, Codable, Sendable, CaseIterable {
    case active, deceased
    case movedOut = "moved_out"

    public var label: String {
        switch self {
        case .active: return "在册"
        case .deceased: return "已死亡"
        case .movedOut: return "已迁出"
        }
    }
}

/// 与户主关系 (after GB/T 4761, grouped as a household form asks it).
public enum HouseholdRelation: String, Codable, Sendable, CaseIterable {
    case head, spouse, child, parent, grandchild, grandparent, sibling, childInLaw = "child_in_law", other

    public var label: String {
        switch self {
        case .head: return "户主"
        case .spouse: return "配偶"
        case .child: return "子女"
        case .parent: return "父母"
        case .grandchild: return "孙子女"
        case .grandparent: return "祖父母"
        case .sibling: return "兄弟姐妹"
        case .childInLaw: return "儿媳/女婿"
        case .other: return "其他"
        }
    }
}

/// The groups the plan serves. `elderly` (60+) and `oldestOld` (80+) follow from the birth date and are
/// never stored; the others are recorded by workers.
public enum ResidentTag: String, Codable, Sendable, CaseIterable {
    case elderly
    case oldestOld = "oldest_old"
    case livingAlone = "living_alone"
    case emptyNest = "empty_nest"
    case disabled
    case lowIncome = "low_income"
    case extremeHardship = "extreme_hardship"
    case unemployed
    case veteran
    case partyMember = "party_member"

    public var label: String {
        switch self {
        case .elderly: return "60岁以上老人"
        case .oldestOld: return "80岁以上高龄老人"
        case .livingAlone: return "独居"
        case .emptyNest: return "空巢"
        case .disabled: return "残疾人"
        case .lowIncome: return "低保"
        case .extremeHardship: return "特困"
        case .unemployed: return "失业人员"
        case .veteran: return "退役军人"
        case .partyMember: return "党员"
        }
    }

    /// Derived from the birth date: these cannot be set by hand.
    public var isDerived: Bool { self == .elderly || self == .oldestOld }

    /// The minimum age for a derived tag.
    public var minimumAge: Int? {
        switch self {
        case .elderly: return 60
        case .oldestOld: return 80
        default: return nil
        }
    }

    public static var recorded: [ResidentTag] { allCases.filter { !$0.isDerived } }

    /// The record a tag follows, when a capability's register decides it (失业人员 follows the unemployment
    /// register, 残疾人 the disability card): stored, but never set or cleared by hand, so it cannot drift from the record.
    public var followedRecord: String? {
        switch self {
        case .unemployed: return "失业登记"
        case .disabled: return "残疾人证登记"
        case .partyMember: return "党员信息登记"
        default: return nil
        }
    }

    /// The tags a reader is shown: 党员 (政治面貌) only to those who may read the party roll.
    public static func shown(_ tags: [ResidentTag], partyMembers: Bool) -> [ResidentTag] {
        partyMembers ? tags : tags.filter { $0 != .partyMember }
    }

    /// Whether a history entry's recorded change (`changes` JSON) may be shown: one that touched 党员 only to
    /// readers of the party roll.
    public static func historyShown(changes: String?, partyMembers: Bool) -> Bool {
        partyMembers || !(changes ?? "").contains(partyMember.rawValue)
    }

    /// Tags a worker types: neither derived from age nor following a register.
    public var isHandTyped: Bool { !isDerived && followedRecord == nil }
    public static var handTyped: [ResidentTag] { allCases.filter(\.isHandTyped) }

    /// The stored tags after a hand edit: the typed ones replaced, the ones a register decides kept as they were.
    public static func afterHandEdit(typed: [ResidentTag], current: [ResidentTag]) -> [ResidentTag] {
        recorded.filter { $0.isHandTyped ? typed.contains($0) : current.contains($0) }
    }

    /// The tags a person has on `today`: the recorded ones plus those that follow from age.
    public static func effective(recorded: [ResidentTag], birthDate: CivilDate, today: CivilDate) -> [ResidentTag] {
        let age = birthDate.age(on: today)
        var tags = allCases.filter { tag in
            if let min = tag.minimumAge { return age >= min }
            return recorded.contains(tag)
        }
        tags.sort { allCases.firstIndex(of: $0)! < allCases.firstIndex(of: $1)! }
        return tags
    }
}

/// Kinds of event in a person's history (人口变动).
public enum ResidentEventKind: String, Codable, Sendable, CaseIterable {
    /// First entered into the registry (建档).
    case registered
    /// 出生: a newborn added to a household.
    case birth
    /// 迁入: moved into the district from elsewhere.
    case moveIn = "move_in"
    /// 户间迁移: moved from one household of the district to another.
    case move
    /// 信息变更: a correction or update of recorded facts.
    case update
    /// 死亡.
    case death
    /// 迁出: left the district.
    case moveOut = "move_out"

    public var label: String {
        switch self {
        case .registered: return "建档"
        case .birth: return "出生登记"
        case .moveIn: return "迁入"
        case .move: return "户间迁移"
        case .update: return "信息变更"
        case .death: return "死亡登记"
        case .moveOut: return "迁出"
        }
    }
}

/// Rules for the text fields of a resident record.
public enum ResidentRules {
    /// A personal name: 1–30 characters of letters (any script), the middle dot of minority and foreign
    /// names, and inner spaces. Digits, punctuation and markup are refused.
    public static func checkName(_ raw: String?, field: String = "name") -> Result<String, FieldError> {
        let name = (raw ?? "").trimmingASCIISpaces()
        if name.isEmpty { return .failure(FieldError(field, "请填写姓名")) }
        if name.count > 30 { return .failure(FieldError(field, "姓名不能超过30个字")) }
        let ok = name.unicodeScalars.allSatisfy { s in
            s.properties.isAlphabetic || s == "·" || s == "•" || s == " " || s == "\u{30FB}"
        }
        if !ok { return .failure(FieldError(field, "姓名只能包含文字和间隔号“·”")) }
        return .success(name)
    }

    /// A mainland mobile number (11 digits, 1[3-9]…) or a landline with area code (0523-86123456).
    public static func checkPhone(_ raw: String, field: String = "phone") -> Result<String, FieldError> {
        let p = raw.trimmingASCIISpaces().replacingOccurrences(of: " ", with: "")
        let digits = p.filter { $0 != "-" }
        let allDigits = digits.allSatisfy { $0.isASCII && $0.isNumber }
        let mobile = allDigits && digits.count == 11 && digits.hasPrefix("1") && "3456789".contains(Array(digits)[1])
        let landline = allDigits && digits.hasPrefix("0") && (10...12).contains(digits.count)
        guard mobile || landline else {
            return .failure(FieldError(field, "联系电话应为11位手机号码或带区号的固定电话"))
        }
        return .success(digits)
    }
}
