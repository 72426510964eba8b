/// The targets of the plan whose data the platform does not hold yet: shown as "not measured" until the
/// capability that holds the data moves its target into its own indicators.
public enum PlanTargets {
    static func notMeasured(_ code: String, _ name: String, _ numerator: String, _ denominator: String?, _ unit: String,
                            _ target: IndicatorTarget, _ clause: String, needs: String) -> IndicatorDefinition {
        IndicatorDefinition(code: code, name: name, group: "规划目标", numerator: numerator, denominator: denominator, unit: unit,
                            target: target, clause: clause, needs: needs) { _ in nil }
    }

    /// The targets of the plan (MISSION's table) whose data the platform does not hold yet.
    public static let definitions: [IndicatorDefinition] = [
        notMeasured("plan.harmonious", "城乡和谐社区达标率", "达到和谐社区标准的村/社区数", "村/社区数", "%", .init(.atLeast, 100),
                    "城乡和谐社区达标率达100%", needs: "每个村/社区的和谐社区达标评定记录（评定项目、结果、年度）"),
        notMeasured("plan.wireless", "社区无线网络覆盖率", "无线网络覆盖的村/社区数", "村/社区数", "%", .init(.atLeast, 100),
                    "力争无线网络覆盖所有社区", needs: "设施模块：各村/社区服务场所的无线网络登记"),
    ]
}
