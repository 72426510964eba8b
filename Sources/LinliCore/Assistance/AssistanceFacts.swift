import Foundation

/// 社会救助: what an application declares about a household — each member's income by source and period,
/// labour capacity, disability and illness, and the household's assets. Money is kept in fen (分) so that
/// sums are exact; amounts paid are whole yuan.

/// 收入来源 (the four kinds of 家庭收入 of 《最低生活保障审核确认办法》, and others).
public enum IncomeSource: String, Codable, Sendable, CaseIterable {
    case wages, business, property, transfer, other
    public var label: String {
        switch self {
        case .wages: return "工资性收入"
        case .business: return "经营净收入"
        case .property: return "财产净收入"
        case .transfer: return "转移净收入（养老金、赡养费等）"
        case .other: return "其他收入"
        }
    }
}

/// The period an amount is declared for; everything is compared per month.
public enum IncomePeriod: String, Codable, Sendable, CaseIterable {
    case month, year
    public var label: String { self == .month ? "每月" : "每年" }
    public var monthsPerPeriod: Int { self == .month ? 1 : 12 }
}

/// 劳动能力
public enum LabourCapacity: String, Codable, Sendable, CaseIterable {
    case full, partial, none
    public var label: String {
        switch self {
        case .full: return "有劳动能力"
        case .partial: return "部分丧失劳动能力"
        case .none: return "完全丧失劳动能力"
        }
    }
}

public struct DeclaredIncome: Codable, Sendable, Equatable {
    public var source: IncomeSource
    public var period: IncomePeriod
    /// In fen.
    public var amount: Int
    public init(source: IncomeSource, period: IncomePeriod, amount: Int) { self.source = source; self.period = period; self.amount = amount }
    /// The monthly part in fen, rounded half up.
    public var monthly: Int { (amount * 2 + period.monthsPerPeriod) / (2 * period.monthsPerPeriod) }
}

/// One member of the household as the application declares them; `age` comes from the registry.
public struct DeclaredMember: Codable, Sendable, Equatable {
    public var residentId: String
    public var age: Int
    public var labourCapacity: LabourCapacity
    /// 残疾等级 1–4 (一级最重), nil when not disabled.
    public var disabilityGrade: Int?
    /// 重大疾病 or chronic illness, as the worker records it.
    public var illness: String?
    public var incomes: [DeclaredIncome]

    public init(residentId: String, age: Int, labourCapacity: LabourCapacity, disabilityGrade: Int?, illness: String?, incomes: [DeclaredIncome]) {
        self.residentId = residentId; self.age = age; self.labourCapacity = labourCapacity; self.disabilityGrade = disabilityGrade
        self.illness = illness; self.incomes = incomes
    }

    public var monthlyIncome: Int { incomes.reduce(0) { $0 + $1.monthly } }
    /// 重度残疾 (一、二级).
    public var severelyDisabled: Bool { (disabilityGrade ?? 9) <= 2 }
    /// Cannot work: by age (under 16 or 60 and over), by a severe disability, or as assessed.
    public var cannotWork: Bool { age < 16 || age >= 60 || severelyDisabled || labourCapacity == .none }
}

/// 家庭财产
public struct DeclaredAssets: Codable, Sendable, Equatable {
    /// 存款、有价证券等金融资产, in fen.
    public var deposits: Int
    /// Motor vehicles owned (残疾人功能性补偿代步机动车 not counted).
    public var vehicles: Int
    /// Dwellings owned.
    public var dwellings: Int
    public init(deposits: Int, vehicles: Int, dwellings: Int) { self.deposits = deposits; self.vehicles = vehicles; self.dwellings = dwellings }
}

/// Everything declared, sealed as one document in storage (income, assets and health are sensitive data).
public struct DeclaredFacts: Codable, Sendable, Equatable {
    public var members: [DeclaredMember]
    public var assets: DeclaredAssets
    /// The household's monthly income as the form states it (fen); must equal the members' incomes.
    public var statedMonthlyIncome: Int
    /// 特困: whether someone with a legal duty to support the applicant is able to.
    public var hasAbleSupporter: Bool
    /// 临时救助·急难型: what happened.
    public var emergency: String?
    /// 支出型临时救助 and 医疗救助: the rigid expense or the out-of-pocket medical cost of the last 12 months (fen).
    public var expense: Int
    /// 临时救助: the amount asked for (fen).
    public var requested: Int

    public init(members: [DeclaredMember], assets: DeclaredAssets, statedMonthlyIncome: Int, hasAbleSupporter: Bool = false,
                emergency: String? = nil, expense: Int = 0, requested: Int = 0) {
        self.members = members; self.assets = assets; self.statedMonthlyIncome = statedMonthlyIncome; self.hasAbleSupporter = hasAbleSupporter
        self.emergency = emergency; self.expense = expense; self.requested = requested
    }

    public var monthlyIncome: Int { members.reduce(0) { $0 + $1.monthlyIncome } }
    /// Per head per month, in fen.
    public var perCapitaIncome: Int { members.isEmpty ? 0 : monthlyIncome / members.count }
    /// A household whose income hardly changes: everyone 60+, severely disabled or unable to work.
    public var isStable: Bool { !members.isEmpty && members.allSatisfy { $0.age >= 60 || $0.severelyDisabled || $0.labourCapacity == .none } }
}

/// Yuan as a worker reads them: `123456` fen → `1234.56`.
public enum Money {
    public static func yuan(_ fen: Int) -> String {
        let sign = fen < 0 ? "-" : ""
        let a = abs(fen)
        return a % 100 == 0 ? "\(sign)\(a / 100)" : "\(sign)\(a / 100).\(a % 100 < 10 ? "0" : "")\(a % 100)"
    }
    /// From a typed number of yuan (up to two decimals); nil for anything else or a negative amount.
    public static func fen(_ text: String) -> Int? {
        let t = text.trimmingCharacters(in: .whitespaces)
        let parts = t.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = Int(parts[0]), whole >= 0, whole < 100_000_000 else { return nil }
        guard parts.count == 2 else { return whole * 100 }
        let frac = parts[1]
        guard (1...2).contains(frac.count), frac.allSatisfy(\.isASCIIDigit), let f = Int(frac) else { return nil }
        return whole * 100 + (frac.count == 1 ? f * 10 : f)
    }
    public static func fen(yuan: Double) -> Int? {
        guard yuan.isFinite, yuan >= 0, yuan < 1e8 else { return nil }
        return Int((yuan * 100).rounded())
    }
}
