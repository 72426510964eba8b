import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 社工队伍 in the demo district: about 400 workers — in each community a 书记, a 主任, a 副主任, a 委员, a 社工, a 网格员
/// and sometimes one more, and two staff in each street — mostly 专职 or 聘用, about a third holding an assistant or
/// full qualification (registered, some registrations ending within 90 days), exactly 19 with a professional
/// title, training hours for the last two years, appraisals for the last two years (mostly 称职, some 优秀, a few
/// 基本称职, two 不称职 last year), the district's scale of 3 classes × 12 grades, and a reserve list of about 20. The
/// demo's `worker` and `grid` accounts are linked to a 社工 and a 网格员 of 寺巷社区. Deterministic; one transaction.
public struct WorkersDemo: DemoStep {
    public init() {}

    public func load(_ demo: DemoContext) async throws -> String? {
        let s = try await DemoWorkers.load(on: demo.db, cipher: demo.cipher, seed: demo.seed, today: demo.today, now: demo.now)
        return "社区工作者：\(s.workers) 人（持证 \(s.qualified) 人，具备专业技术职称 \(s.titled) 人），后备干部 \(s.reserves) 人。"
    }
}

public enum DemoWorkers {
    public struct Summary: Sendable { public var workers = 0, qualified = 0, titled = 0, reserves = 0 }

    static let surnames = Array("王李张刘陈杨黄赵周吴徐孙朱马胡郭林何高罗郑梁谢宋唐许韩冯邓曹彭曾")
    static let given = ["建国", "秀英", "桂芳", "志强", "海燕", "春梅", "卫东", "丽娟", "国平", "红霞", "德明", "玉兰", "晓明", "静", "磊", "婷婷",
                        "文华", "亚萍", "俊杰", "雪梅", "伟", "慧敏", "浩", "佳怡", "立新", "小燕", "永刚", "凤英"]
    public static let titledCount = 19

