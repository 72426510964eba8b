/// 志愿者's indicators: the plan's registration rate (the target moved here from `PlanTargets`), the volunteers
/// active in the last 12 months and the year's verified hours.
public enum VolunteersIndicators {
    static let clause = "社区志愿者注册率占居民总人口比例达15%以上"

    /// The keys of `IndicatorCounts.more` this capability fills.
    public enum Key {
        /// Volunteers confirmed by their community (已确认 or 已签约), not withdrawn.
        public static let registered = "volunteers.registered"
        /// Registered volunteers with verified service in the last 365 days.
        public static let active = "volunteers.active_12m"
        /// Verified minutes of this calendar year (corrections included).
        public static let minutesYear = "volunteers.minutes_year"
    }

    public static let definitions: [IndicatorDefinition] = [
        IndicatorDefinition(code: "plan.volunteer_rate", name: "社区志愿者注册率", group: "规划目标",
                            numerator: "经社区确认注册的志愿者人数（已确认、已签约，不含已退出）", denominator: "在册居民数",
                            unit: "%", target: .init(.atLeast, 15), clause: clause, needs: nil) { c in
            .ratio(c[Key.registered], c.residents)
        },
        IndicatorDefinition(code: "volunteers.active_12m", name: "近12个月参加服务的志愿者占比", group: "志愿者",
                            numerator: "近12个月有核实服务时长的注册志愿者", denominator: "注册志愿者", unit: "%", target: nil,
                            clause: "强化志愿者服务绩效管理", needs: nil) { .ratio($0[Key.active], $0[Key.registered]) },
        IndicatorDefinition(code: "volunteers.hours_year", name: "本年志愿服务时长", group: "志愿者",
                            numerator: "本年1月1日以来核实的志愿服务时长（含更正）", denominator: nil, unit: "小时", target: nil,
                            clause: "强化志愿者服务绩效管理", needs: nil) { .count($0[Key.minutesYear] / 60) },
    ]
}
