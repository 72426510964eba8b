/// 一表通's indicators: how much of what departments ask the platform answers, and the time it saves.
public enum ReportsIndicators {
    static let clause = "推动形成“资源共享、协同服务、便民利民、安全可控”的社区服务信息化发展格局"

    /// The keys of `IndicatorCounts.more` this capability fills (per community, summed up the tree).
    public enum Key {
        /// Fields of the current forms sent to the community (one per field per form) …
        public static let fields = "reports.fields"
        /// … and of those, the ones the platform fills (a measure or a list).
        public static let fieldsAutomatic = "reports.fields_automatic"
        /// Minutes of work saved: automatic fields of submitted returns × `reports.minutes_per_field`.
        public static let minutesSaved = "reports.minutes_saved"
    }

    public static let definitions: [IndicatorDefinition] = [
        IndicatorDefinition(code: "reports.automatic_share", name: "报表栏目平台自动填报率", group: "社区减负",
                            numerator: "下发到村/社区的现行报表栏目中由平台数据自动填报的（按村/社区逐表计）",
                            denominator: "下发到村/社区的现行报表栏目", unit: "%", target: .init(.atLeast, 90), clause: clause, needs: nil) {
            .ratio($0[Key.fieldsAutomatic], $0[Key.fields])
        },
        IndicatorDefinition(code: "reports.hours_saved", name: "一表通节省社区工作者工时", group: "社区减负",
                            numerator: "已报送报表中自动填报的栏目数 × 每栏填报分钟数（设置 reports.minutes_per_field），折算为小时",
                            denominator: nil, unit: "小时", target: nil, clause: clause, needs: nil) {
            IndicatorReading(value: Double($0[Key.minutesSaved]) / 60, numerator: Double($0[Key.minutesSaved]) / 60, denominator: nil)
        },
    ]
}
