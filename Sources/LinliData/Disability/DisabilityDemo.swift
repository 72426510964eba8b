import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 助残康复's part of the demo district: about 6 % of living residents hold a card, older people more often;
/// 肢体残疾 the most common category and 三、四级 the most common grades. Nearly every holder is assessed; a few new
/// holders are past their 30 days. About half had rehabilitation in the last year (community, home, institution),
/// some got devices. The tag 残疾人 follows the cards. Runs before 社会救助's demo, whose disability subsidies pick
/// the tagged people. Deterministic from the seed; bulk inserts in one write transaction.
public struct DisabilityDemo: DemoStep {
    public init() {}

    public func load(_ demo: DemoContext) async throws -> String? {
        let started = Date()
        let s = try await DemoDisability.load(on: demo.db, cipher: demo.cipher, seed: demo.seed, today: demo.today, now: demo.now)
        return String(format: "助残康复：持证残疾人 %d 人（已评估 %d 人，逾期未评估 %d 人），康复服务 %d 人次，辅助器具 %d 件，用时 %.1f 秒。",
                      s.cards, s.assessed, s.overdue, s.services, s.devices, Date().timeIntervalSince(started))
    }
}

public enum DemoDisability {
    public struct Summary: Sendable { public var cards = 0, assessed = 0, overdue = 0, services = 0, devices = 0 }

    static let categories: [(DisabilityCategory, Double)] = [(.physical, 0.48), (.hearing, 0.11), (.vision, 0.10), (.mental, 0.12),
                                                             (.intellectual, 0.09), (.multiple, 0.08), (.speech, 0.02)]
    static let grades: [(DisabilityGrade, Double)] = [(.one, 0.10), (.two, 0.18), (.three, 0.30), (.four, 0.42)]
    static let assessors = ["王芳", "李强", "张敏", "刘洋", "陈静", "杨帆", "赵丽", "周杰"]

    static func deviceChoices(_ c: DisabilityCategory) -> [String] {
        switch c {
        case .physical: return ["轮椅", "助行器", "拐杖", "假肢"]
        case .vision: return ["盲杖", "助视器", "读屏软件"]
        case .hearing: return ["助听器"]
        case .speech: return ["沟通板"]
        default: return ["护理床", "防走失定位器"]
        }
    }

    static func needs(_ c: DisabilityCategory, _ g: DisabilityGrade, _ age: Int, _ rng: inout SeededRandom) -> [DisabilityNeed] {
        var n: [DisabilityNeed] = [.rehabTraining]
        if [.physical, .vision, .hearing].contains(c) && rng.chance(0.5) { n.append(.assistiveDevice) }
        if g.isSevere && rng.chance(0.6) { n.append(.care) }
        if (18...59).contains(age) && !g.isSevere && rng.chance(0.35) { n.append(.employment) }
        if age < 18 { n.append(.education) }
        if rng.chance(0.3) { n.append(.livingSubsidy) }
        if c == .physical && rng.chance(0.1) { n.append(.accessibility) }
        return n
    }

    struct Holder { var id: UUID; var grid: String; var age: Int }

