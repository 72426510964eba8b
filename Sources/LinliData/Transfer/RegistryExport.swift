import FluentKit
import Foundation
import LinliCore
import SQLKit

/// A sheet being written, .xlsx or .csv, row by row.
public final class SheetWriter {
    private var xlsx: XLSXWriter?
    private var csv: CSVWriter?

    public init(path: String, sheetName: String, columnWidths: [Double]) throws {
        switch try SheetFormat(path: path) {
        case .xlsx: xlsx = try XLSXWriter(path: path, sheetName: sheetName, columnWidths: columnWidths)
        case .csv: csv = try CSVWriter(path: path)
        case .geojson: throw SheetError.unsupportedType(".geojson（此数据请用 .xlsx 或 .csv）")
        }
    }

    public func header(_ titles: [String]) throws {
        if let xlsx { try xlsx.header(titles) } else { try csv?.write(titles) }
    }

    public func row(_ cells: [XLSXCell]) throws {
        if let xlsx { try xlsx.row(cells); return }
        try csv?.write(cells.map {
            switch $0 {
            case .text(let t): return t
            case .number(let n): return n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
            case .empty: return ""
            }
        })
    }

    public func close() throws {
        if let xlsx { try xlsx.close() } else { try csv?.close() }
    }
}

/// Writes the registry in the shape import reads: residents (masked unless `full`), divisions and
/// buildings (.xlsx/.csv, or GeoJSON with grid polygons and building points).
public struct RegistryExport: Sendable {
    let db: any Database
    let cipher: PersonalDataCipher
    let scope: RegistryScope

    public init(_ db: any Database, cipher: PersonalDataCipher, scope: RegistryScope) {
        self.db = db
        self.cipher = cipher
        self.scope = scope
    }

    public static let residentWidths: [Double] = [10, 22, 6, 12, 14, 22, 14, 12, 20, 16, 18, 10, 20, 10]

