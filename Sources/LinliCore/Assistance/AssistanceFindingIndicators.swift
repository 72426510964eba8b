/// 主动发现's indicator: hits handled within 30 days of being first seen.
public enum AssistanceFindingIndicators {
    /// Hits first seen at least 30 days ago or already handled: the ones whose 30 days are decided.
    public static let dueKey = "assistance.findings_due"
    /// Hits with an outcome recorded.
    public static let handledKey = "assistance.findings_handled"
    /// Hits with an outcome recorded within 30 days of being first seen.
    public static let handled30Key = "assistance.findings_handled_30"

    public static let definitions: [IndicatorDefinition] = [
        IndicatorDefinition(code: "assistance.findings_handled_30", name: "主动发现线索30天内处理率", group: "社会救助",
                            numerator: "首次发现后30天内登记了处理结果的线索数",
                            denominator: "已处理或发现已满30天的线索数", unit: "%", target: nil,
                            clause: "建立健全主动发现机制，及时将符合条件的困难群众纳入救助范围", needs: nil) {
            .ratio($0[handled30Key], $0[dueKey])
        },
    ]
}
