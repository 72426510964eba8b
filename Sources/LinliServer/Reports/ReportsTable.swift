import Foundation
import LinliCore
import LinliData
import Vapor

/// The side-by-side view of a form (communities × the department's columns) and its .xlsx in the
/// department's layout. The platform's values of all communities come from one call of the catalogue.
enum ReportsTable {
    static func names(_ req: Request) async throws -> [String: String] {
        Dictionary(try await DivisionQueries(req.db).all(in: .everything, level: .community).map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
    }

    static func rows(_ req: Request, _ form: ReportFormRecord, communities: [String]) async throws -> [ReportReturnDTO] {
        let saved = try await req.reports.returns(of: form.id)
        let open = communities.filter { saved[$0]?.status != .submitted }
        let auto = try await ReportsService.automatic(req, form, communities: open)
        let names = try await names(req)
        var out: [ReportReturnDTO] = []
        for c in communities {
            let values = try await ReportsService.shown(req, form, community: c, saved: saved[c], automatic: auto[c] ?? [:], listCounts: false)
            out.append(ReportReturnDTO(form: form.id, community: c, name: names[c], saved: saved[c], values: values))
        }
        return out
    }

    static func table(_ req: Request, _ id: UUID) async throws -> ReportTableDTO {
        let (f, seen) = try await req.reports.form(id, by: req.reportsActor)
        let rows = try await rows(req, f, communities: seen)
        return ReportTableDTO(form: ReportFormDTO(f, communities: seen), columns: f.fieldList.map(\.header), rows: rows,
                              submitted: rows.filter { $0.status == ReturnStatus.submitted.rawValue }.count)
    }

    /// One .xlsx: the department's header row (村/社区 first) and its columns in order, one row per community
    /// (numbers as numbers); audited as every export is.
    static func export(_ req: Request, _ id: UUID) async throws -> Response {
        let t = try await table(req, id)
        let path = ListExport.temporaryPath("xlsx")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let w = try XLSXWriter(path: path, sheetName: "汇总", columnWidths: [20, 10] + t.columns.map { _ in 14 })
        try w.header(["村/社区", "填报状态"] + t.columns)
        for r in t.rows {
            let cells = r.values.map { v -> XLSXCell in
                guard let v else { return .empty }
                return Int64(v).map { XLSXCell.number(Double($0)) } ?? XLSXCell.text(v)
            }
            try w.row([.text(r.communityName ?? r.communityCode), .text(r.statusLabel)] + cells)
        }
        try w.close()
        try await AuditLog.record(AuditEvent(ReportsAudit.export, target: .reportForm(id), detail: ["rows": String(t.rows.count), "format": "xlsx"]),
                                  by: req.auditActor, on: req.db, now: req.application.linli.now())
        return ListExport.download(path: path, name: "\(t.form.title).xlsx", format: "xlsx")
    }
}
