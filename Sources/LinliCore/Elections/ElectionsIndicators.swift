/// 换届选举's indicators: the plan's 换届选举率 and 一次性成功率 (moved here from `PlanTargets`), and the turnout.
///
/// Each community counts once, by its latest election whose term covers today (election day within the last
/// five years) and that was counted (succeeded or failed):
/// - 换届选举率: communities whose latest such election succeeded (a committee of at least its minimum size was
///   elected) ÷ 村/社区 in the division.
/// - 一次性成功率: of those, the ones that filled every seat at the first ballot, without a further round.
/// - 投票率: votes cast at the first ballot ÷ voters on the roll, summed over the same elections.
public enum ElectionsIndicators {
    static let clause = "村(居)委会换届选举率和一次性成功率均达100%"

    /// The keys of `IndicatorCounts.more` this capability fills.
    public enum Key {
        /// Communities whose election of the current term succeeded: 0 or 1 per community.
        public static let held = "elections.held"
        /// Of those, elected in full at the first ballot.
        public static let firstBallot = "elections.first_ballot"
        /// Voters on the roll and votes cast at the first ballot, of the current term's counted elections.
        public static let roll = "elections.roll"
        public static let cast = "elections.cast"
    }

    public static let definitions: [IndicatorDefinition] = [
        IndicatorDefinition(code: "plan.election_held", name: "村(居)委会换届选举率", group: "规划目标",
                            numerator: "本届（选举日在近5年内）换届选举成功、选出的委员会达到法定最少人数的村(居)委会数", denominator: "村/社区数",
                            unit: "%", target: .init(.atLeast, 100), clause: clause, needs: nil) { c in
            .ratio(c[Key.held], c.communities ?? 0)
        },
        IndicatorDefinition(code: "plan.election_first_ballot", name: "换届选举一次性成功率", group: "规划目标",
                            numerator: "第一次投票即选满应选名额、无需另行选举的村(居)委会数", denominator: "本届换届选举成功的村(居)委会数",
                            unit: "%", target: .init(.atLeast, 100), clause: clause, needs: nil) { c in
            .ratio(c[Key.firstBallot], c[Key.held])
        },
        IndicatorDefinition(code: "elections.turnout", name: "换届选举投票率", group: "居民自治",
                            numerator: "本届换届选举第一次投票收回的有效票箱选票数", denominator: "选民名单人数",
                            unit: "%", target: nil, clause: "实现社区居委会成员直接选举全覆盖", needs: nil) { c in
            .ratio(c[Key.cast], c[Key.roll])
        },
    ]
}
