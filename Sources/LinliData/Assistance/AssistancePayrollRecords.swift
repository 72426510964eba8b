import Foundation
import LinliCore

/// Where a street's monthly roll stands: generated (may be regenerated), checked by the street, paid by the bank.
public enum AssistanceRollStatus: String, Codable, Sendable, CaseIterable {
    case generated, checked, paid

    public var label: String {
        switch self {
        case .generated: return "已生成"
        case .checked: return "已核对"
        case .paid: return "已发放"
        }
    }
}

/// A line is pending until its roll is marked paid; a paid line never changes.
public enum AssistancePaymentStatus: String, Codable, Sendable, CaseIterable {
    case pending, paid

    public var label: String { self == .paid ? "已发放" : "待发放" }
}

/// What is done to a roll, as the audit log names it (`assistance.payroll.<action>`).
public enum AssistancePayrollAction: String, Codable, Sendable, CaseIterable {
    case generate, check, paid, export, correct
}

public struct AssistanceRollRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var streetCode: String
    /// 'YYYY-MM'
    public var month: String
    public var status: AssistanceRollStatus
    public var lines: Int
    /// Yuan; corrections may be negative.
    public var total: Int
    public var generatedBy: String
    public var generatedAt: Int64
    public var checkedBy: String?
    public var checkedAt: Int64?
    public var paidBy: String?
    public var paidAt: Int64?
    public var version: Int
    /// Joined from the division tree.
    public var streetName: String?
}

/// One line of a roll: a case's payment for a month, or a correction of a paid line.
public struct AssistancePaymentRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var rollId: UUID
    public var caseId: UUID
    public var gridCode: String
    public var communityCode: String
    public var streetCode: String
    public var kind: AssistanceKind
    /// 所属期: the month paid for ('YYYY-MM'); a correction keeps the month of the line it corrects.
    public var month: String
    public var amount: Int
    public var status: AssistancePaymentStatus
    public var correctionOf: UUID?
    public var note: String?
    public var createdAt: Int64
    /// Joined: the case's number, the applicant (name in full: lists mask it), the community's name, the roll's month.
    public var caseNumber: String?
    public var applicantName: String?
    public var idMasked: String?
    public var communityName: String?
    public var rollMonth: String?
}

/// A correction of a paid line: the difference in yuan (negative to take back) and why.
public struct AssistanceCorrection: Sendable {
    public var amount: Int?
    public var reason: String?
    /// The roll it goes on (default: this month's roll of the line's street).
    public var month: String?
    public init(amount: Int?, reason: String?, month: String?) {
        self.amount = amount; self.reason = reason; self.month = month
    }
}

public enum AssistanceMonth {
    /// 'YYYY-MM' with a real month, or nil.
    public static func parse(_ s: String?) -> String? {
        guard let s, s.count == 7, let y = Int(s.prefix(4)), s.dropFirst(4).first == "-", let m = Int(s.suffix(2)),
              (2000...2100).contains(y), (1...12).contains(m) else { return nil }
        return s
    }

    public static func of(_ day: CivilDate) -> String { String(day.description.prefix(7)) }
}
