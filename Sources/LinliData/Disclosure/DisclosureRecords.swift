import Foundation
import LinliCore

public struct DisclosureNoticeRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var communityCode: String
    public var communityName: String?
    public var kind: NoticeKind
    public var title: String
    public var body: String
    public var publishOn: String
    public var endOn: String?
    public var minimumDays: Int
    public var status: DisclosureNoticeStatus
    public var statementId: UUID?
    public var version: Int
    public var createdBy: String
    public var createdAt: Int64
    public var withdrawnBy: String?
    public var withdrawnAt: Int64?
    public var withdrawnReason: String?

    /// Up on `today`: published, begun, not ended.
    public func isUp(on today: CivilDate) -> Bool {
        guard status == .published, let p = CivilDate(publishOn), p <= today else { return false }
        return endOn.flatMap { CivilDate($0) }.map { $0 >= today } ?? true
    }
}

public struct DisclosureNoticeHistoryRecord: Codable, Sendable, Equatable {
    public var action: String
    public var title: String
    public var body: String
    public var reason: String?
    public var byUser: String
    public var at: Int64
}

public struct LedgerEntryRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var communityCode: String
    public var quarter: String
    public var direction: LedgerDirection
    public var onDate: String
    public var subject: String
    public var counterpart: String
    public var amountFen: Int64
    public var voucherNo: String
    public var status: LedgerEntryStatus
    public var reversesId: UUID?
    public var reversedById: UUID?
    public var statementId: UUID?
    public var version: Int
    public var recordedBy: String
    public var approvedBy: String?

    /// The amount as the statement adds it: a reversing entry takes back what the entry it reverses added.
    public var signedFen: Int64 { reversesId == nil ? amountFen : -amountFen }
}

public struct StatementRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var communityCode: String
    public var quarter: String
    public var openingFen: Int64
    public var incomeFen: Int64
    public var expenseFen: Int64
    public var closingFen: Int64
    public var lines: String
    public var entries: Int
    public var noticeId: UUID
    public var publishedOn: String
    public var publishedBy: String

    public var statementLines: [StatementLine] { (try? JSONDecoder().decode([StatementLine].self, from: Data(lines.utf8))) ?? [] }
}

/// Who is acting and what they may do.
public struct DisclosureActor: Sendable {
    public var audit: AuditActor
    public var scope: RegistryScope
    public var mayWrite: Bool
    public var mayApprove: Bool

    public init(audit: AuditActor, scope: RegistryScope, mayWrite: Bool, mayApprove: Bool) {
        self.audit = audit; self.scope = scope; self.mayWrite = mayWrite; self.mayApprove = mayApprove
    }
}
