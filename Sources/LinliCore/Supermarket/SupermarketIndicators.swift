/// 爱心超市's indicators: streets covered and the year's points and redemptions.
public enum SupermarketIndicators {
    static let clause = "爱心购物券、爱心超市"

    /// The keys of `IndicatorCounts.more` this capability fills.
    public enum Key {
        /// Streets with an open supermarket: 0 or 1 per street.
        public static let streetsCovered = "supermarket.streets_covered"
        public static let pointsEarnedYear = "supermarket.points_earned_year"
        public static let pointsRedeemedYear = "supermarket.points_redeemed_year"
        public static let redemptionsYear = "supermarket.redemptions_year"
        /// Households that redeemed this year while on assistance (counted once per household and street).
        public static let assistedHouseholdsYear = "supermarket.assisted_households_year"
    }

    public static let definitions: [IndicatorDefinition] = [
        IndicatorDefinition(code: "supermarket.streets", name: "设有爱心超市的镇/街道数", group: "爱心超市", numerator: "登记并开放爱心超市的镇/街道",
                            denominator: nil, unit: "个", target: nil, clause: clause, needs: nil) { .count($0[Key.streetsCovered]) },
        IndicatorDefinition(code: "supermarket.points_earned_year", name: "本年发放爱心积分", group: "爱心超市",
                            numerator: "本年1月1日以来志愿服务、救助家庭月度积分和调整增加的积分", denominator: nil, unit: "分", target: nil, clause: clause,
                            needs: nil) { .count($0[Key.pointsEarnedYear]) },
        IndicatorDefinition(code: "supermarket.points_redeemed_year", name: "本年兑换爱心积分", group: "爱心超市",
                            numerator: "本年1月1日以来在爱心超市兑换物品使用的积分（作废的不计）", denominator: nil, unit: "分", target: nil, clause: clause,
                            needs: nil) { .count($0[Key.pointsRedeemedYear]) },
        IndicatorDefinition(code: "supermarket.redemptions_year", name: "本年兑换笔数", group: "爱心超市", numerator: "本年1月1日以来的兑换（作废的不计）",
                            denominator: nil, unit: "笔", target: nil, clause: clause, needs: nil) { .count($0[Key.redemptionsYear]) },
        IndicatorDefinition(code: "supermarket.assisted_households_year", name: "本年到爱心超市兑换的救助家庭", group: "爱心超市",
                            numerator: "兑换时该户有在保社会救助案件、本年有兑换的家庭数", denominator: nil, unit: "户", target: nil, clause: clause,
                            needs: nil) { .count($0[Key.assistedHouseholdsYear]) },
    ]
}
