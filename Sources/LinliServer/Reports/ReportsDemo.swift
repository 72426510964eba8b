import FluentKit
import Foundation
import LinliCore
import LinliData

/// 一表通 in the demo district: six forms modelled on what departments ask of communities, each under an
/// admitted 数据报表 task; returns from most communities (their automatic values computed once per form for
/// all communities, as the side-by-side page does), a few sent back for correction, the rest still open.
/// A field whose measure is not in the catalogue is left out of the form.
struct ReportsDemo: DemoStep {
    typealias F = ReportField

    static let forms: [(department: String, title: String, fields: [ReportField])] = [
        ("MZ", "老年人基本情况调查", [
            F(header: "户籍户数", kind: .measure, measure: "registry.households"),
            F(header: "60周岁以上老年人（人）", kind: .measure, measure: "registry.residents", filters: ["age_min": "60"]),
            F(header: "其中男性", kind: .measure, measure: "registry.residents", filters: ["age_min": "60", "sex": "male"]),
            F(header: "其中女性", kind: .measure, measure: "registry.residents", filters: ["age_min": "60", "sex": "female"]),
            F(header: "80周岁以上高龄老人", kind: .measure, measure: "registry.residents", filters: ["age_min": "80"]),
            F(header: "独居老人", kind: .measure, measure: "care.elders", filters: ["living_alone": "true"]),
            F(header: "低保户数（参考）", kind: .measure, measure: "assistance.dibao_households"),
            F(header: "空巢老人", kind: .measure, measure: "registry.residents", filters: ["tag": "empty_nest"]),
            F(header: "独居老人名单", kind: .list, measure: "care.elders_roll", filters: ["living_alone": "true"]),
            F(header: "老年人助餐点就餐人次（本月）", kind: .number),
        ]),
        ("MZ", "残疾人名册", [
            F(header: "持证残疾人（人）", kind: .measure, measure: "disability.cardholders"),
            F(header: "肢体残疾", kind: .measure, measure: "disability.cardholders", filters: ["kind": "physical"]),
            F(header: "视力残疾", kind: .measure, measure: "disability.cardholders", filters: ["kind": "vision"]),
            F(header: "一级残疾", kind: .measure, measure: "disability.cardholders", filters: ["grade": "1"]),
            F(header: "登记为残疾人的居民", kind: .measure, measure: "registry.residents", filters: ["tag": "disabled"]),
            F(header: "其中60周岁以上", kind: .measure, measure: "registry.residents", filters: ["tag": "disabled", "age_min": "60"]),
            F(header: "低保人数（参考）", kind: .measure, measure: "assistance.dibao_persons"),
            F(header: "残疾人名册", kind: .list, measure: "disability.roll"),
            F(header: "男性残疾人", kind: .measure, measure: "registry.residents", filters: ["tag": "disabled", "sex": "male"]),
            F(header: "社区康复站服务人次", kind: .number),
        ]),
        ("MZ", "退役军人名册", [
            F(header: "退役军人（人）", kind: .measure, measure: "registry.residents", filters: ["tag": "veteran"]),
            F(header: "其中60周岁以上", kind: .measure, measure: "registry.residents", filters: ["tag": "veteran", "age_min": "60"]),
            F(header: "其中男性", kind: .measure, measure: "registry.residents", filters: ["tag": "veteran", "sex": "male"]),
            F(header: "其中女性", kind: .measure, measure: "registry.residents", filters: ["tag": "veteran", "sex": "female"]),
            F(header: "其中80周岁以上", kind: .measure, measure: "registry.residents", filters: ["tag": "veteran", "age_min": "80"]),
            F(header: "其中18至59周岁", kind: .measure, measure: "registry.residents", filters: ["tag": "veteran", "age_min": "18", "age_max": "59"]),
            F(header: "其中户籍人口", kind: .measure, measure: "registry.residents", filters: ["tag": "veteran", "residence_status": "registered"]),
            F(header: "其中流动人口", kind: .measure, measure: "registry.residents", filters: ["tag": "veteran", "residence_status": "floating"]),
            F(header: "退役军人名册", kind: .list, measure: "registry.veterans_roll"),
            F(header: "走访慰问户次（本季度）", kind: .number),
        ]),
        ("YJ", "疫情防控人员统计", [
            F(header: "常住人口", kind: .measure, measure: "registry.residents"),
            F(header: "户籍人口", kind: .measure, measure: "registry.residents", filters: ["residence_status": "registered"]),
            F(header: "流动人口", kind: .measure, measure: "registry.residents", filters: ["residence_status": "floating"]),
            F(header: "60周岁以上老年人", kind: .measure, measure: "registry.residents", filters: ["age_min": "60"]),
            F(header: "80周岁以上老年人", kind: .measure, measure: "registry.residents", filters: ["age_min": "80"]),
            F(header: "3周岁以下婴幼儿", kind: .measure, measure: "registry.residents", filters: ["age_max": "2"]),
            F(header: "独居老人", kind: .measure, measure: "registry.residents", filters: ["tag": "living_alone"]),
            F(header: "残疾人", kind: .measure, measure: "registry.residents", filters: ["tag": "disabled"]),
            F(header: "户数", kind: .measure, measure: "registry.households"),
            F(header: "社区防控物资储备是否充足", kind: .text),
        ]),
        ("CG", "网格事件季报", [
            F(header: "本季度受理事件（件）", kind: .measure, measure: "requests.received", filters: ["period": "quarter"]),
            F(header: "按时办结", kind: .measure, measure: "requests.closed_on_time", filters: ["period": "quarter"]),
            F(header: "本年受理事件", kind: .measure, measure: "requests.received", filters: ["period": "year"]),
            F(header: "本年按时办结", kind: .measure, measure: "requests.closed_on_time", filters: ["period": "year"]),
            F(header: "常住人口", kind: .measure, measure: "registry.residents"),
            F(header: "户数", kind: .measure, measure: "registry.households"),
            F(header: "流动人口", kind: .measure, measure: "registry.residents", filters: ["residence_status": "floating"]),
            F(header: "登记志愿者", kind: .measure, measure: "volunteers.registered"),
            F(header: "志愿服务时长（小时）", kind: .measure, measure: "volunteers.hours"),
            F(header: "网格员巡查发现问题（件）", kind: .number),
        ]),
        ("MZ", "志愿者统计", [
            F(header: "注册志愿者（人）", kind: .measure, measure: "volunteers.registered"),
            F(header: "志愿服务时长（小时）", kind: .measure, measure: "volunteers.hours"),
            F(header: "常住人口", kind: .measure, measure: "registry.residents"),
            F(header: "18至60周岁居民", kind: .measure, measure: "registry.residents", filters: ["age_min": "18", "age_max": "59"]),
            F(header: "60周岁以上居民", kind: .measure, measure: "registry.residents", filters: ["age_min": "60"]),
            F(header: "退役军人", kind: .measure, measure: "registry.residents", filters: ["tag": "veteran"]),
            F(header: "女性居民", kind: .measure, measure: "registry.residents", filters: ["sex": "female"]),
            F(header: "男性居民", kind: .measure, measure: "registry.residents", filters: ["sex": "male"]),
            F(header: "户数", kind: .measure, measure: "registry.households"),
            F(header: "志愿服务品牌项目名称", kind: .text),
        ]),
    ]

