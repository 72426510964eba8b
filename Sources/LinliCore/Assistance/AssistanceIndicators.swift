/// 社会救助's indicators: who is assisted per community, and whether decisions and re-checks keep their time limits.
public enum AssistanceIndicators {
    static let clause = "完善区、街道、社区“三级救助圈”制度，落实最低生活保障制度、配套优惠政策、实物援助和社会互助制度，实施分类救助、精准救助"

    /// The keys of `IndicatorCounts.more` this capability fills.
    public enum Key {
        public static let dibaoHouseholds = "assistance.dibao_households"
        public static let dibaoPeople = "assistance.dibao_people"
        public static let tekunPeople = "assistance.tekun_people"
        public static let decided = "assistance.decided_year"
        public static let decidedInTime = "assistance.decided_in_time_year"
        public static let rechecks = "assistance.rechecks_due"
        public static let rechecksOnTime = "assistance.rechecks_on_time"
    }

    public static let definitions: [IndicatorDefinition] = [
        IndicatorDefinition(code: "assistance.dibao_households", name: "在保低保户数", group: "社会救助", numerator: "已批准、正在发放的最低生活保障家庭数",
                            denominator: nil, unit: "户", target: nil, clause: clause, needs: nil) { .count($0[Key.dibaoHouseholds]) },
        IndicatorDefinition(code: "assistance.dibao_share", name: "低保人口占比", group: "社会救助", numerator: "在保低保家庭的成员数",
                            denominator: "在册居民数", unit: "%", target: nil, clause: clause, needs: nil) { .ratio($0[Key.dibaoPeople], $0.residents) },
        IndicatorDefinition(code: "assistance.tekun_people", name: "在保特困供养人数", group: "社会救助", numerator: "已批准、正在发放的特困人员救助供养对象数",
                            denominator: nil, unit: "人", target: nil, clause: clause, needs: nil) { .count($0[Key.tekunPeople]) },
        IndicatorDefinition(code: "assistance.decided_in_time", name: "救助申请按时审批率", group: "社会救助",
                            numerator: "近12个月在审批时限内（受理后30个工作日，可配置）作出决定的申请数", denominator: "近12个月作出决定的申请数",
                            unit: "%", target: .init(.atLeast, 100), clause: clause, needs: nil) { .ratio($0[Key.decidedInTime], $0[Key.decided]) },
        IndicatorDefinition(code: "assistance.rechecks_on_time", name: "救助对象按期复核率", group: "社会救助",
                            numerator: "近12个月按期完成的复核次数", denominator: "近12个月完成的复核次数与当前逾期未复核的在保案件数之和",
                            unit: "%", target: .init(.atLeast, 100), clause: clause, needs: nil) { .ratio($0[Key.rechecksOnTime], $0[Key.rechecks]) },
    ]
}
