import Foundation
import LinliCore
import LinliData

struct DisclosureNoticeDTO: Encodable, Sendable {
    var id: UUID
    var communityCode: String
    var communityName: String?
    var kind: NoticeKind
    var kindLabel: String
    var title: String
    var body: String
    var publishOn: String
    var endOn: String?
    var minimumDays: Int
    var status: DisclosureNoticeStatus
    var statementId: UUID?
    var version: Int
    var createdBy: String
    var withdrawnBy: String?
    var withdrawnAt: Int64?
    var withdrawnReason: String?

    init(_ n: DisclosureNoticeRecord, staff: Bool = true) {
        id = n.id; communityCode = n.communityCode; communityName = n.communityName; kind = n.kind; kindLabel = n.kind.label; title = n.title
        body = n.body; publishOn = n.publishOn; endOn = n.endOn; minimumDays = n.minimumDays; status = n.status; statementId = n.statementId
        version = n.version; createdBy = staff ? n.createdBy : ""; withdrawnBy = staff ? n.withdrawnBy : nil; withdrawnAt = n.withdrawnAt
        withdrawnReason = n.withdrawnReason
    }
}

struct DisclosureNoticeHistoryDTO: Encodable, Sendable {
    var action: String
    var title: String
    var body: String
    var reason: String?
    var by: String
    var at: Int64

    init(_ h: DisclosureNoticeHistoryRecord) { action = h.action; title = h.title; body = h.body; reason = h.reason; by = h.byUser; at = h.at }
}

struct DisclosureNoticeFileDTO: Encodable, Sendable {
    var notice: DisclosureNoticeDTO
    var history: [DisclosureNoticeHistoryDTO]
}

struct FinanceEntryDTO: Encodable, Sendable {
    var id: UUID
    var communityCode: String
    var quarter: String
    var direction: LedgerDirection
    var onDate: String
    var subject: String
    var counterpart: String
    var amountFen: Int64
    var voucherNo: String
    var status: LedgerEntryStatus
    var reversesId: UUID?
    var reversedById: UUID?
    var statementId: UUID?
    var version: Int
    var recordedBy: String
    var approvedBy: String?

    init(_ x: LedgerEntryRecord) {
        id = x.id; communityCode = x.communityCode; quarter = x.quarter; direction = x.direction; onDate = x.onDate; subject = x.subject
        counterpart = x.counterpart; amountFen = x.amountFen; voucherNo = x.voucherNo; status = x.status; reversesId = x.reversesId
        reversedById = x.reversedById; statementId = x.statementId; version = x.version; recordedBy = x.recordedBy; approvedBy = x.approvedBy
    }
}

struct FinanceStatementDTO: Encodable, Sendable {
    var id: UUID
    var communityCode: String
    var quarter: String
    var openingFen: Int64
    var incomeFen: Int64
    var expenseFen: Int64
    var closingFen: Int64
    var lines: [StatementLine]
    var entries: Int
    var noticeId: UUID
    var publishedOn: String
    var publishedBy: String

    init(_ s: StatementRecord) {
        id = s.id; communityCode = s.communityCode; quarter = s.quarter; openingFen = s.openingFen; incomeFen = s.incomeFen; expenseFen = s.expenseFen
        closingFen = s.closingFen; lines = s.statementLines; entries = s.entries; noticeId = s.noticeId; publishedOn = s.publishedOn; publishedBy = s.publishedBy
    }
}

struct DisclosureAttachmentDTO: Encodable, Sendable {
    var id: UUID
    var label: String
    var contentType: String
    var size: Int

    init(_ a: AssistanceAttachmentRecord) { id = a.id; label = a.label; contentType = a.contentType; size = a.size }
}