    /// The demo worker's community (`linli demo`'s account `worker`).
    static let workerCommunity = "321271002001"

    /// What a department writes when it sends a return back, by form (the order of `forms`).
    static let comments = [["独居老人人数与上月走访记录不一致，请核实后重报", "助餐人次明显偏高，请核对台账"],
                           ["康复站服务人次与台账不符，请核对后重报"],
                           ["走访慰问户次未填写完整，请补充"],
                           ["请补充填写防控物资储备情况的具体说明"],
                           ["巡查发现问题件数与网格日志不一致，请核实"],
                           ["志愿服务品牌项目名称请填写全称"]]

    /// A community's answer to a typed text field, by what the field asks.
    static func text(for header: String, _ k: Int) -> String {
        let answers = header.contains("品牌") ? ["邻里守望志愿服务队", "银龄互助", "小巷管家"] : ["充足", "基本充足，口罩需补充", "已按要求储备"]
        return answers[k % answers.count]
    }

    /// The form's fields in the catalogue now (a measure not yet contributed is left out).
    static func available(_ fields: [ReportField]) -> [ReportField] {
        fields.filter { f in
            guard let q = f.query else { return true }
            guard let d = Capabilities.measures.definition(q.measure) else { return false }
            return Capabilities.measures.check(q, field: "f").isEmpty && (d.kind == .list) == (f.kind == .list)
        }
    }

