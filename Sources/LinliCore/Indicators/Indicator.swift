/// Whether an indicator is good when high (≥ target) or when low (≤ target).
public enum IndicatorDirection: String, Codable, Sendable {
    case atLeast = "at_least"
    case atMost = "at_most"

    public var symbol: String { self == .atLeast ? "≥" : "≤" }
}

/// Where a division stands against an indicator's target.
public enum IndicatorStatus: String, Codable, Sendable, CaseIterable {
    /// 达标: the value meets the target.
    case met
    /// 接近: short of the target by less than a tenth of it.
    case near
    /// 未达标
    case behind
    /// 监测: measured, but the plan sets no target for it.
    case monitored
    /// 暂无数据: measured, but nothing to count here yet (no requests, no worker accounts in the community).
    case noData = "no_data"
    /// 尚未测量: the platform does not hold the data this target needs yet.
    case notMeasured = "not_measured"

    public var label: String {
        switch self {
        case .met: return "达标"
        case .near: return "接近"
        case .behind: return "未达标"
        case .monitored: return "监测"
        case .noData: return "暂无数据"
        case .notMeasured: return "尚未测量"
        }
    }

    /// The status colour on the dashboard and in print.
    public var colour: String {
        switch self {
        case .met: return "#2f855a"
        case .near: return "#d69e2e"
        case .behind: return "#c53030"
        case .monitored: return "#2b6cb0"
        case .noData, .notMeasured: return "#718096"
        }
    }
}

/// A target of the plan: the value to reach by 2020 and which way is good.
public struct IndicatorTarget: Codable, Sendable, Equatable {
    public var value: Double
    public var direction: IndicatorDirection

    public init(_ direction: IndicatorDirection, _ value: Double) {
        self.value = value
        self.direction = direction
    }

    /// How far the value is on the good side of the target (negative: short of it).
    public func gap(_ v: Double) -> Double { direction == .atLeast ? v - value : value - v }

    public func status(of v: Double) -> IndicatorStatus {
        let g = gap(v)
        if g >= -1e-9 { return .met }
        return -g < abs(value) * 0.1 ? .near : .behind
    }

    public var text: String { "\(direction.symbol) \(IndicatorFormat.number(value))" }
}

/// What the figures of one division are made of: counted once per grid or community, summed upwards.
public struct IndicatorCounts: Sendable, Equatable {
    /// People on the roll (not deceased, not moved out).
    public var residents: Int64 = 0
    /// Residents by age band (`AgeBand`).
    public var ageBands: [Int64] = [0, 0, 0, 0]
    /// Residents by 户籍/常住/流动, in `ResidenceStatus.allCases` order.
    public var residence: [Int64] = [0, 0, 0]
    public var households: Int64 = 0
    /// The request figures (kept per community: nil for a grid).
    public var requests: RequestCounts?
    /// Community-worker accounts, and the residents of the communities that have at least one.
    public var workers: Int64 = 0
    public var residentsWithWorkers: Int64 = 0
    /// 村/社区 in the division, and those with a community worker on the platform. Nil for a grid.
    public var communities: Int64?
    public var communitiesOnPlatform: Int64 = 0
    /// 居家养老 (per grid): elders assessed, by level (`CareLevel.allCases` order), with a care plan; elders
    /// living alone and those of them visited in the last 7 days; emergency calls, responded ones and the
    /// seconds they took.
    public var care = CareCounts()
    /// Counts of the capabilities added after the first ones, by a key the capability names
    /// (`assistance.dibao_households`): summed up the tree like the others.
    public var more: [String: Int64] = [:]

    public init() {}

    public subscript(_ key: String) -> Int64 { more[key] ?? 0 }

    public mutating func add(_ o: IndicatorCounts) {
        residents += o.residents
        for i in ageBands.indices { ageBands[i] += o.ageBands[i] }
        for i in residence.indices { residence[i] += o.residence[i] }
        households += o.households
        if let r = o.requests { requests = (requests ?? RequestCounts()).adding(r) }
        workers += o.workers
        residentsWithWorkers += o.residentsWithWorkers
        if let c = o.communities { communities = (communities ?? 0) + c }
        communitiesOnPlatform += o.communitiesOnPlatform
        care.add(o.care)
        for (k, v) in o.more { more[k, default: 0] += v }
    }

    public var aged60Plus: Int64 { ageBands[2] + ageBands[3] }
}

/// The care figures of a division (see `IndicatorCounts.care`).
public struct CareCounts: Sendable, Equatable {
    public var assessed: Int64 = 0
    public var levels: [Int64] = [0, 0, 0]
    public var withPlan: Int64 = 0
    public var livingAlone: Int64 = 0
    public var livingAloneVisited: Int64 = 0
    public var calls: Int64 = 0
    public var callsResponded: Int64 = 0
    public var responseSeconds: Int64 = 0
    /// Facilities, per community: beds, nursing beds, communities meeting the floor-area standard.
    public var beds: Int64 = 0
    public var nursingBeds: Int64 = 0
    public var communitiesAreaMet: Int64 = 0