    public static func load(on db: any Database, cipher: PersonalDataCipher, seed: UInt64, today: CivilDate, now: Int64) async throws -> Summary {
        let sql = SQLHelpers.sql(db)
        var pick = SeededRandom(seed: seed ^ 0x4449_5341_424C)
        // Older people are more often disabled: weights by age, scaled so that about 6 % hold a card.
        func weight(_ age: Int) -> Double { age < 18 ? 0.3 : age < 45 ? 0.6 : age < 60 ? 1.0 : age < 80 ? 1.9 : 3.4 }
        let people = try await sql.select().columns("id", "grid_code", "birth_date").from(Resident.schema)
            .where("life_status", .equal, SQLBind(LifeStatus.active.rawValue)).orderBy("id").all().map { row in
                Holder(id: try row.decode(column: "id", as: UUID.self), grid: try row.decode(column: "grid_code", as: String.self),
                       age: CivilDate(try row.decode(column: "birth_date", as: String.self)).map { $0.age(on: today) } ?? 40)
            }
        guard !people.isEmpty else { return Summary() }
        let scale = 0.06 * Double(people.count) / people.reduce(0) { $0 + weight($1.age) }
        var chosen = people.filter { pick.chance(min(1, weight($0.age) * scale)) }
        // 寺巷社区, where the demo accounts work, always has a few holders, the first of them overdue for assessment,
        // however small the district.
        let showcase = "321271002001"
        let shown = Set(chosen.filter { $0.grid.hasPrefix(showcase) }.map(\.id))
        let extra = people.filter { $0.grid.hasPrefix(showcase) && !shown.contains($0.id) }.prefix(max(0, 6 - shown.count))
        chosen += extra
        let holders = chosen
        let overdueShown = extra.first?.id ?? holders.first { $0.grid.hasPrefix(showcase) }?.id
        var idNumbers: [UUID: String] = [:]
        for start in stride(from: 0, to: holders.count, by: 500) {
            let chunk = holders[start..<min(start + 500, holders.count)].map(\.id)
            for row in try await sql.select().columns("id", "id_cipher").from(Resident.schema).where("id", .in, SQLBind.group(chunk)).all() {
                idNumbers[try row.decode(column: "id", as: UUID.self)] = try cipher.open(try row.decode(column: "id_cipher", as: Data.self))
            }
        }
        let numbers = idNumbers
        return try await db.writeTransaction(bulk: true) { db in
            var s = Summary()
            var rng = SeededRandom(seed: seed ^ 0x5245_4841_4249)
            var cards = BulkInsert("disability_cards", ["id", "resident_id", "grid_code", "category", "grade", "number_cipher", "number_index", "number_masked",
                                                        "issued_on", "valid_until", "registered_on", "status", "last_assessed_on", "rehab_until", "version",
                                                        "updated_by", "created_at", "updated_at"])
            var assessments = BulkInsert("disability_assessments", ["id", "card_id", "assessed_on", "assessor", "needs", "result", "note", "recorded_by", "created_at"])
            var services = BulkInsert("disability_services", ["id", "card_id", "setting", "provider", "started_on", "ended_on", "sessions", "hours", "outcome",
                                                              "recorded_by", "created_at"])
            var devices = BulkInsert("disability_devices", ["id", "card_id", "device", "issued_on", "source", "recorded_by", "created_at"])
            func flush(_ force: Bool) async throws {
                guard force || cards.isFull || assessments.isFull || services.isFull || devices.isFull else { return }
                try await cards.flush(on: db)
                try await assessments.flush(on: db)
                try await services.flush(on: db)
                try await devices.flush(on: db)
            }
            for p in holders {
                guard let idNumber = numbers[p.id] else { continue }
                let id = rng.uuid()
                let category = rng.weighted(categories), grade = rng.weighted(grades)
                let number = DisabilityCardNumber.expected(idNumber: idNumber, category: category, grade: grade)
                // About 2 % were registered in the last 90 days; the rest over the last ten years.
                let recent = rng.chance(0.02)
                let registered = p.id == overdueShown ? today.adding(days: -40) : today.adding(days: -(recent ? rng.int(1...90) : rng.int(91...3650)))
                let issued = registered.adding(days: -rng.int(0...20))
                let assessed: CivilDate? = {
                    if p.id == overdueShown { return nil }
                    if recent && rng.chance(0.4) { return nil }
                    if !recent && rng.chance(0.004) { return nil }
                    let d = registered.adding(days: rng.int(2...28))
                    return d > today ? today : d
                }()
                var rehabUntil: String?
                var serviceRows: [[any Encodable & Sendable]] = []
                if let assessed, rng.chance(0.52) {
                    let setting = rng.weighted([(RehabSetting.community, 0.5), (.home, 0.3), (.institution, 0.2)])
                    let provider = setting == .institution ? "区残疾人康复中心" : setting == .community ? "社区康复站" : "家庭医生签约团队"
                    let start = max(assessed, today.adding(days: -rng.int(30...700)))
                    let ongoing = rng.chance(0.4)
                    let end: CivilDate? = ongoing ? nil : min(today, start.adding(days: rng.int(30...180)))
                    let sessions = rng.int(6...48)
                    serviceRows.append([rng.uuid(), id, setting.rawValue, provider, start.description, end?.description, sessions, nil as Int?,
                                        rng.weighted([("功能有所改善", 0.6), ("维持现状", 0.3), ("明显改善", 0.1)]), "(demo)", now])
                    rehabUntil = end?.description ?? "9999-12-31"
                }
                let status = DisabilityCardStatus.active.rawValue
                let sealed = try cipher.seal(number)
                cards.add([id, p.id, p.grid, category.rawValue, grade.rawValue, sealed, cipher.blindIndex(number),
                           DisabilityCardNumber.masked(number), issued.description, issued.adding(days: 3652).description, registered.description, status,
                           assessed?.description, rehabUntil, 1, "(demo)", now, now])
                s.cards += 1
                if let assessed {
                    let needs = Self.needs(category, grade, p.age, &rng)
                    let result = rng.weighted([(AssessmentResult.services, 0.7), (.referred, 0.12), (.noNeed, 0.18)])
                    assessments.add([rng.uuid(), id, assessed.description, rng.weighted(assessors.map { ($0, 1.0) }),
                                     result == .noNeed ? "" : needs.map(\.rawValue).joined(separator: ","), result.rawValue, nil as String?, "(demo)", now])
                    s.assessed += 1
                } else if today > DisabilityRules.assessmentDue(registeredOn: registered) {
                    s.overdue += 1
                }
                for row in serviceRows { services.add(row); s.services += 1 }
                if assessed != nil, rng.chance(0.15) {
                    let choices = Self.deviceChoices(category)
                    devices.add([rng.uuid(), id, choices[rng.int(0...(choices.count - 1))], today.adding(days: -rng.int(10...900)).description,
                                 rng.weighted([(DeviceSource.government, 0.7), (.mixed, 0.15), (.donation, 0.1), (.selfPaid, 0.05)]).rawValue, "(demo)", now])
                    s.devices += 1
                }
                try await flush(false)
            }
            try await flush(true)
            try await FollowedTags.addBulk(.disabled, to: holders.map(\.id), on: db)
            try await AuditLog.append([AuditEvent(DisabilityAudit.demoLoad, detail: ["cards": String(s.cards)])], by: .system("demo"), on: db)
            return s
        }
    }
}
