import Foundation
import LinliCore

/// 一表通's audit actions.
public enum ReportsAudit: String, AuditAction, CaseIterable {
    case publish = "reports.publish"
    case edit = "reports.edit"
    case newVersion = "reports.new_version"
    case save = "reports.save"
    case submit = "reports.submit"
    case sendBack = "reports.send_back"
    case listView = "reports.list_view"
    case export = "reports.export"
    case demoLoad = "demo.reports"

    public static var all: [ReportsAudit] { allCases }
}

extension AuditTarget {
    public static func reportForm(_ id: UUID) -> AuditTarget { AuditTarget("report_form", id.uuidString) }
    public static func reportReturn(_ id: UUID) -> AuditTarget { AuditTarget("report_return", id.uuidString) }
}
