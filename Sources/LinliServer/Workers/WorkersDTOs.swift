import Foundation
import LinliCore
import LinliData

struct WorkerDTO: Encodable, Sendable {
    var id: UUID
    var name: String
    var post: WorkerPost
    var postLabel: String
    var employment: EmploymentForm
    var employmentLabel: String
    var divisionCode: String
    var divisionName: String?
    var title: String?
    /// Masked; the full number is a full view (`GET …/phone`, audited).
    var phone: String?
    var hiredOn: String?
    var registrationNo: String?
    var registeredOn: String?
    var registrationValidTo: String?
    var qualification: QualificationLevel?
    var account: String?
    var version: Int

    init(_ w: WorkerRecord) {
        id = w.id; name = w.name; post = w.post; postLabel = w.post.label; employment = w.employment; employmentLabel = w.employment.label
        divisionCode = w.divisionCode; divisionName = w.divisionName; title = w.title; phone = w.phoneMasked; hiredOn = w.hiredOn
        registrationNo = w.registrationNo; registeredOn = w.registeredOn; registrationValidTo = w.registrationValidTo; qualification = w.qualification
        account = w.accountUsername; version = w.version
    }
}

struct QualificationDTO: Encodable, Sendable {
    var id: UUID
    var level: QualificationLevel
    var levelLabel: String
    var certificateNo: String
    var obtainedOn: String
    init(_ q: QualificationRecord) { id = q.id; level = q.level; levelLabel = q.level.label; certificateNo = q.certificateNo; obtainedOn = q.obtainedOn }
}

struct TrainingDTO: Encodable, Sendable {
    var year: Int
    var hours: Int
    init(_ t: TrainingRecord) { year = t.year; hours = t.hours }
}

struct AppraisalDTO: Encodable, Sendable {
    var id: UUID
    var year: Int
    var scores: [Int]
    var mean: Double
    var result: AppraisalResult
    var resultLabel: String
    init(_ a: AppraisalRecord) {
        id = a.id; year = a.year; scores = a.scores.split(separator: ",").compactMap { Int($0) }; mean = Double(a.meanTenths) / 10
        result = a.result; resultLabel = a.result.label
    }
}

struct ReserveDTO: Encodable, Sendable {
    var id: UUID
    var workerId: UUID
    var workerName: String?
    var divisionCode: String?
    var level: ReserveLevel
    var levelLabel: String
    var listedOn: String
    var listedBy: String
    var reason: String
    var removedOn: String?
    var removalReason: String?
    init(_ r: ReserveRecord) {
        id = r.id; workerId = r.workerId; workerName = r.workerName; divisionCode = r.divisionCode; level = r.level; levelLabel = r.level.label
        listedOn = r.listedOn; listedBy = r.listedBy; reason = r.reason; removedOn = r.removedOn; removalReason = r.removalReason
    }
}

struct GradeMoveDTO: Encodable, Sendable {
    var reason: GradeStepReason?
    var reasonLabel: String
    var year: Int?
    var grade: Int
    init(_ m: GradeMove) { reason = m.reason; reasonLabel = m.reason?.label ?? "起点（1级）"; year = m.year; grade = m.grade }
}

/// A worker with qualifications, training, appraisals, reserve entries and the grade (with its history).
struct WorkerFileDTO: Encodable, Sendable {
    var worker: WorkerDTO
    var qualifications: [QualificationDTO]
    var training: [TrainingDTO]
    var appraisals: [AppraisalDTO]
    var reserves: [ReserveDTO]
    var grade: Int
    var monthlyFen: Int?
    var gradeHistory: [GradeMoveDTO]

    init(_ f: WorkerFile) {
        worker = WorkerDTO(f.worker); qualifications = f.qualifications.map(QualificationDTO.init); training = f.training.map(TrainingDTO.init)
        appraisals = f.appraisals.map(AppraisalDTO.init); reserves = f.reserves.map(ReserveDTO.init); grade = f.grade; monthlyFen = f.monthlyFen
        gradeHistory = f.grades.map(GradeMoveDTO.init)
    }
}

struct PublicWorkerDTO: Encodable, Sendable {
    var name: String
    var post: WorkerPost
    var postLabel: String
    var title: String?
    var qualification: QualificationLevel?
    init(_ w: PublicWorkerRecord) { name = w.name; post = w.post; postLabel = w.post.label; title = w.title; qualification = w.qualification }
}

struct PayScaleDTO: Encodable, Sendable {
    var grades: [String: [Int]]
    var steps: [String: Int]
    init(_ s: PayScale) {
        grades = Dictionary(uniqueKeysWithValues: s.grades.map { ($0.key.rawValue, $0.value) })
        steps = Dictionary(uniqueKeysWithValues: s.steps.map { ($0.key.rawValue, $0.value) })
    }
}

struct WorkerFiguresDTO: Encodable, Sendable {
    var code: String
    var name: String
    var workers: Int
    var residents: Int
    /// Workers per 1,000 residents (nil without residents).
    var per1000: Double?
    var qualified: Int
    var titled: Int
    var trainingHours: Int
    var trained: Int
    var appraisals: [String: Int]

    init(_ r: WorkerFiguresRow) {
        code = r.code; name = r.name; workers = r.workers; residents = r.residents
        per1000 = r.residents > 0 ? (Double(r.workers) * 1000 / Double(r.residents) * 100).rounded() / 100 : nil
        qualified = r.qualified; titled = r.titled; trainingHours = r.trainingHours; trained = r.trained
        appraisals = Dictionary(uniqueKeysWithValues: zip(AppraisalResult.allCases.map(\.rawValue), r.results))
    }
}
