import Foundation
import LinliCore
import LinliData
import Vapor

/// Lists as files: `?format=xlsx` (default) or `csv`, written to a temporary file, audited, sent as a download.
enum ListExport {
    static func format(_ req: Request) throws -> String {
        let format = try req.queryString("format", maxLength: 8) ?? "xlsx"
        guard format == "xlsx" || format == "csv" else { throw ProblemError.badRequest("format", "参数 format 应为 xlsx 或 csv") }
        return format
    }

    static func temporaryPath(_ format: String) -> String {
        NSTemporaryDirectory() + "linli-export-\(UUID().uuidString).\(format)"
    }

    /// The file at `path` as an attachment named `name` (the Chinese name travels in `filename*`).
    static func download(path: String, name: String, format: String) -> Response {
        let response = Response(status: .ok, body: .init(data: FileManager.default.contents(atPath: path) ?? Data()))
        response.headers.contentType = format == "csv" ? HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
            : HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "export.\(format)"
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"export.\(format)\"; filename*=UTF-8''\(encoded)")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    /// The request list with the list's own filters: reporters' names and contacts masked. Audited.
    static func requests(_ req: Request, filter: RequestFilter) async throws -> Response {
        let format = try format(req)
        let q = req.requestQueries, now = req.nowSeconds, scope = req.requestScope
        let names = try await RequestNames.load(q)
        let path = temporaryPath(format)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let w = try SheetWriter(path: path, sheetName: "事项", columnWidths: [10, 22, 10, 10, 16, 18, 10, 10, 16, 48, 28, 20, 20, 20, 8])
        try w.header(["编号", "类别", "状态", "层级", "村/社区代码", "区域代码", "渠道", "上报人", "联系方式", "描述", "地址",
                      "上报时间", "办理期限", "办结时间", "评分"])
        func time(_ t: Int64?) -> XLSXCell { t.map { .text(RequestExportTime.text($0)) } ?? .empty }
        var page = PageRequest()
        page.perPage = 5000
        var rows = 0
        while rows < maxRows {
            let p = try await q.list(in: scope, filter: filter, now: now, page: page)
            for r in p.items {
                try w.row([.number(Double(r.seq)), .text(names.categories[r.categoryCode]?.name ?? r.categoryCode), .text(r.status.label),
                           .text(r.level.label), r.communityCode.map { .text($0) } ?? .empty, .text(r.areaCode), .text(r.channel),
                           r.reporterName.map { .text(Masking.name($0)) } ?? .empty, r.contactMasked.map { .text($0) } ?? .empty,
                           .text(r.description), r.address.map { .text($0) } ?? .empty, time(r.reportedAt), time(r.dueAt), time(r.resolvedAt),
                           r.rating.map { .number(Double($0)) } ?? .empty])
                rows += 1
            }
            if p.items.count < page.perPage { break }
            page.page += 1
        }
        try w.close()
        try await AuditLog.record(AuditEvent(RequestAudit.export, target: .table("requests"), detail: ["format": format, "rows": String(rows)]),
                                  by: req.auditActor, on: req.db)
        return download(path: path, name: "事项列表.\(format)", format: format)
    }

    /// A list written row by row by `rows` into an .xlsx or .csv, the export audited as `action`, sent as `name`.
    static func write(_ req: Request, sheet: String, name: String, action: any AuditAction, header: [String], widths: [Double],
                      rows: (_ write: ([XLSXCell]) throws -> Void) async throws -> Void) async throws -> Response {
        let format = try format(req)
        let path = temporaryPath(format)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let w = try SheetWriter(path: path, sheetName: sheet, columnWidths: widths)
        try w.header(header)
        var count = 0
        try await rows { cells in
            guard count < maxRows else { return }
            try w.row(cells)
            count += 1
        }
        try w.close()
        try await AuditLog.record(AuditEvent(action, target: .table(sheet), detail: ["format": format, "rows": String(count)]), by: req.auditActor, on: req.db)
        return download(path: path, name: "\(name).\(format)", format: format)
    }

    /// Runs `page` over pages of 5,000 until one comes back short (it returns how many rows it wrote).
    static func pages(_ page: (PageRequest) async throws -> Int) async throws {
        var p = PageRequest()
        p.perPage = 5000
        while try await page(p) == p.perPage { p.page += 1 }
    }

    /// At most this many rows in one file; narrow the filters for more.
    static let maxRows = 200_000

    /// The residents in scope in the import's shape, numbers masked (audited by `RegistryExport`).
    static func residents(_ req: Request, scope: RegistryScope) async throws -> Response {
        let format = try format(req)
        let path = temporaryPath(format)
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await RegistryExport(req.db, cipher: req.application.linli.cipher, scope: scope).residents(to: path, full: false, by: req.auditActor)
        return download(path: path, name: "居民信息.\(format)", format: format)
    }
}

/// Times in the files as Beijing time, `2026-06-30 14:05`.
enum RequestExportTime {
    static let formatter: DateFormatter = {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "Asia/Shanghai")
        f.dateFormat = "yyyy-MM-dd HH:mm"
        return f
    }()
    static let lock = NSLock()
    static func text(_ seconds: Int64) -> String {
        lock.lock(); defer { lock.unlock() }
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}
