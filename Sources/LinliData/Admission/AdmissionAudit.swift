import Foundation
import LinliCore

/// 行政事务进社区准入's audit actions.
public enum AdmissionAudit: String, AuditAction, CaseIterable {
    case apply = "admission.apply"
    case edit = "admission.edit"
    case submit = "admission.submit"
    case pass = "admission.pass"
    case admit = "admission.admit"
    case refuse = "admission.refuse"
    case sendBack = "admission.send_back"
    case push = "admission.push"
    case funds = "admission.funds"
    case demoLoad = "demo.admission"

    public static var all: [AdmissionAudit] { allCases }

    static func of(_ action: AdmissionAction) -> AdmissionAudit {
        switch action {
        case .edit: return .edit
        case .submit: return .submit
        case .pass: return .pass
        case .admit: return .admit
        case .refuse: return .refuse
        case .sendBack: return .sendBack
        }
    }
}

extension AuditTarget {
    public static func admissionTask(_ id: UUID) -> AuditTarget { AuditTarget("admission_task", id.uuidString) }
    public static func admissionPush(_ id: UUID) -> AuditTarget { AuditTarget("admission_push", id.uuidString) }
    public static func admissionFunds(_ id: UUID) -> AuditTarget { AuditTarget("admission_funds", id.uuidString) }
}
