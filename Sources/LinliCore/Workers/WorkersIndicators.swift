/// 社工队伍's indicators: the plan's "社工人员近400人，其中具备专业技术职称19人" as live counts, workers per 1,000
/// residents and the share holding a qualification.
public enum WorkersIndicators {
    static let clause = "全区现有社工人员近400人,其中具备专业技术职称19人"
    static let clauseLevel = "全面实施职业水平评价、专业技术职务聘任、注册管理等制度"

    /// The keys of `IndicatorCounts.more` this capability fills.
    public enum Key {
        /// Workers on the register (not left).
        public static let workers = "workers.count"
        /// Of them, with a professional title (专业技术职称).
        public static let titled = "workers.titled"
        /// Of them, holding a 社会工作者职业水平 certificate of any level.
        public static let qualified = "workers.qualified"
    }

    public static let definitions: [IndicatorDefinition] = [
        IndicatorDefinition(code: "workers.count", name: "社区工作者人数", group: "队伍建设", numerator: "在册的社区工作者（含镇街、区工作人员）",
                            denominator: nil, unit: "人", target: nil, clause: clause, needs: nil) { .count($0[Key.workers]) },
        IndicatorDefinition(code: "workers.titled", name: "具备专业技术职称的社区工作者", group: "队伍建设", numerator: "在册且有专业技术职称的社区工作者",
                            denominator: nil, unit: "人", target: nil, clause: clause, needs: nil) { .count($0[Key.titled]) },
        IndicatorDefinition(code: "workers.per_1000", name: "每千名居民社区工作者数", group: "队伍建设", numerator: "在册的社区工作者",
                            denominator: "在册居民数（千人）", unit: "人", target: nil, clause: clause, needs: nil) {
            .ratio($0[Key.workers], $0.residents, scale: 1_000)
        },
        IndicatorDefinition(code: "workers.qualified_share", name: "持社会工作者职业水平证书的比例", group: "队伍建设",
                            numerator: "持助理社会工作师及以上证书的社区工作者", denominator: "在册的社区工作者", unit: "%", target: nil,
                            clause: clauseLevel, needs: nil) { .ratio($0[Key.qualified], $0[Key.workers]) },
    ]
}
