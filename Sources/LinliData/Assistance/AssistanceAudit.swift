import Foundation
import LinliCore

/// 社会救助's audit actions.
public enum AssistanceAudit: AuditAction, Equatable {
    case apply, attach, linkAccount, viewFacts, viewAttachment, standard, setting, objectionLodge, objectionHandle, recheck, export, demoLoad
    /// A step on a case: `assistance.step.<action>`.
    case step(AssistanceAction)
    // MARK: 主动发现 — what was done about a hit (these three lines only).
    case findingMark

    public static var all: [AssistanceAudit] {
        [.apply, .attach, .linkAccount, .viewFacts, .viewAttachment, .standard, .setting, .objectionLodge, .objectionHandle, .recheck, .export, .demoLoad]
            + AssistanceAction.allCases.map { .step($0) }
            + [.findingMark] // MARK: 主动发现
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
        case .findingMark: return "assistance.finding.mark" // MARK: 主动发现
        }
    }
}

extension AuditTarget {
    public static func assistanceCase(_ number: String) -> AuditTarget { AuditTarget("assistance_case", number) }
    public static func assistanceStandard(_ year: Int, _ area: AssistanceArea) -> AuditTarget { AuditTarget("assistance_standard", "\(year)-\(area.rawValue)") }
}
