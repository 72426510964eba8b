/// 网格巡查's indicators, over the last four whole ISO weeks before the day they are computed for: the share of
/// grid-weeks whose rounds met the district's weekly norm, and the rounds walked per grid per week.
public enum PatrolsIndicators {
    static let clause = "推进社区网格化管理"
    static let clauseNets = "建立社区群防群治网、治安巡逻网、电子巡更网、安全监管网和管理服务网等五大网络"
    /// How many whole weeks the indicators look back over.
    public static let weeks = 4

    /// The keys of `IndicatorCounts.more` this capability fills.
    public enum Key {
        /// Grids × weeks of the window (every grid counts, rounds or not).
        public static let gridWeeks = "patrols.grid_weeks"
        /// Of them, the grid-weeks with at least the norm's rounds.
        public static let gridWeeksMet = "patrols.grid_weeks_met"
        /// Rounds counted toward the norm in the window.
        public static let rounds = "patrols.rounds"
    }

    public static let definitions: [IndicatorDefinition] = [
        IndicatorDefinition(code: "patrols.norm_met", name: "网格巡查达标率", group: "网格化管理",
                            numerator: "最近\(weeks)个整周中巡查次数达到每周规定次数的网格周数", denominator: "网格数×\(weeks)周", unit: "%",
                            target: nil, clause: clause, needs: nil) { .ratio($0[Key.gridWeeksMet], $0[Key.gridWeeks]) },
        IndicatorDefinition(code: "patrols.rounds_per_grid_week", name: "每网格每周巡查次数", group: "网格化管理",
                            numerator: "最近\(weeks)个整周完成的巡查（至少记录一个巡查点）", denominator: "网格数×\(weeks)周", unit: "次",
                            target: nil, clause: clauseNets, needs: nil) { .ratio($0[Key.rounds], $0[Key.gridWeeks], scale: 1) },
    ]
}
