/// 行政事务进社区准入's indicators.
public enum AdmissionIndicators {
    static let clause = "严格实行行政事务进社区审批准入制度，对“人随事转、费随事转、权随事转”的执行情况进行严格监督，精简条线的检查考核和牌子增挂"

    /// The keys of `IndicatorCounts.more` this capability fills. Tasks are the district's (counted at the district);
    /// refusals, funds and checks are per community, summed up the tree.
    public enum Key {
        /// Tasks on the 准入清单 today (admitted, period not ended) — at the district.
        public static let admitted = "admission.admitted"
        /// Applications the district refused this year — at the district.
        public static let refused = "admission.refused"
        /// Tasks pushed without admission and refused by the communities this year.
        public static let unadmitted = "admission.unadmitted"
        /// Community-years of this year for which an admitted task promised funds (费随事转) …
        public static let fundsDue = "admission.funds_due"
        /// … and of those, the ones where what arrived covers what was promised.
        public static let fundsExecuted = "admission.funds_executed"
        /// Admitted 检查考核 and 牌子增挂 tasks in force today, counted once per community they apply to.
        public static let checksPlaques = "admission.checks_plaques"
        /// Communities (村/社区) of the scope.
        public static let communities = "admission.communities"
    }

    public static let definitions: [IndicatorDefinition] = [
        IndicatorDefinition(code: Key.admitted, name: "准入清单在列事项", group: "社区减负", numerator: "经审定准入、仍在准入期内的行政事务",
                            denominator: nil, unit: "项", target: nil, clause: clause, needs: nil) { .count($0[Key.admitted]) },
        IndicatorDefinition(code: Key.refused, name: "本年不予准入的申请", group: "社区减负", numerator: "本年经初审或审定不予准入的部门申请",
                            denominator: nil, unit: "项", target: nil, clause: clause, needs: nil) { .count($0[Key.refused]) },
        IndicatorDefinition(code: Key.unadmitted, name: "本年社区拒绝的未准入事项", group: "社区减负",
                            numerator: "本年部门未经准入向村/社区布置、被村/社区登记拒绝的事项", denominator: nil, unit: "项", target: nil,
                            clause: clause, needs: nil) { .count($0[Key.unadmitted]) },
        IndicatorDefinition(code: Key.fundsExecuted, name: "费随事转执行率", group: "社区减负",
                            numerator: "本年经费已足额到位的（准入事项, 村/社区）", denominator: "本年准入事项承诺经费的（准入事项, 村/社区）",
                            unit: "%", target: .init(.atLeast, 100), clause: clause, needs: nil) {
            .ratio($0[Key.fundsExecuted], $0[Key.fundsDue])
        },
        IndicatorDefinition(code: Key.checksPlaques, name: "每个村/社区的检查考核和牌子增挂", group: "社区减负",
                            numerator: "在准入期内的检查考核、牌子增挂事项（按适用的村/社区计）", denominator: "村/社区数", unit: "项/社区",
                            target: nil, clause: clause, needs: nil) {
            .ratio($0[Key.checksPlaques], $0[Key.communities], scale: 1)
        },
    ]
}
