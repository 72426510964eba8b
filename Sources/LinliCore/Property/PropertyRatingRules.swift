import Foundation

/// 物业服务评价: once a year each household of a compound rates the property service it gets (满意度, 1 to 5), with an
/// optional short comment. The company under contract when the household rates is the one rated (none under 准物业管理 or
/// when nobody manages the compound). The compound's score for a year is the number of ratings, their average, and the
/// share satisfied (score 4 or 5).

/// 满意度: 5 非常满意 … 1 非常不满意.
public enum SatisfactionScore: Int, Codable, Sendable, CaseIterable {
    case veryDissatisfied = 1, dissatisfied, neutral, satisfied, verySatisfied

    public var label: String {
        switch self {
        case .verySatisfied: return "非常满意"
        case .satisfied: return "满意"
        case .neutral: return "一般"
        case .dissatisfied: return "不满意"
        case .veryDissatisfied: return "非常不满意"
        }
    }
}

/// A household's rating as typed.
public struct PropertyRatingInput: Sendable, Equatable {
    public var score: Int?
    public var comment: String?
    /// The year rated; the current year when not given.
    public var year: Int?

    public init(score: Int?, comment: String? = nil, year: Int? = nil) { self.score = score; self.comment = comment; self.year = year }
}

extension Permission {
    /// Rate the property service of one's own household's compound, once a year (a resident whose account is linked to the registry).
    public static let propertyRate = Permission("property.rate")
}

public enum PropertyRatingRules {
    public static let maxComment = 200
    /// A score at or above this is 满意 (satisfied).
    public static let satisfiedFrom = 4

    /// Requests about a compound's property service, by category (`RequestCategory`): 物业纠纷, and the compound's shared
    /// facilities the property service keeps — 电梯故障 and 楼道照明损坏 (房屋及小区设施; 消防设施 is the fire brigade's, not here).
    public static let requestCategories: Set<String> = ["SJ0202", "BJ0301", "BJ0302"]

    /// A rating: a score from 1 to 5, a comment of at most 200 characters, for the current year only (a household rates
    /// the year it lives through; earlier years are closed and later ones not yet begun).
    public static func check(_ r: PropertyRatingInput, today: CivilDate) -> [FieldError] {
        var e: [FieldError] = []
        if let s = r.score {
            if SatisfactionScore(rawValue: s) == nil { e.append(FieldError("score", "满意度应为1至5分（5分非常满意，1分非常不满意）")) }
        } else {
            e.append(FieldError("score", "请选择满意度"))
        }
        if let c = r.comment?.trimmingCharacters(in: .whitespacesAndNewlines), c.count > maxComment {
            e.append(FieldError("comment", "意见建议最多\(maxComment)个字（现为\(c.count)个字）"))
        }
        if let y = r.year, y != today.year { e.append(FieldError("year", "只能评价本年度（\(today.year)年）的物业服务")) }
        return e
    }

    public static func satisfied(_ score: Int) -> Bool { score >= satisfiedFrom }

    /// The Unix seconds a year starts and ends (exclusive) in China Standard Time (UTC+8, no daylight saving).
    public static func yearSeconds(_ year: Int) -> (from: Int64, to: Int64) {
        func start(_ y: Int) -> Int64 { Int64(CivilDate(year: y, month: 1, day: 1)!.dayNumber) * 86_400 - 8 * 3_600 }
        return (start(year), start(year + 1))
    }

    /// The median of some durations (the mean of the middle two for an even count); nil for none.
    public static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let s = values.sorted(), m = s.count / 2
        return s.count % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2
    }
}

extension PropertyIndicators {
    /// 物业服务评价's indicators, shown beside the management ones.
    public enum RatingKey {
        /// This year's ratings of the area's compounds.
        public static let ratings = "property.ratings"
        /// Of them, satisfied (score 4 or 5).
        public static let satisfied = "property.ratings_satisfied"
        /// Property requests (`PropertyRatingRules.requestCategories`, building in a compound) closed this year.
        public static let requestsClosed = "property.requests_closed"
        /// Of them, closed by their due time.
        public static let requestsOnTime = "property.requests_on_time"
    }

    public static let ratingDefinitions: [IndicatorDefinition] = [
        // 物业服务满意度: of this year's ratings by the households of the area's compounds, those of 4 or 5 (满意、非常满意).
        IndicatorDefinition(code: "property.satisfaction", name: "物业服务满意度", group: "物业管理", numerator: "本年度居民评价为满意或非常满意（4分以上）的户次",
                            denominator: "本年度居民对物业服务的评价（每户每年一次）", unit: "%", target: nil, clause: clause, needs: nil) {
            .ratio($0[RatingKey.satisfied], $0[RatingKey.ratings])
        },
        // 物业诉求按时办结率: of the property requests (物业纠纷、电梯故障、楼道照明损坏, about a building of a compound) closed this
        // year, those closed by their due time.
        IndicatorDefinition(code: "property.requests_on_time", name: "物业诉求按时办结率", group: "物业管理", numerator: "本年度按时办结的物业诉求",
                            denominator: "本年度办结的物业诉求（小区楼栋的物业纠纷、电梯故障、楼道照明损坏）", unit: "%", target: nil, clause: clause, needs: nil) {
            .ratio($0[RatingKey.requestsOnTime], $0[RatingKey.requestsClosed])
        },
    ]
}
