/// 捐赠物资接收点's indicators: the plan's coverage target and the year's activity.
public enum DonationsIndicators {
    static let clause = "“捐赠物资接收点”覆盖全区所有社区"

    /// The keys of `IndicatorCounts.more` this capability fills.
    public enum Key {
        /// Communities with a working point (`DonationRules.isWorking`): 0 or 1 per community.
        public static let workingPoints = "donations.working_points"
        public static let points = "donations.points"
        public static let receivedYear = "donations.received_year"
        public static let handedOutYear = "donations.handed_out_year"
        public static let assistedHandOutsYear = "donations.assisted_handouts_year"
    }

    public static let definitions: [IndicatorDefinition] = [
        IndicatorDefinition(code: "plan.donation_points", name: "捐赠物资接收点覆盖率", group: "规划目标",
                            numerator: "有在运行的捐赠物资接收点（已登记、开放，近12个月有接收或发放）的村/社区数", denominator: "村/社区数",
                            unit: "%", target: .init(.atLeast, 100), clause: clause, needs: nil) { c in
            c.communities.flatMap { .ratio(c[Key.workingPoints], $0) }
        },
        IndicatorDefinition(code: "donations.received_year", name: "本年接收捐赠笔数", group: "捐赠物资", numerator: "本年1月1日以来各接收点登记的捐赠",
                            denominator: nil, unit: "笔", target: nil, clause: clause, needs: nil) { .count($0[Key.receivedYear]) },
        IndicatorDefinition(code: "donations.handed_out_year", name: "本年发放物资笔数", group: "捐赠物资", numerator: "本年1月1日以来发放给登记家庭的物资",
                            denominator: nil, unit: "笔", target: nil, clause: clause, needs: nil) { .count($0[Key.handedOutYear]) },
        IndicatorDefinition(code: "donations.assisted_share", name: "发放给救助家庭的占比", group: "捐赠物资",
                            numerator: "本年发放时该户为低保、特困或其他在办、在保救助案件的发放笔数", denominator: "本年发放笔数",
                            unit: "%", target: nil, clause: clause, needs: nil) { .ratio($0[Key.assistedHandOutsYear], $0[Key.handedOutYear]) },
    ]
}
