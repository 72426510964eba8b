import Foundation
import LinliCore

/// The requests' audit actions.
public enum RequestAudit: AuditAction, Equatable {
    case submit
    /// A workflow step (accept, dispatch …): `request.<action>`.
    case step(RequestAction)
    case rate, contactView, categoryUpdate, export, open311KeyCreate, open311KeyRevoke, demoLoad

    public static var all: [RequestAudit] {
        [.submit, .rate, .contactView, .categoryUpdate, .export, .open311KeyCreate, .open311KeyRevoke, .demoLoad]
            + RequestAction.allCases.map { .step($0) }
    }

    public var name: String {
        switch self {
        case .submit: return "request.submit"
        case .step(let action): return "request." + action.rawValue
        case .rate: return "request.rate"
        case .contactView: return "request.contact_view"
        case .categoryUpdate: return "request_category.update"
        case .export: return "requests.export"
        case .open311KeyCreate: return "open311.key_create"
        case .open311KeyRevoke: return "open311.key_revoke"
        case .demoLoad: return "demo.requests"
        }
    }
}

extension AuditTarget {
    public static func request(_ seq: some CustomStringConvertible) -> AuditTarget { AuditTarget("request", seq.description) }
    public static func category(_ code: String) -> AuditTarget { AuditTarget("category", code) }
    public static func open311Key(_ name: String) -> AuditTarget { AuditTarget("open311", name) }
}
