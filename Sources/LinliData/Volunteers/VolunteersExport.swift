import FluentKit
import Foundation
import LinliCore
import SQLKit

extension VolunteersQueries {
    /// The roll of the scope as .xlsx, page by page (the district's ~20k rows without holding them all): names and
    /// ID numbers masked, as on the lists. Audited with the count.
    @discardableResult
    public func exportRoll(in scope: RegistryScope, to path: String, by actor: VolunteersActor) async throws -> Int {
        let w = try XLSXWriter(path: path, sheetName: "志愿者名册", columnWidths: [16, 10, 22, 8, 12, 12, 24, 24, 12, 10])
        try w.header(["村/社区", "姓名", "公民身份号码", "状态", "注册日期", "签约日期", "技能", "服务类别", "累计时长（小时）", "星级"])
        var page = 1, count = 0
        while true {
            let p = try await volunteers(in: scope, page: PageRequest(page: page, perPage: PageRequest.maxPerPage))
            for v in p.items {
                try w.row([.text(v.communityName ?? v.communityCode), .text(Masking.name(v.name)), .text(v.idMasked), .text(v.state.label),
                           .text(v.registeredOn), v.signedOn.map(XLSXCell.text) ?? .empty,
                           .text((v.skillList.map(\.label) + [v.skillNote].compactMap { $0 }).joined(separator: "、")),
                           .text(v.areaList.map(\.label).joined(separator: "、")), .number(Double(v.minutes) / 60), v.star.map { .text($0.label) } ?? .empty])
            }
            count += p.items.count
            if p.items.count < p.perPage { break }
            page += 1
        }
        try w.close()
        try await AuditLog.record(AuditEvent(VolunteersAudit.export, target: .table("volunteers"), detail: ["rows": String(count), "format": "xlsx",
                                                                                                      "scope": scope.prefix]), by: actor.audit, on: db, now: now())
        return count
    }
}