    func load(_ demo: DemoContext) async throws -> String? {
        let started = Date()
        let communities = try await DivisionQueries(demo.db).all(level: .community).map(\.code).sorted()
        guard !communities.isEmpty else { return nil }
        let today = demo.today, at = demo.now
        // The end of last month, as departments usually ask.
        let reference = CivilDate(year: today.year, month: today.month, day: 1)?.adding(days: -1) ?? today
        var rng = SeededRandom(seed: demo.seed ^ 0x1B7A_0C0E)
        var submitted = 0, auto = 0, total = 0
        for (n, spec) in Self.forms.enumerated() {
            let fields = Self.available(spec.fields)
            auto += fields.filter { $0.kind.automatic }.count
            total += fields.count
            let task = try await AdmittedTasks.insertAdmitted(department: spec.department, kind: "data", title: spec.title, validFrom: today.adding(days: -60),
                                                              validTo: today.adding(days: 300), communities: communities, by: "demo", on: demo.db)
            let id = rng.uuid()
            try await ReportsDemoWrites.form(on: demo.db, id: id, task: task, department: spec.department, title: spec.title, reference: reference,
                                             due: today.adding(days: 5 + 3 * n), fields: fields, communities: communities, now: { Date(timeIntervalSince1970: Double(at)) })
            let context = MeasureContext(db: demo.db, date: reference, cipher: demo.cipher)
            let indices = fields.indices.filter { fields[$0].kind == .measure }
            let values = try await Capabilities.measures.values(indices.compactMap { fields[$0].query }, communities: communities, context: context)
            var rows: [ReportsDemoWrites.Return] = []
            for (k, c) in communities.enumerated() {
                let roll = rng.int(0...99)
                // The demo worker's community still has most forms to fill, and one sent back.
                let own = c == Self.workerCommunity
                if own && n < Self.forms.count - 1 { continue }
                guard roll < 92 || own else { continue }
                let status: ReturnStatus = own ? .returned : roll < 3 ? .returned : roll < 85 ? .submitted : .draft
                var answers: [String?] = []
                for (i, f) in fields.enumerated() {
                    switch f.kind {
                    case .measure: answers.append(status == .draft ? nil : indices.firstIndex(of: i).map { String(values[$0][c] ?? 0) })
                    case .list: answers.append(nil)
                    case .number: answers.append(String(rng.int(20...400)))
                    case .text: answers.append(Self.text(for: f.header, k))
                    }
                }
                if status == .submitted { submitted += 1 }
                rows.append(.init(community: c, status: status, answers: answers, automaticFields: fields.filter { $0.kind.automatic }.count,
                                  comment: status == .returned ? Self.comments[n][k % Self.comments[n].count] : nil))
            }
            try await ReportsDemoWrites.returns(on: demo.db, form: id, rows, seed: demo.seed &+ UInt64(n), at: at)
        }
        return String(format: "一表通：报表 %d 张（平台自动填报 %d/%d 栏），已报送 %d 份，用时 %.1f 秒。", Self.forms.count, auto, total, submitted,
                      Date().timeIntervalSince(started))
    }
}
