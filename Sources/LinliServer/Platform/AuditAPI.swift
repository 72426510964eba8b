import Fluent
import Foundation
import LinliCore
import LinliData
import Vapor

/// `/api/v1/audit`: the audit administrator reads and verifies the log. There is no route that changes it.
struct AuditAPI {
    func boot(_ routes: Routes) {
        let audit = routes.grouped("audit")
        audit.get(needs: .permission(.auditRead), use: search)
        audit.get("verify", needs: .permission(.auditRead), use: verify)
        routes.get("exports", "audit", needs: .permission(.auditRead), use: export)
    }

    struct EntryDTO: Encodable, Sendable {
        var seq: Int64
        var at: String
        var actor: String
        var actorRole: String
        var ip: String
        var action: String
        var target: String
        var outcome: String
        var detail: [String: String]
        var prevHash: String
        var hash: String

        init(_ r: AuditRecord) {
            seq = r.seq; at = r.at; actor = r.actor; actorRole = r.actorRole; ip = r.ip; action = r.action
            target = r.target; outcome = r.outcome; prevHash = r.prevHash; hash = r.hash
            detail = (try? JSONDecoder().decode([String: String].self, from: Data(r.detail.utf8))) ?? [:]
        }
    }

    func search(req: Request) async throws -> JSONBody<PageDTO<EntryDTO>> {
        try req.require(.auditRead)
        let page = try await AuditLog.search(try query(req), page: try req.pageRequest(), on: req.db)
        return JSONBody(PageDTO(page, EntryDTO.init))
    }

    /// The same entries as a file (the search's filters), for the auditor's records. The export is itself audited.
    func export(req: Request) async throws -> Response {
        try req.require(.auditRead)
        let q = try query(req)
        return try await ListExport.write(req, sheet: "审计日志", name: "审计日志", action: PlatformAudit.auditExport,
                                          header: ["序号", "时间", "操作人", "角色", "地址", "操作", "对象", "结果", "详情", "哈希"],
                                          widths: [8, 26, 16, 16, 14, 24, 30, 8, 40, 20]) { write in
            try await ListExport.pages { page in
                let p = try await AuditLog.search(q, page: page, on: req.db)
                for r in p.items {
                    try write([.number(Double(r.seq)), .text(r.at), .text(r.actor), .text(r.actorRole), .text(r.ip), .text(r.action),
                               .text(r.target), .text(r.outcome), .text(r.detail), .text(String(r.hash.prefix(16)))])
                }
                return p.items.count
            }
        }
    }

    func query(_ req: Request) throws -> AuditLog.Query {
        var q = AuditLog.Query()
        q.actor = try req.queryString("actor", maxLength: 64)
        q.action = try req.queryString("action", maxLength: 64)
        q.outcome = try req.queryString("outcome", maxLength: 16)
        for (name, keyPath) in [("from", \AuditLog.Query.from), ("to", \AuditLog.Query.to)] {
            if let raw = try req.queryString(name, maxLength: 40) {
                guard CivilDate(String(raw.prefix(10))) != nil else {
                    throw ProblemError.badRequest(name, "参数 \(name) 应为日期 YYYY-MM-DD 或 ISO 8601 时间")
                }
                q[keyPath: keyPath] = raw
            }
        }
        return q
    }

    struct VerifyDTO: Encodable, Sendable {
        var entries: Int
        var intact: Bool
        var firstBroken: Int64?
        var reason: String?
    }

    func verify(req: Request) async throws -> JSONBody<VerifyDTO> {
        try req.require(.auditRead)
        let v = try await AuditLog.verify(on: req.db)
        return JSONBody(VerifyDTO(entries: v.entries, intact: v.firstBroken == nil, firstBroken: v.firstBroken, reason: v.reason))
    }
}
