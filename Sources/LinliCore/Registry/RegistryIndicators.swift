/// The registry's indicators: the population structure (人口结构) and the community workforce (队伍建设, 信息化).
public enum RegistryIndicators {
    public static let definitions: [IndicatorDefinition] = population + workforce

    static let registryClause = "建立人口基础信息库，以房管人管户管单位（社区公共服务综合信息平台）"

    static func share(_ code: String, _ name: String, _ numerator: String, _ count: @escaping @Sendable (IndicatorCounts) -> Int64) -> IndicatorDefinition {
        IndicatorDefinition(code: code, name: name, group: "人口结构", numerator: numerator, denominator: "在册居民数", unit: "%",
                            target: nil, clause: registryClause, needs: nil) { .ratio(count($0), $0.residents) }
    }

    public static let population: [IndicatorDefinition] = [
        IndicatorDefinition(code: "population.residents", name: "在册居民数", group: "人口结构",
                            numerator: "登记在册的居民（不含已死亡、已迁出）", denominator: nil, unit: "人", target: nil,
                            clause: registryClause, needs: nil) { .count($0.residents) },
        IndicatorDefinition(code: "population.households", name: "户数", group: "人口结构", numerator: "登记的户", denominator: nil,
                            unit: "户", target: nil, clause: registryClause, needs: nil) { .count($0.households) },
        share("population.age_0_17", "0–17岁人口占比", "0–17岁在册居民数") { $0.ageBands[0] },
        share("population.age_18_59", "18–59岁人口占比", "18–59岁在册居民数") { $0.ageBands[1] },
        share("population.age_60_plus", "60岁以上老年人口占比", "60岁以上在册居民数") { $0.aged60Plus },
        share("population.age_80_plus", "80岁以上高龄老人占比", "80岁以上在册居民数") { $0.ageBands[3] },
        share("population.registered", "户籍人口占比", "户籍人口数") { $0.residence[0] },
        share("population.resident", "常住（非户籍）人口占比", "常住人口数（户籍在外、居住半年以上）") { $0.residence[1] },
        share("population.floating", "流动人口占比", "流动人口数") { $0.residence[2] },
    ]


    public static let workforce: [IndicatorDefinition] = [
        IndicatorDefinition(code: "workforce.residents_per_worker", name: "社区工作者人均服务居民数", group: "队伍建设",
                            numerator: "有社区工作者账号的村/社区的在册居民数", denominator: "社区工作者账号数", unit: "人/名", target: nil,
                            clause: "积极推进社区工作者职业化进程……全区现有社工人员近400人", needs: nil) {
            .ratio($0.residentsWithWorkers, $0.workers, scale: 1)
        },
        IndicatorDefinition(code: "informatization.platform", name: "社区信息平台覆盖率", group: "信息化",
                            numerator: "已有社区工作者在平台办公的村/社区数", denominator: "村/社区数", unit: "%",
                            target: IndicatorTarget(.atLeast, 100), clause: "实现社区公共服务综合信息平台建设全覆盖", needs: nil) {
            c in c.communities.flatMap { .ratio(c.communitiesOnPlatform, $0) }
        },
    ]
}