    /// Every person in scope, living or not, grid by grid, household by household. `full` writes the
    /// clear ID and phone numbers (for moving data between installations) and is audited as such.
    @discardableResult
    public func residents(to path: String, full: Bool, by actor: AuditActor,
                          progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> Int {
        let sql = SQLHelpers.sql(db), sqlite = db.isSQLite
        let writer = try SheetWriter(path: path, sheetName: "居民信息", columnWidths: RegistryExport.residentWidths)
        try writer.header(ResidentColumn.allCases.map(\.rawValue))
        let grids = try await sql.select().columns("code", "name").from(Division.schema)
            .where("level", .equal, SQLBind(DivisionLevel.grid.rawValue)).wherePrefix("code", scope.prefix, sqlite: sqlite)
            .orderBy("code").all().map { (try $0.decode(column: "code", as: String.self), try $0.decode(column: "name", as: String.self)) }
        let total = try await SQLHelpers.count(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(Resident.schema)
            .wherePrefix("grid_code", scope.prefix, sqlite: sqlite))
        var written = 0
        for (code, gridName) in grids {
            let rows = try await sql.select()
                .columns(SQLColumn("name", table: "r"), SQLColumn("id_cipher", table: "r"), SQLColumn("id_masked", table: "r"),
                         SQLColumn("sex", table: "r"), SQLColumn("birth_date", table: "r"), SQLColumn("phone_cipher", table: "r"),
                         SQLColumn("phone_masked", table: "r"), SQLColumn("relation", table: "r"), SQLColumn("residence_status", table: "r"),
                         SQLColumn("tags", table: "r"), SQLColumn("life_status", table: "r"), SQLColumn("number", table: "h"),
                         SQLColumn("room", table: "h"))
                .column(SQLColumn("name", table: "b"), as: "building")
                .from(SQLAlias(SQLIdentifier(Resident.schema), as: SQLIdentifier("r")))
                .join(SQLAlias(SQLIdentifier(Household.schema), as: SQLIdentifier("h")), on: SQLColumn("household_id", table: "r"), .equal, SQLColumn("id", table: "h"))
                .join(SQLAlias(SQLIdentifier(Building.schema), as: SQLIdentifier("b")), on: SQLColumn("building_id", table: "h"), .equal, SQLColumn("id", table: "b"))
                .where(SQLColumn("grid_code", table: "r"), .equal, SQLBind(code))
                .all()
            var lines: [(key: [String], cells: [XLSXCell])] = []
            lines.reserveCapacity(rows.count)
            for r in rows {
                let idNumber = full ? try cipher.open(try r.decode(column: "id_cipher", as: Data.self)) : try r.decode(column: "id_masked", as: String.self)
                let phone = full ? try r.decode(column: "phone_cipher", as: Data?.self).map { try cipher.open($0) }
                    : try r.decode(column: "phone_masked", as: String?.self)
                let sex = try r.decodeStored(column: "sex", as: Sex.self, of: "residents").label
                let relation = try r.decodeStored(column: "relation", as: HouseholdRelation.self, of: "residents").label
                let status = try r.decodeStored(column: "residence_status", as: ResidenceStatus.self, of: "residents").label
                let life = try r.decodeStored(column: "life_status", as: LifeStatus.self, of: "residents").label
                let tags = try r.decode(column: "tags", as: String.self).split(separator: ",")
                    .compactMap { ResidentTag(rawValue: String($0))?.label }.joined(separator: "、")
                let name = try r.decode(column: "name", as: String.self), number = try r.decode(column: "number", as: String.self)
                let birth = try r.decode(column: "birth_date", as: String.self)
                let cells: [XLSXCell] = [
                    .text(name), .text(idNumber), .text(sex), .text(birth), phone.map { .text($0) } ?? .empty,
                    .text(number), .text(try r.decode(column: "room", as: String.self)), .text(relation),
                    .text(try r.decode(column: "building", as: String.self)), .text(gridName), .text(code), .text(status),
                    tags.isEmpty ? .empty : .text(tags), .text(life),
                ]
                // The same order on every installation: nothing in the key depends on ids or keys.
                lines.append(([number, relationOrder(relation), birth, name, idNumber], cells))
            }
            lines.sort { $0.key.lexicographicallyPrecedes($1.key) }
            for l in lines { try writer.row(l.cells) }
            written += lines.count
            progress(written, total)
        }
        try writer.close()
        try await AuditLog.record(AuditEvent(full ? RegistryAudit.exportFull : RegistryAudit.export, target: .table("residents"),
                                             detail: ["file": (path as NSString).lastPathComponent, "rows": String(written),
                                                      "scope": scope.prefix.isEmpty ? "全区" : scope.prefix,
                                                      "numbers": full ? "完整" : "脱敏"]), by: actor, on: db)
        return written
    }

    private func relationOrder(_ label: String) -> String {
        String(HouseholdRelation.allCases.firstIndex { $0.label == label } ?? 99)
    }
}

extension RegistryExport {
    /// The report of a validation: every problem with its row, column and reason.
    public static func writeReport(_ plan: ResidentImportPlan, to path: String) throws {
        // Rows of more than one worksheet: the sheet comes first.
        let sheets = plan.problems.contains { $0.sheet != nil } || plan.skipped.contains { $0.sheet != nil }
        let widths: [Double] = sheets ? [16, 8, 16, 80] : [8, 16, 80]
        let w = try SheetWriter(path: path, sheetName: "导入检查报告", columnWidths: widths)
        try w.header((sheets ? ["工作表"] : []) + ["行号", "列", "问题"])
        let blank: [XLSXCell] = sheets ? [.empty] : []
        func line(_ p: RowProblem) throws {
            let lead: [XLSXCell] = sheets ? [.text(p.sheet ?? "")] : []
            try w.row(lead + [.number(Double(p.row)), .text(p.column), .text(p.message)])
        }
        for p in plan.problems { try line(p) }
        if plan.problemsNotKept > 0 {
            try w.row(blank + [.empty, .empty, .text("另有 \(plan.problemsNotKept) 个问题未列出：请先改正以上各行")])
        }
        // Hidden rows: not problems, but the worker should see which rows were left out.
        for p in plan.skipped { try line(p) }
        if plan.skippedNotKept > 0 {
            try w.row(blank + [.empty, .empty, .text("另有 \(plan.skippedNotKept) 个隐藏行已跳过")])
        }
        try w.close()
    }

    /// The import template: one header row whose cells say what each column takes, after the name
    /// (import reads a header up to its first parenthesis and ignores the star of a required column).
    public static func writeTemplate(to path: String) throws {
        let w = try SheetWriter(path: path, sheetName: "居民信息", columnWidths: ResidentColumn.allCases.map { _ in 24 })
        try w.header(ResidentColumn.allCases.map {
            (ResidentColumn.required.contains($0) ? $0.rawValue + "*" : $0.rawValue) + "（\($0.note)）"
        })
        try w.close()
    }

    /// What each column takes, for the template page and `linli import --template`.
    public static var templateNotes: [(column: String, note: String)] {
        ResidentColumn.allCases.map { ($0.rawValue, $0.note) }
    }
}
