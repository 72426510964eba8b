import Foundation
import LinliCore

/// A worker as read (the phone masked; the full number only through `phone(of:)`, audited).
public struct WorkerRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var name: String
    public var post: WorkerPost
    public var employment: EmploymentForm
    public var divisionCode: String
    public var divisionName: String?
    public var title: String?
    public var phoneMasked: String?
    public var hiredOn: String?
    public var registrationNo: String?
    public var registeredOn: String?
    public var registrationValidTo: String?
    public var qualification: QualificationLevel?
    public var titled: Bool
    public var accountUsername: String?
    public var version: Int
    public var updatedAt: Int64
}

/// What the portal shows of a worker: name, post, community; nothing else.
public struct PublicWorkerRecord: Codable, Sendable, Equatable {
    public var name: String
    public var post: WorkerPost
    public var title: String?
    public var qualification: QualificationLevel?
}

public struct QualificationRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var level: QualificationLevel
    public var certificateNo: String
    public var obtainedOn: String
}

public struct TrainingRecord: Codable, Sendable, Equatable {
    public var year: Int
    public var hours: Int
}

public struct AppraisalRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var year: Int
    public var scores: String
    /// The mean of the scores in tenths of a point.
    public var meanTenths: Int
    public var result: AppraisalResult
    public var recordedBy: String
}

public struct ReserveRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var workerId: UUID
    public var workerName: String?
    public var divisionCode: String?
    public var post: WorkerPost?
    public var level: ReserveLevel
    public var listedOn: String
    public var listedBy: String
    public var reason: String
    public var removedOn: String?
    public var removedBy: String?
    public var removalReason: String?
}

/// Everything on a worker's page.
public struct WorkerFile: Sendable {
    public var worker: WorkerRecord
    public var qualifications: [QualificationRecord]
    public var training: [TrainingRecord]
    public var appraisals: [AppraisalRecord]
    public var reserves: [ReserveRecord]
    public var grades: [GradeMove]
    /// The grade now and its monthly amount (nil when the district has not set the table).
    public var grade: Int
    public var monthlyFen: Int?
}

/// One community's (or street's) row of the figures.
public struct WorkerFiguresRow: Sendable, Equatable {
    public var code: String
    public var name: String
    public var workers: Int
    public var qualified: Int
    public var titled: Int
    public var residents: Int
    /// The year's training hours, summed, and the workers with a row for that year.
    public var trainingHours: Int
    public var trained: Int
    /// Appraisal results of the year, in `AppraisalResult.allCases` order.
    public var results: [Int]

    public init(code: String, name: String) {
        self.code = code; self.name = name; workers = 0; qualified = 0; titled = 0; residents = 0; trainingHours = 0; trained = 0
        results = Array(repeating: 0, count: AppraisalResult.allCases.count)
    }

    public mutating func add(_ o: WorkerFiguresRow) {
        workers += o.workers; qualified += o.qualified; titled += o.titled; residents += o.residents
        trainingHours += o.trainingHours; trained += o.trained
        for i in results.indices { results[i] += o.results[i] }
    }
}

/// Who acts, as the workers' writes see them.
public struct WorkersActor: Sendable {
    public var audit: AuditActor
    public var scope: RegistryScope
    public var mayManage: Bool
    public var mayGrades: Bool

    public init(audit: AuditActor, scope: RegistryScope, mayManage: Bool, mayGrades: Bool) {
        self.audit = audit; self.scope = scope; self.mayManage = mayManage; self.mayGrades = mayGrades
    }
}

/// A search of the roster: name or its pinyin initials, post, employment form, qualified or not.
public struct WorkerFilter: Sendable, Equatable {
    public var text: String?
    public var post: WorkerPost?
    public var employment: EmploymentForm?
    public var qualified: Bool?
    /// Registration ending within 90 days (or already ended).
    public var expiring: Bool

    public init(text: String? = nil, post: WorkerPost? = nil, employment: EmploymentForm? = nil, qualified: Bool? = nil, expiring: Bool = false) {
        self.text = text; self.post = post; self.employment = employment; self.qualified = qualified; self.expiring = expiring
    }
}
