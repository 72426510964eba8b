/// 物业管理's indicators: the plan's "积极探索老旧小区的'准物业管理'机制" as a live share — compounds managed by a property
/// service company under contract or by the community's 准物业管理, of all compounds registered.
public enum PropertyIndicators {
    static let clause = "指导物业管理服务企业依法经营,积极探索老旧小区的“准物业管理”机制"

    /// The keys of `IndicatorCounts.more` this capability fills.
    public enum Key {
        /// Compounds registered.
        public static let compounds = "property.compounds"
        /// Of them, managed today (a contract in force, or 准物业管理).
        public static let managed = "property.compounds_managed"
        /// Old compounds (老旧小区) registered.
        public static let old = "property.old_compounds"
        /// Of them, managed today.
        public static let oldManaged = "property.old_compounds_managed"
        /// Large compounds (at least the district's size in households).
        public static let large = "property.large_compounds"
        /// Of them, with an owners' committee in force.
        public static let largeWithCommittee = "property.large_compounds_committee"
    }

    public static let definitions: [IndicatorDefinition] = [
        IndicatorDefinition(code: "property.managed_share", name: "小区物业管理覆盖率", group: "物业管理", numerator: "有物业服务企业（合同期内）或实行准物业管理的小区",
                            denominator: "登记的小区", unit: "%", target: nil, clause: clause, needs: nil) { .ratio($0[Key.managed], $0[Key.compounds]) },
        IndicatorDefinition(code: "property.old_managed_share", name: "老旧小区物业管理覆盖率", group: "物业管理", numerator: "有物业服务企业或实行准物业管理的老旧小区",
                            denominator: "登记的老旧小区", unit: "%", target: nil, clause: clause, needs: nil) { .ratio($0[Key.oldManaged], $0[Key.old]) },
        IndicatorDefinition(code: "property.committee_share", name: "规模小区业主委员会组建率", group: "物业管理", numerator: "业主委员会在任期内的规模小区",
                            denominator: "户数达到规定规模的小区", unit: "%", target: nil, clause: "规范业主自治", needs: nil) { .ratio($0[Key.largeWithCommittee], $0[Key.large]) },
    ]
}
