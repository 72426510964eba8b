/// 房屋和单位's indicators: the plan's "按照以房管人管户管单位" as live counts — rented dwellings registered, the share
/// of them with every safety check on time, units registered and how many open their facilities to residents.
public enum HousingIndicators {
    static let clause = "按照以房管人管户管单位和一定规模要求对社区进行合理区划调整"
    static let clauseShared = "督促驻区单位将文化、教育、体育等活动设施向社区居民免费或低收费开放,实现社区资源共建共享"

    /// The keys of `IndicatorCounts.more` this capability fills.
    public enum Key {
        /// Rentals registered and in force (contract not ended).
        public static let rentals = "housing.rentals"
        /// Of them, with every safety check on time.
        public static let checkedOnTime = "housing.rentals_checked"
        /// Units registered.
        public static let units = "housing.units"
        /// Of them, opening facilities to residents.
        public static let openUnits = "housing.units_open"
    }

    public static let definitions: [IndicatorDefinition] = [
        IndicatorDefinition(code: "housing.rentals", name: "登记的出租房屋", group: "基础信息", numerator: "登记在册、合同未到期的出租房屋",
                            denominator: nil, unit: "套", target: nil, clause: clause, needs: nil) { .count($0[Key.rentals]) },
        IndicatorDefinition(code: "housing.rentals_checked_share", name: "出租房屋安全检查按期率", group: "基础信息",
                            numerator: "消防、燃气、电动车检查均未逾期的出租房屋", denominator: "登记在册、合同未到期的出租房屋", unit: "%", target: nil,
                            clause: clause, needs: nil) { .ratio($0[Key.checkedOnTime], $0[Key.rentals]) },
        IndicatorDefinition(code: "housing.units", name: "登记的驻区单位", group: "基础信息", numerator: "登记在册的单位",
                            denominator: nil, unit: "个", target: nil, clause: clause, needs: nil) { .count($0[Key.units]) },
        IndicatorDefinition(code: "housing.units_open_share", name: "向居民开放设施的驻区单位比例", group: "基础信息",
                            numerator: "向居民开放设施（共建共享）的单位", denominator: "登记在册的单位", unit: "%", target: nil,
                            clause: clauseShared, needs: nil) { .ratio($0[Key.openUnits], $0[Key.units]) },
    ]
}
