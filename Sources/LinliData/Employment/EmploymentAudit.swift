import Foundation
import LinliCore

/// 就业援助's audit actions.
public enum EmploymentAudit: String, AuditAction, CaseIterable {
    case register, designate, contact, referral, exit, view, post, place, endPlacement, setting, roll, demoLoad

    public var name: String {
        switch self {
        case .register: return "employment.register"
        case .designate: return "employment.designate"
        case .contact: return "employment.contact"
        case .referral: return "employment.referral"
        case .exit: return "employment.exit"
        case .view: return "employment.view"
        case .post: return "employment.post"
        case .place: return "employment.place"
        case .endPlacement: return "employment.end_placement"
        case .setting: return "employment.setting"
        case .roll: return "employment.roll"
        case .demoLoad: return "demo.employment"
        }
    }
}

extension AuditTarget {
    public static func employmentRegistration(_ id: UUID) -> AuditTarget { AuditTarget("employment_registration", id.uuidString.lowercased()) }
    public static func employmentPost(_ id: UUID) -> AuditTarget { AuditTarget("employment_post", id.uuidString.lowercased()) }
    public static func employmentRoll(_ street: String, _ month: String) -> AuditTarget { AuditTarget("employment_roll", "\(street)-\(month)") }
}

/// The caller as the employment writes see them: their scope and what their role lets them do.
public struct EmploymentActor: Sendable {
    public var audit: AuditActor
    public var scope: RegistryScope
    public var mayWrite: Bool
    public var mayJobs: Bool
    public var mayConfigure: Bool

    public init(audit: AuditActor, scope: RegistryScope, mayWrite: Bool, mayJobs: Bool, mayConfigure: Bool) {
        self.audit = audit; self.scope = scope; self.mayWrite = mayWrite; self.mayJobs = mayJobs; self.mayConfigure = mayConfigure
    }
}
