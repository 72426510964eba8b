import Foundation

/// The indicators' audit actions.
public enum IndicatorAudit: String, AuditAction, CaseIterable {
    case snapshot = "indicators.snapshot"
    case export = "indicators.export"
}

extension AuditTarget {
    public static func period(_ period: String) -> AuditTarget { AuditTarget("period", period) }
}
