/// 居家养老's indicators, the plan's care targets among them.
public enum CareIndicators {
    static let careClause = "全面推进居家养老服务，居家养老服务覆盖辖区内所有60岁以上老人"
    static let bedsClause = "每千名老人拥有床位数达50张，其中50%为护理型床位"

    static func careShare(_ code: String, _ name: String, _ numerator: String, _ count: @escaping @Sendable (CareCounts) -> Int64) -> IndicatorDefinition {
        IndicatorDefinition(code: code, name: name, group: "居家养老", numerator: numerator, denominator: "已评估的60岁以上老人数", unit: "%",
                            target: nil, clause: careClause, needs: nil) { .ratio(count($0.care), $0.care.assessed) }
    }

    /// 居家养老 (issue 8): the roll is every active resident aged 60+, classified by a Barthel assessment.
    public static let definitions: [IndicatorDefinition] = [
        IndicatorDefinition(code: "plan.care_coverage", name: "居家养老服务覆盖率", group: "规划目标",
                            numerator: "已评估分级（自理/半失能/失能）的60岁以上老人数", denominator: "60岁以上在册居民数", unit: "%",
                            target: .init(.atLeast, 100), clause: "居家养老服务覆盖辖区内所有60岁以上老人", needs: nil) {
            .ratio($0.care.assessed, $0.aged60Plus)
        },
        IndicatorDefinition(code: "care.plan_share", name: "有照护计划的老人占比", group: "居家养老",
                            numerator: "有照护计划的60岁以上老人数", denominator: "60岁以上在册居民数", unit: "%", target: nil,
                            clause: careClause, needs: nil) { .ratio($0.care.withPlan, $0.aged60Plus) },
        careShare("care.level_independent", "自理老人占比", "评估为自理的老人数") { $0.levels[0] },
        careShare("care.level_partly_dependent", "半失能老人占比", "评估为半失能的老人数") { $0.levels[1] },
        careShare("care.level_dependent", "失能老人占比", "评估为失能的老人数") { $0.levels[2] },
        IndicatorDefinition(code: "care.visit_compliance", name: "独居老人按期巡访率", group: "居家养老",
                            numerator: "近7天内有关爱巡访记录的独居老人数", denominator: "60岁以上独居老人数", unit: "%",
                            target: .init(.atLeast, 100), clause: careClause, needs: nil) {
            .ratio($0.care.livingAloneVisited, $0.care.livingAlone)
        },
        IndicatorDefinition(code: "care.response_minutes", name: "紧急呼叫平均响应时间", group: "居家养老",
                            numerator: "已响应呼叫从接警到响应的总时长（分钟）", denominator: "已响应的紧急呼叫数", unit: "分钟",
                            target: .init(.atMost, 30), clause: careClause, needs: nil) { (c: IndicatorCounts) -> IndicatorReading? in
            guard let mean = IndicatorReading.ratio(c.care.responseSeconds, c.care.callsResponded, scale: 1.0 / 60) else { return nil }
            return IndicatorReading(value: mean.value, numerator: mean.numerator / 60, denominator: mean.denominator)
        },
        IndicatorDefinition(code: "plan.care_beds", name: "每千名老人养老床位数", group: "规划目标", numerator: "养老服务设施床位数",
                            denominator: "60岁以上在册居民数（千人）", unit: "张/千名老人", target: .init(.atLeast, 50), clause: bedsClause, needs: nil) {
            c in c.communities == nil ? nil : .ratio(c.care.beds, c.aged60Plus, scale: 1000)
        },
        IndicatorDefinition(code: "plan.nursing_beds", name: "护理型床位占比", group: "规划目标", numerator: "护理型床位数", denominator: "养老床位数",
                            unit: "%", target: .init(.atLeast, 50), clause: bedsClause, needs: nil) {
            c in c.communities == nil ? nil : .ratio(c.care.nursingBeds, c.care.beds)
        },
        IndicatorDefinition(code: "plan.care_area", name: "居家养老服务场所面积达标率", group: "规划目标",
                            numerator: "场所面积达标的村/社区数（城市社区≥300㎡，乡镇社区≥450㎡）", denominator: "村/社区数", unit: "%",
                            target: .init(.atLeast, 100), clause: "城市社区设立不少于300平方米、乡镇社区设立不少于450平方米的社区居家养老服务场所",
                            needs: nil) { c in c.communities.flatMap { .ratio(c.care.communitiesAreaMet, $0) } },
    ]
}
