/// 四个公开与财务公开's indicators.
public enum DisclosureIndicators {
    static let clause = "推进政务、事务、财务、服务“四个公开”，切实保障居民的知情权和监督权"

    /// The keys of `IndicatorCounts.more` this capability fills (counted per community, summed up the tree).
    public enum Key {
        /// Communities (村/社区) of the scope: the denominator of the share below.
        public static let communities = "disclosure.communities"
        /// Communities whose four disclosures are current today: for each of 政务, 事务, 财务 and 服务 a notice
        /// that keeps it current (`DisclosureRules.keepsCurrent`) — 0 or 1 per community.
        public static let fourCurrent = "disclosure.four_current"
        /// Quarterly statements of this year's ended quarters that are due (their deadline has passed) …
        public static let statementsDue = "disclosure.statements_due"
        /// … and of those, the ones published by `Quarter.publishDeadline`.
        public static let statementsOnTime = "disclosure.statements_on_time"
        /// Notices published this year (1 January to today), not withdrawn, per kind.
        public static func noticesYear(_ kind: NoticeKind) -> String { "disclosure.notices_year.\(kind.rawValue)" }
    }

    public static let definitions: [IndicatorDefinition] = [
        IndicatorDefinition(code: "disclosure.four_current", name: "“四个公开”及时的村/社区占比", group: "居民自治",
                            numerator: "政务、事务、财务、服务四类公开均有近3个月（92天）内发布或仍在公开期内的公告的村/社区",
                            denominator: "村/社区数", unit: "%", target: .init(.atLeast, 100), clause: clause, needs: nil) {
            .ratio($0[Key.fourCurrent], $0[Key.communities])
        },
        IndicatorDefinition(code: "disclosure.statements_on_time", name: "季度财务收支公开表按时公开率", group: "居民自治",
                            numerator: "本年已到期的季度收支公开表中，在季度结束后次月月底前公开的",
                            denominator: "本年已到期（季度结束后次月月底已过）的村/社区季度收支公开表", unit: "%", target: .init(.atLeast, 100),
                            clause: clause, needs: nil) {
            .ratio($0[Key.statementsOnTime], $0[Key.statementsDue])
        },
    ] + NoticeKind.allCases.map { kind in
        IndicatorDefinition(code: "disclosure.notices_year.\(kind.rawValue)", name: "本年\(kind.label)公告", group: "居民自治",
                            numerator: "本年1月1日以来发布、未撤回的\(kind.label)公告", denominator: nil, unit: "条", target: nil, clause: clause,
                            needs: nil) { .count($0[Key.noticesYear(kind)]) }
    }
}
