import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 事项准入 in the demo district: a year of departments' applications (most admitted after 初审 and 审定, some
/// refused, some sent back and resubmitted, a few still under review), several 数据报表 tasks, checks and
/// plaques; refusals of unadmitted tasks in every fourth community; funds arrived for most communities.
/// Deterministic; multi-row INSERTs in one transaction.
public struct AdmissionDemo: DemoStep {
    public init() {}

    public func load(_ demo: DemoContext) async throws -> String? {
        let s = try await DemoAdmission.load(on: demo.db, seed: demo.seed, today: demo.today, now: demo.now)
        return "事项准入：申请 \(s.tasks) 项（准入 \(s.admitted) 项），社区拒绝未准入事项 \(s.pushes) 项，经费到位登记 \(s.funds) 笔。"
    }
}

public enum DemoAdmission {
    public struct Summary: Sendable { public var tasks = 0, admitted = 0, pushes = 0, funds = 0 }

    enum Outcome { case admitted, returnedThenAdmitted, refusedAtReview, refusedAtDecision, submitted, reviewed, draft }

    struct Spec {
        let dept: String, kind: AdmissionTaskKind, title: String, basis: String, frequency: AdmissionFrequency
        let fundsYuan: Int64, staff: String, power: String, outcome: Outcome
    }

    static let specs: [Spec] = [
        Spec(dept: "MZ", kind: .data, title: "困难群众基本信息季度报表", basis: "《社会救助暂行办法》", frequency: .quarterly, fundsYuan: 2000, staff: "每社区每季度约8个工时", power: "", outcome: .admitted),
        Spec(dept: "WJ", kind: .data, title: "65岁以上老年人健康管理名单报送", basis: "《国家基本公共卫生服务规范》", frequency: .yearly, fundsYuan: 3000, staff: "社区卫生服务站协助", power: "", outcome: .admitted),
        Spec(dept: "TJ", kind: .data, title: "人口变动情况抽样调查入户登记", basis: "《中华人民共和国统计法》", frequency: .yearly, fundsYuan: 5000, staff: "区统计局派调查员2名", power: "", outcome: .returnedThenAdmitted),
        Spec(dept: "RS", kind: .data, title: "就业失业登记月报", basis: "《就业服务与就业管理规定》", frequency: .monthly, fundsYuan: 6000, staff: "每社区配备公益性岗位1名", power: "就业失业登记证受理", outcome: .admitted),
        Spec(dept: "TY", kind: .service, title: "退役军人服务站信息采集与走访", basis: "《退役军人保障法》", frequency: .quarterly, fundsYuan: 10000, staff: "服务站专职人员1名", power: "", outcome: .admitted),
        Spec(dept: "CL", kind: .service, title: "残疾人基本服务状况和需求动态更新", basis: "《残疾人保障法》、省残联通知", frequency: .yearly, fundsYuan: 4000, staff: "残疾人专职委员", power: "", outcome: .admitted),
        Spec(dept: "YJ", kind: .check, title: "社区消防安全检查考核", basis: "《消防法》第三十二条", frequency: .halfYearly, fundsYuan: 0, staff: "", power: "", outcome: .admitted),
        Spec(dept: "WM", kind: .check, title: "文明城市创建测评社区点位考核", basis: "区创建全国文明城市工作方案", frequency: .yearly, fundsYuan: 8000, staff: "", power: "", outcome: .admitted),
        Spec(dept: "WM", kind: .plaque, title: "新时代文明实践站挂牌", basis: "省新时代文明实践中心建设实施意见", frequency: .once, fundsYuan: 0, staff: "", power: "", outcome: .admitted),
        Spec(dept: "SJ", kind: .plaque, title: "食品安全宣传站挂牌", basis: "区食安委工作要点", frequency: .once, fundsYuan: 0, staff: "", power: "", outcome: .refusedAtDecision),
        Spec(dept: "CG", kind: .service, title: "垃圾分类督导员管理", basis: "《生活垃圾管理条例》", frequency: .monthly, fundsYuan: 12000, staff: "每社区督导员2名（区城管局购买服务）", power: "垃圾分类劝导", outcome: .admitted),
        Spec(dept: "CG", kind: .check, title: "市容环境卫生月度考核", basis: "区城市管理考核办法", frequency: .monthly, fundsYuan: 0, staff: "", power: "", outcome: .refusedAtReview),
        Spec(dept: "ZJ", kind: .data, title: "老旧小区改造意愿摸底表", basis: "区老旧小区改造三年行动计划", frequency: .once, fundsYuan: 1500, staff: "", power: "", outcome: .returnedThenAdmitted),
        Spec(dept: "SW", kind: .service, title: "防汛物资社区储备点管理", basis: "《防洪法》、区防汛预案", frequency: .yearly, fundsYuan: 3000, staff: "", power: "", outcome: .admitted),
        Spec(dept: "HB", kind: .plaque, title: "生态环境监督站挂牌", basis: "区生态环境分局通知", frequency: .once, fundsYuan: 0, staff: "", power: "", outcome: .refusedAtReview),
        Spec(dept: "GA", kind: .data, title: "出租房屋流动人口信息季报", basis: "《居住证暂行条例》", frequency: .quarterly, fundsYuan: 3000, staff: "社区民警协助", power: "", outcome: .admitted),
        Spec(dept: "MZ", kind: .service, title: "社区养老服务需求评估协助", basis: "《老年人权益保障法》", frequency: .asNeeded, fundsYuan: 5000, staff: "", power: "", outcome: .admitted),
        Spec(dept: "WJ", kind: .check, title: "爱国卫生运动季度检查", basis: "区爱卫会工作方案", frequency: .quarterly, fundsYuan: 0, staff: "", power: "", outcome: .refusedAtDecision),
        Spec(dept: "RS", kind: .service, title: "城乡居民养老保险参保动员", basis: "《社会保险法》", frequency: .yearly, fundsYuan: 2000, staff: "", power: "", outcome: .reviewed),
        Spec(dept: "TJ", kind: .data, title: "经济普查单位清查底册核对", basis: "《全国经济普查条例》", frequency: .once, fundsYuan: 4000, staff: "区统计局派普查指导员", power: "", outcome: .submitted),
        Spec(dept: "TY", kind: .plaque, title: "退役军人之家挂牌", basis: "省退役军人事务厅通知", frequency: .once, fundsYuan: 0, staff: "", power: "", outcome: .returnedThenAdmitted),
        Spec(dept: "CL", kind: .data, title: "残疾人辅助器具需求统计", basis: "区残联年度工作要点", frequency: .yearly, fundsYuan: 1000, staff: "", power: "", outcome: .draft),
        Spec(dept: "YJ", kind: .service, title: "社区应急避难场所日常维护", basis: "《突发事件应对法》", frequency: .monthly, fundsYuan: 6000, staff: "", power: "避难场所管理", outcome: .admitted),
        Spec(dept: "SJ", kind: .data, title: "社区食品经营户台账", basis: "区市场监管局通知", frequency: .quarterly, fundsYuan: 0, staff: "", power: "", outcome: .refusedAtReview),
    ]