    public init() {}

    public mutating func add(_ o: CareCounts) {
        assessed += o.assessed
        for i in levels.indices { levels[i] += o.levels[i] }
        withPlan += o.withPlan; livingAlone += o.livingAlone; livingAloneVisited += o.livingAloneVisited
        calls += o.calls; callsResponded += o.callsResponded; responseSeconds += o.responseSeconds
        beds += o.beds; nursingBeds += o.nursingBeds; communitiesAreaMet += o.communitiesAreaMet
    }
}

/// The sums of `request_tallies` for a set of communities.
public struct RequestCounts: Sendable, Equatable {
    public var total: Int64 = 0, escalated: Int64 = 0, handled: Int64 = 0, onTime: Int64 = 0
    public var handlingSeconds: Int64 = 0, rated: Int64 = 0, ratingSum: Int64 = 0

    public init(total: Int64 = 0, escalated: Int64 = 0, handled: Int64 = 0, onTime: Int64 = 0, handlingSeconds: Int64 = 0,
                rated: Int64 = 0, ratingSum: Int64 = 0) {
        self.total = total; self.escalated = escalated; self.handled = handled; self.onTime = onTime
        self.handlingSeconds = handlingSeconds; self.rated = rated; self.ratingSum = ratingSum
    }

    public func adding(_ o: RequestCounts) -> RequestCounts {
        RequestCounts(total: total + o.total, escalated: escalated + o.escalated, handled: handled + o.handled, onTime: onTime + o.onTime,
                      handlingSeconds: handlingSeconds + o.handlingSeconds, rated: rated + o.rated, ratingSum: ratingSum + o.ratingSum)
    }
}

/// Age bands of the population structure: 0–17, 18–59, 60–79, 80 and over (ages in whole years on `today`).
public enum AgeBand: Int, CaseIterable, Sendable {
    case minors = 0, working, elderly, oldestOld

    public var label: String {
        switch self {
        case .minors: return "0–17岁"
        case .working: return "18–59岁"
        case .elderly: return "60–79岁"
        case .oldestOld: return "80岁以上"
        }
    }

    /// The latest birth date of each band from the oldest down: born on or before `bounds[0]` is 80+,
    /// on or before `bounds[1]` is 60+, on or before `bounds[2]` is 18+.
    public static func bounds(on today: CivilDate) -> [CivilDate] {
        [today.yearsEarlier(80), today.yearsEarlier(60), today.yearsEarlier(18)]
    }

    public static func of(birth: CivilDate, on today: CivilDate) -> AgeBand {
        let b = bounds(on: today)
        if birth <= b[0] { return .oldestOld }
        if birth <= b[1] { return .elderly }
        if birth <= b[2] { return .working }
        return .minors
    }
}

/// One computed value: numerator over denominator, scaled to the indicator's unit.
public struct IndicatorReading: Sendable, Equatable, Codable {
    public var value: Double
    public var numerator: Double
    /// Nil for a plain count.
    public var denominator: Double?

    public init(value: Double, numerator: Double, denominator: Double?) {
        self.value = value
        self.numerator = numerator
        self.denominator = denominator
    }

    static func count(_ n: Int64) -> IndicatorReading { IndicatorReading(value: Double(n), numerator: Double(n), denominator: nil) }
    /// `a / b × scale`, or nil when there is nothing to divide by.
    static func ratio(_ a: Int64, _ b: Int64, scale: Double = 100) -> IndicatorReading? {
        b == 0 ? nil : IndicatorReading(value: Double(a) / Double(b) * scale, numerator: Double(a), denominator: Double(b))
    }
}

/// An indicator of the plan: what it is, where it comes from, how it is computed.
public struct IndicatorDefinition: Sendable {
    public var code: String
    public var name: String
    /// The group it is shown under (人口结构, 网上受理, 队伍建设, 规划目标 …).
    public var group: String
    public var numerator: String
    public var denominator: String?
    public var unit: String
    public var target: IndicatorTarget?
    /// The plan's words the target comes from.
    public var clause: String
    /// Nil when the platform measures it; otherwise the data it still needs.
    public var needs: String?
    /// The computation over a division's counts; nil when there is nothing to count.
    let compute: @Sendable (IndicatorCounts) -> IndicatorReading?

    public var measured: Bool { needs == nil }

    public func reading(_ c: IndicatorCounts) -> IndicatorReading? { measured ? compute(c) : nil }

    public func status(of reading: IndicatorReading?) -> IndicatorStatus {
        guard measured else { return .notMeasured }
        guard let r = reading else { return .noData }
        return target?.status(of: r.value) ?? .monitored
    }
}

public enum IndicatorFormat {
    /// At most two decimals, no trailing zeros: 17.5, 100, 0.33.
    public static func number(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        var s = String(Int64((v * 100).rounded()))
        let negative = s.hasPrefix("-")
        if negative { s.removeFirst() }
        while s.count < 3 { s = "0" + s }
        var text = String(s.dropLast(2)) + "." + String(s.suffix(2))
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return (negative ? "-" : "") + text
    }
}
