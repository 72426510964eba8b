import Foundation
import LinliCore

/// 一期培训.
public struct TrainingCourseRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var name: String
    public var kind: TrainingKind
    public var trade: String?
    public var provider: String
    /// The street or district that opened it.
    public var areaCode: String
    public var areaPrefix: String
    public var startsOn: String
    public var endsOn: String
    public var hours: Int
    public var capacity: Int
    public var enrolled: Int
    public var createdBy: String
    public var version: Int
}

/// A trainee of a course: the person (name and masked number), attendance, completion and the follow-up.
public struct TrainingEnrolmentRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var courseId: UUID
    public var residentId: UUID
    public var name: String
    public var idMasked: String
    public var gridCode: String
    public var enrolledOn: String
    public var sessionsTotal: Int
    public var sessionsPresent: Int
    public var result: TrainingResult?
    public var resultOn: String?
    public var certificate: TrainingCertificate?
    public var certificateNumber: String?
    public var followupDueOn: String?
    public var followupOn: String?
    public var followupEmployed: Bool?
    public var followupEmployer: String?
    public var version: Int

    public var attendanceRate: Int { TrainingRules.attendanceRate(present: sessionsPresent, sessions: sessionsTotal) }
}

/// A course's figures for a list: trainees in the caller's area, completed, followed up, at work.
public struct TrainingCourseFigures: Sendable, Equatable {
    public var trainees = 0
    public var completed = 0
    public var followedUp = 0
    public var employed = 0
    public init() {}
}

public struct TrainingCourseFilter: Sendable {
    /// 未开班 / 培训中 / 已结业 on today.
    public enum Phase: String, Sendable, CaseIterable {
        case planned, running, finished
        public var label: String {
            switch self {
            case .planned: return "未开班"
            case .running: return "培训中"
            case .finished: return "已结业"
            }
        }
    }
    public var kind: TrainingKind?
    public var phase: Phase?
    public init(kind: TrainingKind? = nil, phase: Phase? = nil) { self.kind = kind; self.phase = phase }
}

/// Who acts on training, as the writes see them.
public struct TrainingActor: Sendable {
    public var audit: AuditActor
    public var scope: RegistryScope
    /// The caller's division code: a course they open belongs to it.
    public var divisionCode: String
    public init(audit: AuditActor, scope: RegistryScope, divisionCode: String) {
        self.audit = audit; self.scope = scope; self.divisionCode = divisionCode
    }
}

/// 再就业培训's audit actions.
public enum TrainingAudit: AuditAction, Equatable, CaseIterable {
    case courseOpen, enrol, attendance, completion, followUp, demoLoad

    public static var all: [TrainingAudit] { allCases }

    public var name: String {
        switch self {
        case .courseOpen: return "training.course.open"
        case .enrol: return "training.enrol"
        case .attendance: return "training.attendance"
        case .completion: return "training.completion"
        case .followUp: return "training.follow_up"
        case .demoLoad: return "demo.training"
        }
    }
}

extension AuditTarget {
    public static func trainingCourse(_ id: UUID) -> AuditTarget { AuditTarget("training_course", id.uuidString.lowercased()) }
    public static func trainingEnrolment(_ id: UUID) -> AuditTarget { AuditTarget("training_enrolment", id.uuidString.lowercased()) }
}
