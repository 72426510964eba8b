import FluentKit
import Foundation
import LinliCore
import SQLKit

/// A community's ledger of a quarter as .xlsx: every entry (a reversing entry names the voucher it reverses),
/// then the quarter's statement when it is published. Nothing personal; the export is audited all the same,
/// as every export is.
extension DisclosureQueries {
    @discardableResult
    public func exportLedger(_ c: DivisionRecord, quarter: Quarter, to path: String, by actor: DisclosureActor) async throws -> Int {
        let rows = try await entries(of: c.code, quarter: quarter)
        let vouchers = Dictionary(uniqueKeysWithValues: rows.map { ($0.id, $0.voucherNo) })
        let statement = try await statements(of: c.code).first { $0.quarter == quarter.description }
        let w = try XLSXWriter(path: path, sheetName: "收支明细", columnWidths: [12, 16, 8, 14, 20, 14, 12, 18])
        try w.header(["日期", "凭证号", "收支", "科目", "对方单位或个人", "金额（元）", "状态", "说明"])
        for x in rows {
            let note = x.reversesId.map { "冲正凭证\(vouchers[$0] ?? "（上季度）")" } ?? (x.reversedById != nil ? "已冲正" : "")
            try w.row([.text(x.onDate), .text(x.voucherNo), .text(x.direction.label), .text(x.subject), .text(x.counterpart),
                       .number(Double(x.signedFen) / 100), .text(x.status.label), .text(note)])
        }
        if let s = statement {
            try w.row([.empty])
            try w.row([.text("\(c.name)\(quarter.label)收支公开表"), .empty, .empty, .empty, .empty, .empty, .text("公开日期"), .text(s.publishedOn)])
            try w.row([.text("期初余额"), .empty, .empty, .empty, .empty, .number(Double(s.openingFen) / 100)])
            for l in s.statementLines {
                try w.row([.text(l.direction.label), .empty, .empty, .text(l.subject), .empty, .number(Double(l.amountFen) / 100)])
            }
            try w.row([.text("收入合计"), .empty, .empty, .empty, .empty, .number(Double(s.incomeFen) / 100)])
            try w.row([.text("支出合计"), .empty, .empty, .empty, .empty, .number(Double(s.expenseFen) / 100)])
            try w.row([.text("期末余额"), .empty, .empty, .empty, .empty, .number(Double(s.closingFen) / 100)])
        }
        try w.close()
        try await AuditLog.record(AuditEvent(DisclosureAudit.export, target: .table("disclosure_ledger_entries"),
                                             detail: ["community": c.code, "quarter": quarter.description, "rows": String(rows.count), "format": "xlsx"]),
                                  by: actor.audit, on: db, now: now())
        return rows.count
    }
}
