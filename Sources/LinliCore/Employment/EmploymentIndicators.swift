/// 就业援助's indicators: the register's size, how many left it for work within six months, and the share of
/// 就业困难人员 in public-welfare posts.
public enum EmploymentIndicators {
    static let clause = "健全街道社区就业服务机构，加大城市社区公益性岗位开发，增强再就业培训针对性、实效性…实行失业人员动态管理"

    /// The keys of `IndicatorCounts.more` this capability fills.
    public enum Key {
        public static let registered = "employment.registered"
        /// Registrations of the twelve months ending six months ago (each had its six months).
        public static let cohort = "employment.cohort"
        /// Of those, the ones that left to work (就业、创业、公益性岗位) within 183 days of registering.
        public static let cohortEmployed = "employment.cohort_employed"
        /// People in a public-welfare post today.
        public static let placed = "employment.placed"
        /// 就业困难人员: designated and still registered, plus those placed.
        public static let designated = "employment.designated"
    }

    public static let definitions: [IndicatorDefinition] = [
        IndicatorDefinition(code: "employment.registered", name: "登记失业人员数", group: "就业援助", numerator: "当前在册的失业登记人数",
                            denominator: nil, unit: "人", target: nil, clause: clause, needs: nil) { .count($0[Key.registered]) },
        IndicatorDefinition(code: "employment.employed_within_6m", name: "登记后6个月内实现就业比例", group: "就业援助",
                            numerator: "满6个月的登记（6至18个月前登记）中，登记后183天内因就业、创业或公益性岗位安置退出的人数",
                            denominator: "6至18个月前登记的失业人员数", unit: "%", target: nil, clause: clause, needs: nil) {
            .ratio($0[Key.cohortEmployed], $0[Key.cohort])
        },
        IndicatorDefinition(code: "employment.placed", name: "公益性岗位安置就业困难人员数", group: "就业援助", numerator: "今天在公益性岗位上的就业困难人员数",
                            denominator: nil, unit: "人", target: nil, clause: clause, needs: nil) { .count($0[Key.placed]) },
        IndicatorDefinition(code: "employment.placed_share", name: "就业困难人员公益性岗位安置率", group: "就业援助",
                            numerator: "今天在公益性岗位上的就业困难人员数", denominator: "在册的已认定就业困难人员数与公益性岗位在岗人数之和",
                            unit: "%", target: nil, clause: clause, needs: nil) { .ratio($0[Key.placed], $0[Key.designated]) },
    ]
}
