/// 区划调整's indicators: communities' sizes after the changes — households per community, and how many communities
/// are larger than the norm for a 大社区 (a community the district would consider splitting).
public enum BoundaryIndicators {
    static let clause = "按照以房管人管户管单位和一定规模要求对社区进行合理区划调整"

    /// Households above which a community counts as a 大社区 (the district's norm; decision 0031).
    public static let largeCommunityHouseholds: Int64 = 3_000

    public enum Key {
        /// Communities (村/社区) with more households than `largeCommunityHouseholds`.
        public static let large = "boundary.large_communities"
        /// Communities with at least one household.
        public static let inhabited = "boundary.inhabited_communities"
    }

    public static let definitions: [IndicatorDefinition] = [
        IndicatorDefinition(code: "boundary.households_per_community", name: "社区平均户数", group: "区划调整", numerator: "登记的户数",
                            denominator: "有住户的村/社区数", unit: "户", target: nil, clause: clause, needs: nil) {
            .ratio($0.households, $0[Key.inhabited], scale: 1)
        },
        IndicatorDefinition(code: "boundary.large_communities", name: "超过规模标准的大社区", group: "区划调整",
                            numerator: "户数超过\(largeCommunityHouseholds)户的村/社区", denominator: nil, unit: "个", target: nil, clause: clause,
                            needs: nil) { .count($0[Key.large]) },
    ]
}
