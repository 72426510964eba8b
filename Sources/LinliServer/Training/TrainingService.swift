import Foundation
import LinliCore
import LinliData
import Vapor

extension Request {
    /// 再就业培训's queries for this request.
    var training: TrainingQueries {
        let linli = application.linli
        return TrainingQueries(db, today: linli.today(), now: { linli.now() })
    }

    /// The caller as the training writes see them.
    var trainingActor: TrainingActor {
        TrainingActor(audit: auditActor, scope: registryScope, divisionCode: principal?.account.divisionCode ?? "")
    }
}

/// What the API and the pages share.
enum TrainingService {
    struct CourseInput: Decodable {
        var name: String?
        var kind: String?
        var trade: String?
        var provider: String?
        var startsOn: String?
        var endsOn: String?
        var hours: Int?
        var capacity: Int?

        var draft: CourseDraft {
            CourseDraft(name: name ?? "", kind: kind, trade: trade, provider: provider ?? "", startsOn: startsOn, endsOn: endsOn, hours: hours, capacity: capacity)
        }
    }

    /// The resident to enrol, by id or by ID number (the number is looked up in the caller's area, never stored here).
    static func resident(_ req: Request, id: UUID?, idNumber: String?) async throws -> UUID {
        if let id { return id }
        guard let raw = idNumber?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else {
            throw RegistryError.invalid([FieldError("resident_id", "请填写学员（居民 ID 或公民身份号码）")])
        }
        if (try? CitizenID(raw)) == nil { throw RegistryError.invalid([FieldError("id_number", "公民身份号码无效")]) }
        guard let r = try await req.residents.find(idNumber: raw, in: req.registryScope) else {
            throw RegistryError.invalid([FieldError("id_number", "在您的辖区内没有登记这个公民身份号码")])
        }
        return r.id
    }

    static func completion(_ req: Request, id: UUID, result: String?, on: String?, certificate: String?, number: String?, version: Int?) async throws -> TrainingEnrolmentRecord {
        let input = TrainingQueries.CompletionInput(result: result, on: on, certificate: certificate, certificateNumber: number,
                                                    version: try requireVersion(version))
        return try await req.training.complete(id, input, by: req.trainingActor)
    }
}
