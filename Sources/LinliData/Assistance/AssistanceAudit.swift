import Foundation
import LinliCore

/// 社会救助's audit actions.
public enum AssistanceAudit: AuditAction, Equatable {
    case apply, attach, linkAccount, viewFacts, viewAttachment, standard, setting, objectionLodge, objectionHandle, recheck, export, demoLoad
    /// A step on a case: `assistance.step.<action>`.
    case step(AssistanceAction)
    /// What was done about a 主动发现 hit.
    case findingMark
    /// A payment roll's step (救助金发放): `assistance.payroll.<action>`.
    case payroll(AssistancePayrollAction)

    public static var all: [AssistanceAudit] {
        [.apply, .attach, .linkAccount, .viewFacts, .viewAttachment, .standard, .setting, .objectionLodge, .objectionHandle, .recheck, .export, .demoLoad]
            + AssistanceAction.allCases.map { .step($0) }
            + [.findingMark]
            + AssistancePayrollAction.allCases.map { .payroll($0) }
    }

    public var name: String {
        switch self {
        case .apply: return "assistance.apply"
        case .attach: return "assistance.attach"
        case .linkAccount: return "assistance.link_account"
        case .viewFacts: return "assistance.view_facts"
        case .viewAttachment: return "assistance.view_attachment"
        case .standard: return "assistance.standard"
        case .setting: return "assistance.setting"
        case .objectionLodge: return "assistance.objection.lodge"
        case .objectionHandle: return "assistance.objection.handle"
        case .recheck: return "assistance.recheck"
        case .export: return "assistance.export"
        case .demoLoad: return "demo.assistance"
        case .step(let a): return "assistance.step." + a.rawValue
        case .findingMark: return "assistance.finding.mark"
        case .payroll(let a): return "assistance.payroll." + a.rawValue
        }
    }
}

extension AuditTarget {
    public static func assistanceCase(_ number: String) -> AuditTarget { AuditTarget("assistance_case", number) }
    public static func assistanceStandard(_ year: Int, _ area: AssistanceArea) -> AuditTarget { AuditTarget("assistance_standard", "\(year)-\(area.rawValue)") }
}
