/// 社会救助's payments as an indicator: what was paid for this year's months (monitored, the plan sets no target).
public enum AssistancePaymentIndicators {
    public static let paidKey = "assistance.paid_yuan_year"

    public static let definitions: [IndicatorDefinition] = [
        IndicatorDefinition(code: "assistance.paid_yuan_year", name: "年度救助资金发放额", group: "社会救助",
                            numerator: "本年度各月已发放的救助金（含更正，元）", denominator: nil, unit: "元", target: nil,
                            clause: "最低生活保障制度…实行分类救助、精准救助", needs: nil) { .count($0[paidKey]) },
    ]
}
