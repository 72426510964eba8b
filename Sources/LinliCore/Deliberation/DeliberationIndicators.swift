/// 民主协商与网上议事's indicators: the year's meetings by kind, resolutions followed up on time, proposals and
/// residents' participation.
public enum DeliberationIndicators {
    static let clause = "社区民情恳谈会、事务协调会、工作听证会和成效评议会等民主协商载体"

    /// The keys of `IndicatorCounts.more` this capability fills.
    public enum Key {
        /// Meetings held this year (1 January to today), of one kind: `deliberation.meetings_year.<kind>`.
        public static func meetingsYear(_ kind: MeetingKind) -> String { "deliberation.meetings_year." + kind.rawValue }
        /// Resolutions of this year's meetings whose due date has passed (due before today).
        public static let resolutionsDue = "deliberation.resolutions_due"
        /// Of those, done no later than their due date.
        public static let resolutionsOnTime = "deliberation.resolutions_on_time"
        /// Proposals published this year.
        public static let proposalsYear = "deliberation.proposals_year"
        /// Supports given to this year's proposals (one per resident and proposal).
        public static let supportsYear = "deliberation.supports_year"
        /// Comments on this year's proposals (hidden ones included: they were written).
        public static let commentsYear = "deliberation.comments_year"
    }

    public static let definitions: [IndicatorDefinition] = [
        IndicatorDefinition(code: "deliberation.meetings_year", name: "本年民主协商会议（恳谈会、协调会、听证会、评议会）", group: "民主协商",
                            numerator: "本年1月1日以来召开的民情恳谈会、事务协调会、工作听证会和成效评议会", denominator: nil, unit: "次", target: nil,
                            clause: clause, needs: nil) { c in
            .count(MeetingKind.allCases.filter(\.isDeliberative).reduce(Int64(0)) { $0 + c[Key.meetingsYear($1)] })
        },
        IndicatorDefinition(code: "deliberation.self_meetings_year", name: "本年楼道、业主议事会议", group: "民主协商",
                            numerator: "本年1月1日以来召开的楼道议事和业主议事会议", denominator: nil, unit: "次", target: nil, clause: "网上论坛、民情恳谈、楼道自治",
                            needs: nil) { c in .count(c[Key.meetingsYear(.stairway)] + c[Key.meetingsYear(.owners)]) },
        IndicatorDefinition(code: "deliberation.resolutions_on_time", name: "决议按期落实率", group: "民主协商",
                            numerator: "本年会议的决议中，在落实期限内完成的", denominator: "本年会议的决议中，落实期限已过的", unit: "%", target: nil,
                            clause: clause, needs: nil) { .ratio($0[Key.resolutionsOnTime], $0[Key.resolutionsDue]) },
        IndicatorDefinition(code: "deliberation.proposals_year", name: "本年网上议事议题", group: "民主协商", numerator: "本年1月1日以来社区发布的网上议事议题",
                            denominator: nil, unit: "个", target: nil, clause: "网上论坛、民情恳谈、楼道自治", needs: nil) { .count($0[Key.proposalsYear]) },
        IndicatorDefinition(code: "deliberation.participation_year", name: "本年网上议事居民参与（支持与评论）", group: "民主协商",
                            numerator: "本年发布议题收到的支持（每位居民每个议题一次）与评论", denominator: nil, unit: "次", target: nil,
                            clause: "网上论坛、民情恳谈、楼道自治", needs: nil) { .count($0[Key.supportsYear] + $0[Key.commentsYear]) },
    ]
}
