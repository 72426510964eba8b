import Foundation
import LinliCore

/// 居家养老's audit actions.
public enum CareAudit: AuditAction, Equatable {
    case viewAssessment, assess, planCreate, planUpdate, record, callLog
    /// A step on an emergency call (respond, close …): `care.call.<action>`.
    case call(CareCallAction)
    case facilityCreate, facilityUpdate, demoLoad

    public static var all: [CareAudit] {
        [.viewAssessment, .assess, .planCreate, .planUpdate, .record, .callLog, .facilityCreate, .facilityUpdate, .demoLoad]
            + CareCallAction.allCases.map { .call($0) }
    }

    public var name: String {
        switch self {
        case .viewAssessment: return "care.view_assessment"
        case .assess: return "care.assess"
        case .planCreate: return "care.plan.create"
        case .planUpdate: return "care.plan.update"
        case .record: return "care.record"
        case .callLog: return "care.call.log"
        case .call(let action): return "care.call." + action.rawValue
        case .facilityCreate: return "care.facility.create"
        case .facilityUpdate: return "care.facility.update"
        case .demoLoad: return "demo.care"
        }
    }
}

extension AuditTarget {
    public static func careCall(_ id: some CustomStringConvertible) -> AuditTarget { AuditTarget("care_call", id.description) }
    public static func careFacility(_ id: some CustomStringConvertible) -> AuditTarget { AuditTarget("care_facility", id.description) }
    public static func careAssessment(_ id: some CustomStringConvertible) -> AuditTarget { AuditTarget("care_assessment", id.description) }
}