    public static func load(on db: any Database, cipher: PersonalDataCipher, seed: UInt64, today: CivilDate, now: Int64) async throws -> Summary {
        let sql = SQLHelpers.sql(db)
        var rng = SeededRandom(seed: seed ^ 0x5E6_0C1A1)
        let divisions = try await sql.select().columns("code", "level").from(Division.schema)
            .where("level", .in, SQLBind.group([DivisionLevel.community.rawValue, DivisionLevel.street.rawValue])).orderBy("code").all()
            .map { (code: try $0.decode(column: "code", as: String.self), street: try $0.decode(column: "level", as: String.self) == DivisionLevel.street.rawValue) }
        var s = Summary()
        var workers = BulkInsert("workers", ["id", "name", "name_initials", "post", "employment", "division_code", "street_code", "title", "phone_cipher",
                                             "phone_masked", "hired_on", "registration_no", "registered_on", "registration_valid_to", "qualification", "titled",
                                             "account_username", "version", "created_by", "created_at", "updated_at"])
        var quals = BulkInsert("worker_qualifications", ["id", "worker_id", "level", "certificate_no", "obtained_on", "recorded_by", "created_at"])
        var training = BulkInsert("worker_training", ["worker_id", "year", "hours", "recorded_by", "updated_at"])
        var appraisals = BulkInsert("worker_appraisals", ["id", "worker_id", "year", "scores", "mean_tenths", "result", "recorded_by", "created_at"])
        var reserves = BulkInsert("worker_reserves", ["id", "worker_id", "level", "listed_on", "listed_by", "reason", "created_at"])

        // Who is in each division, with the posts in order.
        var people: [(division: String, post: WorkerPost)] = []
        for d in divisions {
            if d.street {
                people += [(d.code, .socialWorker), (d.code, .socialWorker)]
            } else {
                people += [(d.code, .secretary), (d.code, .director), (d.code, .deputyDirector), (d.code, .member)]
                people += [(d.code, .socialWorker), (d.code, .gridWorker)]
                if rng.chance(0.5) { people.append((d.code, rng.chance(0.5) ? .socialWorker : .gridWorker)) }
            }
        }
        // Qualifications: about a third; the titled 19 among those holding one.
        var levels: [QualificationLevel?] = people.map { _ in
            let x = rng.int(0...99)
            return x < 22 ? .assistant : x < 32 ? .full : x < 34 ? .senior : nil
        }
        let holders = levels.indices.filter { levels[$0] != nil }
        var titled = Set<Int>()
        while titled.count < min(titledCount, holders.count) { titled.insert(holders[rng.int(0...(holders.count - 1))]) }
        if holders.isEmpty { levels[0] = .assistant }
        let linked = ["worker": people.firstIndex { $0.division == "321271002001" && $0.post == .socialWorker },
                      "grid": people.firstIndex { $0.division == "321271002001" && $0.post == .gridWorker }]
        // Two 不称职 last year, chosen outright: a share this small would come out as none or several by chance.
        var incompetent = Set<Int>()
        while incompetent.count < min(2, people.count) { incompetent.insert(rng.int(0...(people.count - 1))) }
        var ids: [UUID] = []
        for (i, p) in people.enumerated() {
            let id = UUID()
            ids.append(id)
            let name = String(surnames[rng.int(0...(surnames.count - 1))]) + given[rng.int(0...(given.count - 1))]
            let x = rng.int(0...99)
            let form: EmploymentForm = x < 60 ? .fullTime : x < 95 ? .contract : x < 97 ? .dispatched : x < 99 ? .project : .entrusted
            let phone = "139" + String(format: "%08d", rng.int(0...99_999_999))
            let hired = today.adding(days: -rng.int(200...(365 * 15)))
            let level = levels[i]
            var regNo: String?, regOn: String?, validTo: String?
            if let level {
                let obtained = max(WorkerRules.firstExam, today.adding(days: -rng.int(100...(365 * 8))))
                quals.add([UUID(), id, level.rawValue, "ZS\(obtained.year)\(String(format: "%06d", rng.int(0...999_999)))", obtained.description, "demo", now])
                if level != .assistant {
                    quals.add([UUID(), id, QualificationLevel.assistant.rawValue, "ZS\(obtained.year - 2)\(String(format: "%06d", rng.int(0...999_999)))",
                               obtained.adding(days: -730).description, "demo", now])
                }
                // 注册 for three years; about one in eight ends within 90 days.
                let ends = rng.chance(0.12) ? today.adding(days: rng.int(5...85)) : today.adding(days: rng.int(120...1000))
                regNo = "JS\(String(format: "%08d", rng.int(0...99_999_999)))"; regOn = ends.adding(days: -1095).description; validTo = ends.description
                s.qualified += 1
            }
            let title: String? = titled.contains(i) ? (level == .senior ? "高级社工师" : level == .full ? "社工师" : "助理社工师") : nil
            if title != nil { s.titled += 1 }
            let account = linked.first { $0.value == i }?.key
            workers.add([id, name, Pinyin.reading(ofName: name).initials, p.post.rawValue, form.rawValue, p.division, String(p.division.prefix(9)), title,
                         try cipher.seal(phone), Masking.phone(phone), hired.description, regNo, regOn, validTo, level?.rawValue, title != nil, account, 1,
                         "demo", now, now])
            for year in [today.year - 2, today.year - 1] {
                training.add([id, year, rng.int(24...120), "demo", now])
                let x = rng.int(0...999)
                // Bands: 优秀 about 15 %, 基本称职 about 4 %, the rest 称职 (and the two 不称职 of last year).
                let last = year == today.year - 1
                let base = last && incompetent.contains(i) ? rng.int(50...56) : x < 150 ? rng.int(90...96) : x < 190 ? rng.int(62...72) : rng.int(77...87)
                let scores = (0..<rng.int(3...5)).map { _ in min(100, max(0, base + rng.int(-1...1))) }
                let result = AppraisalRules.result(mean: AppraisalRules.mean(scores))
                appraisals.add([UUID(), id, year, scores.map(String.init).joined(separator: ","), Int((AppraisalRules.mean(scores) * 10).rounded()),
                                result.rawValue, "demo", now])
            }
        }
        // The reserve lists: 16 on the streets' lists, 4 of them also on the district's.
        let young = people.indices.filter { people[$0].post == .deputyDirector || people[$0].post == .member || people[$0].post == .socialWorker }
        var chosen = Set<Int>()
        while chosen.count < min(16, young.count) { chosen.insert(young[rng.int(0...(young.count - 1))]) }
        for (n, i) in chosen.sorted().enumerated() {
            let listed = today.adding(days: -rng.int(30...700))
            reserves.add([UUID(), ids[i], ReserveLevel.street.rawValue, listed.description, "demo", "年纪轻、成绩突出，年度考核称职以上", now])
            if n % 4 == 0 {
                reserves.add([UUID(), ids[i], ReserveLevel.district.rawValue, listed.adding(days: 20).description, "demo", "街道推荐，区民政局研究列入", now])
            }
            s.reserves += 1
        }
        s.workers = people.count
        let scale = DemoWorkers.scale
        let summary = s
        try await db.writeTransaction(bulk: true) { [workers, quals, training, appraisals, reserves] db in
            for var b in [workers, quals, training, appraisals, reserves] { try await b.flush(on: db) }
            let sql = SQLHelpers.sql(db)
            for c in PostClass.allCases {
                for (i, fen) in scale.grades[c]!.enumerated() {
                    try await sql.insert(into: "worker_pay_grades").columns("post_class", "grade", "monthly_fen").values(SQLBind(c.rawValue), SQLBind(i + 1), SQLBind(Int64(fen))).run()
                }
            }
            for r in GradeStepReason.allCases {
                try await sql.insert(into: "worker_grade_steps").columns("reason", "steps").values(SQLBind(r.rawValue), SQLBind(scale.steps[r]!)).run()
            }
            try await AuditLog.append([AuditEvent(WorkersAudit.demoLoad, target: .table("workers"), detail: ["workers": String(summary.workers)])],
                                      by: .system("demo"), on: db)
        }
        return s
    }

    /// 3 classes × 12 grades: 正职 from 5,200 yuan, 副职 from 4,600, 工作人员 from 3,800 a month, in even steps.
    public static let scale = PayScale(grades: [
        .head: (0..<12).map { 520_000 + 30_000 * $0 },
        .deputy: (0..<12).map { 460_000 + 26_000 * $0 },
        .staff: (0..<12).map { 380_000 + 22_000 * $0 },
    ], steps: PayScale.defaultSteps)
}
