/// 社会组织's indicators: the plan's two targets (450 organizations, 40 registered a year), density per 10,000
/// residents, the year's purchased services and the incubation base.
public enum OrganizationsIndicators {
    static let clause = "采取“培育+补贴+奖励+购买”方式，大力扶持参与社区服务的社会组织；培育发展社会组织达到450家以上"
    static let clauseYear = "各镇(街道)直接培育和管理基层社区社会组织，每年登记40家以上"
    static let clauseBuy = "通过政府购买服务、资助项目、合同外包等方式，支持社会组织参与社区服务"

    /// The keys of `IndicatorCounts.more` this capability fills.
    public enum Key {
        /// On the books (active or dormant; deregistered ones are left out).
        public static let organizations = "organizations.count"
        /// 登记 or 备案 since 1 January of this year, still on the books.
        public static let newYear = "organizations.new_year"
        public static let active = "organizations.active"
        /// Contract amounts of projects signed since 1 January, in yuan.
        public static let contractYuanYear = "organizations.contract_yuan_year"
        /// Payments made since 1 January, in yuan.
        public static let paidYuanYear = "organizations.paid_yuan_year"
        public static let incubating = "organizations.incubating"
    }

    public static let definitions: [IndicatorDefinition] = [
        IndicatorDefinition(code: "plan.social_orgs", name: "社会组织数", group: "规划目标", numerator: "在册的社会组织（登记和备案，未注销）",
                            denominator: nil, unit: "家", target: .init(.atLeast, 450), clause: clause, needs: nil) { .count($0[Key.organizations]) },
        IndicatorDefinition(code: "plan.social_orgs_new", name: "年度新登记社会组织数", group: "规划目标", numerator: "本年1月1日以来登记或备案的社会组织",
                            denominator: nil, unit: "家", target: .init(.atLeast, 40), clause: clauseYear, needs: nil) { .count($0[Key.newYear]) },
        IndicatorDefinition(code: "organizations.per_10k", name: "每万名居民社会组织数", group: "社会组织", numerator: "在册的社会组织",
                            denominator: "在册居民数（万人）", unit: "家", target: nil, clause: clause, needs: nil) {
            .ratio($0[Key.organizations], $0.residents, scale: 10_000)
        },
        IndicatorDefinition(code: "organizations.active_share", name: "正常活动的社会组织占比", group: "社会组织", numerator: "正常活动的社会组织",
                            denominator: "在册的社会组织", unit: "%", target: nil, clause: clause, needs: nil) { .ratio($0[Key.active], $0[Key.organizations]) },
        IndicatorDefinition(code: "organizations.contract_year", name: "本年签订购买服务金额", group: "社会组织",
                            numerator: "本年1月1日以来签订的政府购买服务、资助项目、合同外包的合同金额", denominator: nil, unit: "元", target: nil,
                            clause: clauseBuy, needs: nil) { .count($0[Key.contractYuanYear]) },
        IndicatorDefinition(code: "organizations.paid_year", name: "本年拨付购买服务资金", group: "社会组织", numerator: "本年1月1日以来按阶段成果拨付的金额",
                            denominator: nil, unit: "元", target: nil, clause: clauseBuy, needs: nil) { .count($0[Key.paidYuanYear]) },
        IndicatorDefinition(code: "organizations.incubating", name: "在孵社会组织数", group: "社会组织", numerator: "目前在社会组织孵化基地、尚未出壳的组织",
                            denominator: nil, unit: "家", target: nil, clause: clause, needs: nil) { .count($0[Key.incubating]) },
    ]
}
