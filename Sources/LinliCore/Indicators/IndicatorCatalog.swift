/// The indicators of the plan (泰州医药高新区社区建设与管理"十三五"专项规划) and of the platform's own
/// work. Each later capability adds its indicators here and turns a "not measured yet" into a computation.
public enum IndicatorCatalog {
    public static let all: [IndicatorDefinition] = population + requests + workforce + care + planTargets

    public static func definition(_ code: String) -> IndicatorDefinition? { byCode[code] }
    private static let byCode: [String: IndicatorDefinition] = Dictionary(uniqueKeysWithValues: all.map { ($0.code, $0) })

    static let registryClause = "建立人口基础信息库，以房管人管户管单位（社区公共服务综合信息平台）"

    static func share(_ code: String, _ name: String, _ numerator: String, _ count: @escaping @Sendable (IndicatorCounts) -> Int64) -> IndicatorDefinition {
        IndicatorDefinition(code: code, name: name, group: "人口结构", numerator: numerator, denominator: "在册居民数", unit: "%",
                            target: nil, clause: registryClause, needs: nil) { .ratio(count($0), $0.residents) }
    }

    static let population: [IndicatorDefinition] = [
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

    static let requestClause = "积极推进社区管理信息化建设，实现网上受理、无纸化办公"

    static let requests: [IndicatorDefinition] = [
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

    static let workforce: [IndicatorDefinition] = [
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

    static let careClause = "全面推进居家养老服务，居家养老服务覆盖辖区内所有60岁以上老人"
    static let bedsClause = "每千名老人拥有床位数达50张，其中50%为护理型床位"

    static func careShare(_ code: String, _ name: String, _ numerator: String, _ count: @escaping @Sendable (CareCounts) -> Int64) -> IndicatorDefinition {
        IndicatorDefinition(code: code, name: name, group: "居家养老", numerator: numerator, denominator: "已评估的60岁以上老人数", unit: "%",
                            target: nil, clause: careClause, needs: nil) { .ratio(count($0.care), $0.care.assessed) }
    }

    /// 居家养老 (issue 8): the roll is every active resident aged 60+, classified by a Barthel assessment.
    static let care: [IndicatorDefinition] = [
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

    static func notMeasured(_ code: String, _ name: String, _ numerator: String, _ denominator: String?, _ unit: String,
                            _ target: IndicatorTarget, _ clause: String, needs: String) -> IndicatorDefinition {
        IndicatorDefinition(code: code, name: name, group: "规划目标", numerator: numerator, denominator: denominator, unit: unit,
                            target: target, clause: clause, needs: needs) { _ in nil }
    }

    /// The targets of the plan (MISSION's table) whose data the platform does not hold yet.
    static let planTargets: [IndicatorDefinition] = [
        notMeasured("plan.harmonious", "城乡和谐社区达标率", "达到和谐社区标准的村/社区数", "村/社区数", "%", .init(.atLeast, 100),
                    "城乡和谐社区达标率达100%", needs: "每个村/社区的和谐社区达标评定记录（评定项目、结果、年度）"),
        notMeasured("plan.self_government", "居民依法自治达标率", "民主自治达标的村/社区数", "村/社区数", "%", .init(.atLeast, 100),
                    "居民依法自治达标率达100%", needs: "民主自治模块：居委会选举、议事会议（恳谈会/协调会/听证会/评议会）及其决议的记录"),
        notMeasured("plan.election_held", "村(居)委会换届选举率", "按期完成换届选举的村(居)委会数", "应换届的村(居)委会数", "%",
                    .init(.atLeast, 100), "村(居)委会换届选举率和一次性成功率均达100%", needs: "选举模块：选民名册、候选人、投票与计票记录"),
        notMeasured("plan.election_first_ballot", "换届选举一次性成功率", "第一次投票即选举成功的村(居)委会数", "完成换届选举的村(居)委会数", "%",
                    .init(.atLeast, 100), "村(居)委会换届选举率和一次性成功率均达100%", needs: "选举模块：每次投票的有效性与当选结果"),
        notMeasured("plan.social_orgs", "社会组织数", "在册的社会组织", nil, "家", .init(.atLeast, 450),
                    "培育发展社会组织达到450家以上", needs: "社会组织模块：社会组织登记（名称、类型、登记日期、所在社区）"),
        notMeasured("plan.social_orgs_new", "年度新登记社会组织数", "当年登记的社会组织", nil, "家", .init(.atLeast, 40),
                    "各镇(街道)直接培育和管理基层社区社会组织，每年登记40家以上", needs: "社会组织模块：社会组织登记日期"),
        notMeasured("plan.volunteer_rate", "社区志愿者注册率", "注册的社区志愿者人数", "在册居民数", "%", .init(.atLeast, 15),
                    "社区志愿者注册率占居民总人口比例达15%以上", needs: "志愿者模块：志愿者注册（MZ/T 061 字段）与居民的对应"),
        notMeasured("plan.donation_points", "捐赠物资接收点覆盖率", "设有捐赠物资接收点的村/社区数", "村/社区数", "%", .init(.atLeast, 100),
                    "“捐赠物资接收点”覆盖全区所有社区", needs: "社会救助模块：捐赠物资接收点登记（地点、所属社区）"),
        notMeasured("plan.wireless", "社区无线网络覆盖率", "无线网络覆盖的村/社区数", "村/社区数", "%", .init(.atLeast, 100),
                    "力争无线网络覆盖所有社区", needs: "设施模块：各村/社区服务场所的无线网络登记"),
    ]
}
