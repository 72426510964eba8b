/// 居民依法自治达标率: the plan's target, measured from the three capabilities of 居民自治 together. A village or
/// community meets the standard (达标) on a day when all three hold:
/// - 换届选举: its committee's latest election is valid, elected at least the committee's minimum size, and the
///   committee's term has not ended (`ElectionsStanding`);
/// - 民主协商: in the 12 months up to the day it held at least four meetings of the four deliberative kinds
///   (恳谈会、协调会、听证会、评议会), and every resolution due before the day is done (`DeliberationStanding`);
/// - 四个公开: each of the four kinds of notice is current, and the finance statement of the last quarter is
///   published in time (`DisclosureStanding`).
public enum SelfGovernmentIndicators {
    public enum Key {
        /// Communities and villages meeting all three parts.
        public static let met = "self_government.met"
    }

    public static let definitions: [IndicatorDefinition] = [
        IndicatorDefinition(code: "plan.self_government", name: "居民依法自治达标率", group: "规划目标",
                            numerator: "同时达到三项的村/社区数：居(村)委会经有效选举产生且在任期内；近12个月召开恳谈会、协调会、听证会、评议会合计不少于4次且到期决议均已落实；政务、事务、财务、服务四类公开均在期内且上季度财务收支已按时公开",
                            denominator: "村/社区数", unit: "%", target: .init(.atLeast, 100), clause: "居民依法自治达标率达100%", needs: nil) { c in
            .ratio(c[Key.met], c.communities ?? 0)
        },
    ]
}
