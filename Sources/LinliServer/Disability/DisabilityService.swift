import Foundation
import LinliCore
import LinliData
import Vapor

extension Request {
    /// 助残康复's queries for this request.
    var disability: DisabilityQueries {
        let linli = application.linli
        return DisabilityQueries(db, cipher: linli.cipher, today: linli.today(), residentCache: linli.residentCache, now: linli.now)
    }

    var disabilityActor: DisabilityActor { DisabilityActor(audit: auditActor, scope: registryScope) }
}

/// What the API and the console pages share: inputs as typed, turned into the data layer's calls. Unknown
/// categories, grades, needs, settings and sources are refused at their field.
enum DisabilityService {
    struct CardInput: Decodable {
        var residentId: UUID?
        var cardNumber: String?
        var category: String?
        var grade: Int?
        var issuedOn: String?
        var validUntil: String?
        var version: Int?
    }

    static func card(_ i: CardInput) throws -> DisabilityCardWrite {
        var e = FieldErrors()
        let category = i.category.flatMap(DisabilityCategory.init(rawValue:))
        if i.category != nil && category == nil {
            e.add("category", "未知的残疾类别，可选：\(DisabilityCategory.allCases.map(\.rawValue).joined(separator: "、"))")
        }
        let grade = i.grade.flatMap(DisabilityGrade.init(rawValue:))
        if i.grade != nil && grade == nil { e.add("grade", "残疾等级应为1至4（一级至四级）") }
        guard e.isEmpty else { throw RegistryError.invalid(e.errors) }
        return DisabilityCardWrite(residentId: i.residentId,
                                   card: DisabilityCardInput(number: i.cardNumber ?? "", category: category, grade: grade, issuedOn: i.issuedOn?.trimmedOrNil,
                                                             validUntil: i.validUntil?.trimmedOrNil),
                                   version: i.version)
    }

    struct EndInput: Decodable {
        var version: Int?
        var reason: String?
        var endedOn: String?
    }

    struct AssessmentBody: Decodable {
        var assessedOn: String?
        var assessor: String?
        var needs: [String]?
        var result: String?
        var note: String?
    }

    static func assessment(_ b: AssessmentBody) throws -> AssessmentInput {
        var e = FieldErrors()
        var needs: [DisabilityNeed] = []
        for raw in b.needs ?? [] {
            if let n = DisabilityNeed(rawValue: raw) { if !needs.contains(n) { needs.append(n) } } else {
                e.add("needs", "未知的需求“\(raw)”，可选：\(DisabilityNeed.allCases.map(\.rawValue).joined(separator: "、"))")
            }
        }
        let result = b.result.flatMap(AssessmentResult.init(rawValue:))
        if b.result != nil && result == nil { e.add("result", "未知的评估结论，可选：\(AssessmentResult.allCases.map(\.rawValue).joined(separator: "、"))") }
        guard e.isEmpty else { throw RegistryError.invalid(e.errors) }
        return AssessmentInput(assessedOn: b.assessedOn?.trimmedOrNil, assessor: b.assessor, needs: needs, result: result, note: b.note)
    }

    struct ServiceBody: Decodable {
        var setting: String?
        var provider: String?
        var startedOn: String?
        var endedOn: String?
        var sessions: Int?
        var hours: Int?
        var outcome: String?
    }

    static func service(_ b: ServiceBody) throws -> RehabServiceInput {
        let setting = b.setting.flatMap(RehabSetting.init(rawValue:))
        if b.setting != nil && setting == nil {
            throw RegistryError.invalid([FieldError("setting", "未知的康复形式，可选：\(RehabSetting.allCases.map(\.rawValue).joined(separator: "、"))")])
        }
        return RehabServiceInput(setting: setting, provider: b.provider, startedOn: b.startedOn?.trimmedOrNil, endedOn: b.endedOn?.trimmedOrNil,
                                 sessions: b.sessions, hours: b.hours, outcome: b.outcome)
    }

    struct DeviceBody: Decodable {
        var device: String?
        var issuedOn: String?
        var source: String?
    }

    static func device(_ b: DeviceBody) throws -> DeviceInput {
        let source = b.source.flatMap(DeviceSource.init(rawValue:))
        if b.source != nil && source == nil {
            throw RegistryError.invalid([FieldError("source", "未知的资金来源，可选：\(DeviceSource.allCases.map(\.rawValue).joined(separator: "、"))")])
        }
        return DeviceInput(device: b.device, issuedOn: b.issuedOn?.trimmedOrNil, source: source)
    }

    /// The list's filters from the query string (the API refuses unknown values; pages pass what they know).
    static func filter(_ req: Request) throws -> DisabilityFilter {
        var f = DisabilityFilter()
        f.category = try req.queryEnum("category", DisabilityCategory.self)
        if let g = try req.queryInt("grade", in: 1...4) { f.grade = DisabilityGrade(rawValue: g) }
        if let s = try req.queryString("status") {
            if s == "all" { f.status = nil } else {
                guard let st = DisabilityCardStatus(rawValue: s) else { throw ProblemError.badRequest("status", "参数 status 无效，可选值：active、ended、all") }
                f.status = st
            }
        }
        f.overdue = try req.queryBool("overdue") ?? false
        f.unassessed = try req.queryBool("unassessed") ?? false
        return f
    }
}
