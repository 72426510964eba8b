/// The requests' indicators (网上受理): volume, on-time rate, handling time, satisfaction, escalation.
public enum RequestIndicators {
    static let requestClause = "积极推进社区管理信息化建设，实现网上受理、无纸化办公"

    public static let definitions: [IndicatorDefinition] = [
        IndicatorDefinition(code: "requests.volume", name: "受理事项数", group: "网上受理", numerator: "受理的居民诉求和网格事件（含已办结）",
                            denominator: nil, unit: "件", target: nil, clause: requestClause, needs: nil) { $0.requests.map { .count($0.total) } },
        IndicatorDefinition(code: "requests.on_time", name: "按时办结率", group: "网上受理", numerator: "在办理时限内办结的事项数",
                            denominator: "已办结的事项数", unit: "%", target: nil, clause: requestClause, needs: nil) {
            $0.requests.flatMap { .ratio($0.onTime, $0.handled) }
        },
        IndicatorDefinition(code: "requests.handling_hours", name: "平均办理时长", group: "网上受理", numerator: "已办结事项从受理到办结的总时长（小时）",
                            denominator: "已办结的事项数", unit: "小时", target: nil, clause: requestClause, needs: nil) {
            (c: IndicatorCounts) -> IndicatorReading? in
            guard let r = c.requests, let mean = IndicatorReading.ratio(r.handlingSeconds, r.handled, scale: 1.0 / 3600) else { return nil }
            return IndicatorReading(value: mean.value, numerator: mean.numerator / 3600, denominator: mean.denominator)
        },
        IndicatorDefinition(code: "requests.satisfaction", name: "群众满意度（平均评分）", group: "网上受理", numerator: "居民评价的分数之和（1–5分）",
                            denominator: "已评价的事项数", unit: "分", target: nil,
                            clause: "打造一批充满活力、群众满意度高、具有较强影响力的品牌社区", needs: nil) {
            $0.requests.flatMap { .ratio($0.ratingSum, $0.rated, scale: 1) }
        },
        IndicatorDefinition(code: "requests.escalation", name: "上报率", group: "网上受理", numerator: "曾上报街道或区的事项数",
                            denominator: "受理的事项数", unit: "%", target: nil, clause: requestClause, needs: nil) {
            $0.requests.flatMap { .ratio($0.escalated, $0.total) }
        },
    ]
}
