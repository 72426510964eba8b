import Foundation
import LinliCore
import LinliData
import Vapor

extension Request {
    /// 行政事务进社区准入's queries for this request.
    var admission: AdmissionQueries {
        let linli = application.linli
        return AdmissionQueries(db, today: linli.today(), now: linli.now)
    }

    var admissionActor: AdmissionActor {
        let p = principal?.role.permissions ?? []
        return AdmissionActor(audit: auditActor, scope: registryScope, department: principal?.account.departmentCode,
                              mayApply: p.contains(.admissionApply), mayReview: p.contains(.admissionReview), mayDecide: p.contains(.admissionDecide),
                              mayCommunity: p.contains(.admissionCommunity))
    }
}

/// What the API and the console pages share: inputs as typed, turned into the data layer's calls.
enum AdmissionService {
    struct TaskBody: Decodable {
        var title: String?
        var content: String?
        var kind: String?
        var basis: String?
        var reach: String?
        var streetCode: String?
        var communities: [String]?
        var frequency: String?
        var validFrom: String?
        var validTo: String?
        var staff: String?
        var fundsFen: Int64?
        var power: String?
        var version: Int?
    }

    struct ActionBody: Decodable {
        var decision: String?
        var note: String?
        var version: Int?
    }

    struct PushBody: Decodable {
        var communityCode: String?
        var departmentCode: String?
        var title: String?
        var pushedOn: String?
        var channel: String?
        var note: String?
    }

    struct FundsBody: Decodable {
        var taskId: String?
        var communityCode: String?
        var year: Int?
        var amountFen: Int64?
        var receivedOn: String?
    }

    static func date(_ raw: String?, field: String) throws -> CivilDate? {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        guard let d = CivilDate(raw) else { throw RegistryError.invalid([FieldError(field, "日期应为 YYYY-MM-DD")]) }
        return d
    }

    static func parsed<T>(_ raw: String?, field: String, _ parse: (String?) -> T?, message: String) throws -> T? {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        guard let v = parse(raw) else { throw RegistryError.invalid([FieldError(field, message)]) }
        return v
    }

    static func task(_ b: TaskBody) throws -> AdmissionTaskInput {
        AdmissionTaskInput(
            title: b.title, content: b.content,
            kind: try parsed(b.kind, field: "kind", AdmissionTaskKind.parse,
                             message: "事项类别可选：\(AdmissionTaskKind.allCases.map { "\($0.rawValue)（\($0.label)）" }.joined(separator: "、"))"),
            basis: b.basis,
            reach: try parsed(b.reach, field: "reach", { $0.flatMap(AdmissionReach.init(rawValue:)) }, message: "适用范围可选：district、street、list"),
            streetCode: b.streetCode, communities: b.communities ?? [],
            frequency: try parsed(b.frequency, field: "frequency", AdmissionFrequency.parse,
                                  message: "频次可选：\(AdmissionFrequency.allCases.map { "\($0.rawValue)（\($0.label)）" }.joined(separator: "、"))"),
            validFrom: try date(b.validFrom, field: "valid_from"), validTo: try date(b.validTo, field: "valid_to"),
            staff: b.staff, fundsFen: b.fundsFen, power: b.power)
    }

    static func action(_ raw: String?, allowed: [AdmissionAction]) throws -> AdmissionAction {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else {
            throw RegistryError.invalid([FieldError("decision", "请选择处理意见")])
        }
        guard let a = AdmissionAction(rawValue: raw), allowed.contains(a) else {
            throw RegistryError.invalid([FieldError("decision", "处理意见可选：\(allowed.map { "\($0.rawValue)（\($0.label)）" }.joined(separator: "、"))")])
        }
        return a
    }

    static func push(_ b: PushBody) throws -> UnadmittedPushInput {
        UnadmittedPushInput(departmentCode: b.departmentCode, title: b.title, pushedOn: try date(b.pushedOn, field: "pushed_on"),
                            channel: try parsed(b.channel, field: "channel", AdmissionChannel.parse,
                                                message: "布置方式可选：\(AdmissionChannel.allCases.map { "\($0.rawValue)（\($0.label)）" }.joined(separator: "、"))"),
                            note: b.note)
    }

    static func funds(_ b: FundsBody) throws -> (UUID, FundsArrivalInput) {
        guard let raw = b.taskId, let id = UUID(uuidString: raw) else { throw RegistryError.invalid([FieldError("task_id", "请选择准入事项")]) }
        return (id, FundsArrivalInput(year: b.year, amountFen: b.amountFen, receivedOn: try date(b.receivedOn, field: "received_on")))
    }

    /// 元 with two decimals.
    static func yuan(_ fen: Int64) -> String { DisclosureRules.yuan(fen) }
}