    static let pushTitles: [(String, String)] = [("CG", "临时上报沿街商铺门头招牌统计表"), ("WM", "创建迎检材料三天内报送"), ("SJ", "电动自行车经营户摸排"),
                                                 ("HB", "秸秆焚烧巡查台账"), ("WJ", "疫苗接种动员日报"), ("ZJ", "房屋安全隐患排查表"),
                                                 ("GA", "反诈宣传入户签名表"), ("TJ", "企业名录临时核对")]

    public static func load(on db: any Database, seed: UInt64, today: CivilDate, now at: Int64) async throws -> Summary {
        var rng = SeededRandom(seed: seed ^ 0xAD15_5102)
        let divisions = try await DivisionQueries(db).all(in: .everything)
        let communities = divisions.filter { $0.level == .community }.map(\.code)
        let streets = divisions.filter { $0.level == .street }.map(\.code)
        var s = Summary()
        var tasks = BulkInsert("admission_tasks", AdmissionQueries.taskColumns)
        var reach = BulkInsert("admission_task_communities", ["task_id", "community_code"])
        var steps = BulkInsert("admission_steps", ["id", "task_id", "action", "version", "note", "by_user", "at"])
        var funds = BulkInsert("admission_funds", ["id", "task_id", "community_code", "year", "amount_fen", "received_on", "recorded_by", "created_at"])
        var pushes = BulkInsert("admission_pushes", AdmissionQueries.pushColumns)
        var batches: [BulkInsert.Batch] = []
        let yearStart = CivilDate(year: today.year, month: 1, day: 1)!
        let sinceYearStart = max(0, today.dayNumber - yearStart.dayNumber)
        for (i, spec) in specs.enumerated() {
            let id = rng.uuid()
            let created = today.adding(days: -(350 - i * 13))
            let t0 = at - Int64(today.dayNumber - created.dayNumber) * 86_400
            let from = created.adding(days: 20), to = CivilDate(year: created.year + 2, month: 12, day: 31)!
            let applicant = "dept-\(spec.dept.lowercased())", reviewer = "mzj-chushen", decider = "lingdaoxiaozu"
            var trail: [(AdmissionAction, String?, String)] = []
            var status = AdmissionStatus.draft, note: String? = nil
            switch spec.outcome {
            case .admitted: trail = [(.submit, nil, applicant), (.pass, "依据充分，同意报审定", reviewer), (.admit, "按清单执行，不得另行增加报表", decider)]
            case .returnedThenAdmitted:
                trail = [(.submit, nil, applicant), (.sendBack, "请补充随事转经费和工作量测算", reviewer), (.edit, nil, applicant), (.submit, nil, applicant),
                         (.pass, "已补充，同意报审定", reviewer), (.admit, "同意准入", decider)]
            case .refusedAtReview: trail = [(.submit, nil, applicant), (.refuse, "无法律法规依据，属部门职责范围，不得转嫁社区", reviewer)]
            case .refusedAtDecision: trail = [(.submit, nil, applicant), (.pass, "提请审定", reviewer), (.refuse, "与已准入事项重复，精简合并", decider)]
            case .submitted: trail = [(.submit, nil, applicant)]
            case .reviewed: trail = [(.submit, nil, applicant), (.pass, "同意报审定", reviewer)]
            case .draft: trail = []
            }
            var reviewedBy: String? = nil, decidedBy: String? = nil, decidedOn: String? = nil
            for (k, step) in trail.enumerated() {
                if let move = AdmissionWorkflow.move(step.0, from: status) { status = move.to }
                if step.0 != .submit, step.0 != .edit { note = step.1 }
                if step.0 == .pass { reviewedBy = step.2 }
                if status == .admitted || status == .refused { decidedBy = step.2; decidedOn = created.adding(days: 3 + k * 2).description }
                steps.add([rng.uuid(), id, step.0.rawValue, k + 2, step.1, step.2, t0 + Int64(k) * 2 * 86_400])
            }
            let kind: AdmissionReach = i % 5 == 3 ? .street : (i % 7 == 5 ? .list : .district)
            let street: String? = kind == .street ? streets[i % max(1, streets.count)] : nil
            let applies: [String]
            switch kind {
            case .district: applies = communities
            case .street: applies = communities.filter { $0.hasPrefix(String((street ?? "").prefix(9))) }
            case .list: applies = Array(communities.prefix(6))
            }
            tasks.add([id, spec.dept, spec.kind.rawValue, spec.title, status.rawValue, from.description, to.description, trail.count + 1, applicant, t0,
                       "\(spec.title)：由村/社区按\(spec.frequency.label)完成，部门提供表式和业务指导。", spec.basis, kind.rawValue, street, spec.frequency.rawValue,
                       spec.staff, spec.fundsYuan * 100, spec.power, note, reviewedBy, decidedBy, decidedOn, t0 + Int64(trail.count) * 2 * 86_400])
            for c in applies {
                reach.add([id, c])
                if reach.isFull, let b = reach.take() { batches.append(b) }
            }
            s.tasks += 1
            guard status == .admitted else { continue }
            s.admitted += 1
            guard spec.fundsYuan > 0 else { continue }
            for c in applies {
                let roll = rng.int(0...99)
                guard roll < 92 else { continue }
                let amount = roll < 85 ? spec.fundsYuan * 100 : spec.fundsYuan * 50
                let on = yearStart.adding(days: rng.int(0...sinceYearStart))
                funds.add([rng.uuid(), id, c, today.year, amount, on.description, "demo", at])
                if funds.isFull, let b = funds.take() { batches.append(b) }
                s.funds += 1
            }
        }
        let departments = Set(DefaultRequestCategories.departments.map(\.code) + AdmissionDepartments.added.map(\.code))
        for (n, c) in communities.enumerated() where n % 4 == 1 {
            for _ in 0..<rng.int(1...2) {
                let (dept, title) = pushTitles[rng.int(0...(pushTitles.count - 1))]
                guard departments.contains(dept) else { continue }
                let on = yearStart.adding(days: rng.int(0...sinceYearStart))
                pushes.add([rng.uuid(), c, dept, title, on.description, AdmissionChannel.allCases[rng.int(0...3)].rawValue, "未列入准入清单，已告知部门", "demo", at])
                s.pushes += 1
            }
        }
        // The tasks go first: the other tables refer to them.
        if let b = tasks.take() { batches.insert(b, at: 0) }
        for b in [reach.take(), steps.take(), funds.take(), pushes.take()] { if let b { batches.append(b) } }
        try await db.writeTransaction(bulk: true) { [batches] db in
            for b in batches { try await b.run(on: db) }
            try await AuditLog.append([AuditEvent(AdmissionAudit.demoLoad, target: .table("admission_tasks"))], by: .system("demo"), on: db)
        }
        return s
    }
}
