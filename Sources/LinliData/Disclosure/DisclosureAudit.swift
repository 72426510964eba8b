import Foundation
import LinliCore

/// 四个公开与财务公开's audit actions.
public enum DisclosureAudit: String, AuditAction, CaseIterable {
    case publish = "disclosure.publish"
    case withdraw = "disclosure.withdraw"
    case attach = "disclosure.attach"
    case entry = "disclosure.entry"
    case entryEdit = "disclosure.entry_edit"
    case approve = "disclosure.approve"
    case reverse = "disclosure.reverse"
    case statement = "disclosure.statement"
    case export = "disclosure.export"
    case demoLoad = "demo.disclosure"

    public static var all: [DisclosureAudit] { allCases }
}

extension AuditTarget {
    public static func disclosureNotice(_ id: UUID) -> AuditTarget { AuditTarget("notice", id.uuidString) }
    public static func ledgerEntry(_ id: UUID) -> AuditTarget { AuditTarget("ledger_entry", id.uuidString) }
    public static func financeStatement(_ id: UUID) -> AuditTarget { AuditTarget("statement", id.uuidString) }
}
