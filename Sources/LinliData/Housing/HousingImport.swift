import FluentKit
import Foundation
import LinliCore
import SQLKit

/// Dwellings and units from an .xlsx or .csv file into the importer's scope, like residents: a template, a report
/// of every bad row and field, all or nothing, idempotent. The file is read with `SheetFile.read`, the header being
/// the first row naming a column of the kind. The natural keys are the building with the 房号 (dwellings) and the
/// credit code (units): a row that exists already as given changes nothing; one that exists otherwise is reported.
public struct HousingImport: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case dwellings, units

        public var label: String { self == .dwellings ? "房屋" : "单位" }
        public var columns: [String] { self == .dwellings ? DwellingColumn.allCases.map(\.rawValue) : UnitColumn.allCases.map(\.rawValue) }
        /// One example row for the template.
        public var example: [String] {
            self == .dwellings ? ["321271002001001", "锦绣花园1幢", "3-502", "5", "89.5", "3", "自住"]
                : ["恒通商贸有限公司", DemoHousing.creditCode(1, district: "321271", kind: .enterprise), "企业", "321271002001001", "锦绣花园1幢", "李国强",
                   "13912345678", "12", "否", "李国强"]
        }
    }

    public enum DwellingColumn: String, CaseIterable { case grid = "网格编码", building = "楼栋", number = "房号", floor = "楼层", area = "建筑面积", rooms = "房间数", use = "用途" }
    public enum UnitColumn: String, CaseIterable {
        case name = "单位名称", code = "统一社会信用代码", kind = "单位类别", grid = "网格编码", building = "楼栋", contact = "联系人", phone = "联系电话"
        case employees = "从业人数", opens = "开放设施", safety = "安全责任人"
    }

    /// What a file would write (nothing was written): the rows, those new, those already there as given, the problems.
    public struct Plan: Sendable {
        public var fileName: String
        public var kind: Kind
        public var rows = 0
        public var unchanged = 0
        public var problems: [RowProblem] = []
        public var isClean: Bool { problems.isEmpty }
        public var new: Int { dwellings.count + units.count }
        var dwellings: [(building: BuildingRecord, input: DwellingInput)] = []
        var units: [(building: BuildingRecord, input: UnitInput)] = []
    }

    public struct Rejected: Error, Sendable { public var problems: [RowProblem] }

    let db: any Database
    let cipher: PersonalDataCipher
    let scope: RegistryScope

    public init(_ db: any Database, cipher: PersonalDataCipher, scope: RegistryScope) {
        self.db = db
        self.cipher = cipher
        self.scope = scope
    }

    /// The rows as column → text, found under the first row that names a column of the kind.
    func records(_ path: String, kind: Kind) throws -> [(Int, [String: String], Bool)] {
        var out: [(Int, [String: String], Bool)] = []
        var header: [String]?
        let columns = Set(kind.columns)
        try SheetFile.read(path, limits: SheetLimits()) { row in
            if row.isEmpty { return }
            guard let h = header else {
                let names = row.cells.map { ResidentColumn.normalizeHeader($0) }
                if names.contains(where: { columns.contains($0) }) { header = names }
                return
            }
            var rec: [String: String] = [:]
            for (i, c) in row.cells.enumerated() where i < h.count { rec[h[i]] = c.trimmingCharacters(in: .whitespaces) }
            out.append((row.number, rec, !row.formulas.isEmpty || !row.undecodable.isEmpty))
        }
        guard let found = header else { throw SheetError.noHeader }
        let missing = kind.columns.filter { !found.contains($0) && !["网格编码", "楼层", "建筑面积", "房间数", "联系人", "联系电话", "从业人数", "开放设施", "安全责任人"].contains($0) }
        if !missing.isEmpty { throw SheetError.missingColumns(missing) }
        return out
    }

    /// Checks the whole file; writes nothing. Throws `SheetError` when the file as a whole cannot be read.
    public func validate(file path: String, name: String? = nil, kind: Kind) async throws -> Plan {
        var plan = Plan(fileName: name ?? (path as NSString).lastPathComponent, kind: kind)
        let records = try records(path, kind: kind)
        plan.rows = records.count
        let sql = SQLHelpers.sql(db), sqlite = db.isSQLite
        // The buildings of the scope by grid and name, and by name alone where it is unique.
        var byGrid: [String: BuildingRecord] = [:], byName: [String: [BuildingRecord]] = [:]
        for r in try await sql.select().columns("id", "grid_code", "name", "address", "latitude", "longitude", "floors", "version").from(Building.schema)
            .wherePrefix("grid_code", scope.prefix, sqlite: sqlite).all() {
            let b = try r.decodeRecord(BuildingRecord.self)
            byGrid[b.gridCode + "|" + b.name] = b
            byName[b.name, default: []].append(b)
        }
        func building(_ rec: [String: String], row: Int, grid: String, name: String) -> BuildingRecord? {
            let g = rec[grid] ?? "", n = rec[name] ?? ""
            if n.isEmpty { plan.problems.append(RowProblem(row: row, column: name, message: "请填写楼栋")); return nil }
            if !g.isEmpty {
                if let b = byGrid[g + "|" + n] { return b }
                plan.problems.append(RowProblem(row: row, column: name, message: "网格 \(g) 中没有楼栋“\(n)”，或不在您的管辖范围内（请先登记楼栋）"))
                return nil
            }
            let found = byName[n] ?? []
            if found.count == 1 { return found[0] }
            plan.problems.append(RowProblem(row: row, column: found.isEmpty ? name : grid,
                                            message: found.isEmpty ? "您的管辖范围内没有楼栋“\(n)”（请先登记楼栋）" : "楼栋名称“\(n)”不唯一，请填写网格编码"))
            return nil
        }
        func errors(_ row: Int, _ e: [FieldError], _ columns: [String: String]) {
            for f in e { plan.problems.append(RowProblem(row: row, column: columns[f.field] ?? f.field, message: f.message)) }
        }
        switch kind {
        case .dwellings:
            let C = DwellingColumn.self
            let columns = ["number": C.number.rawValue, "floor": C.floor.rawValue, "area": C.area.rawValue, "rooms": C.rooms.rawValue, "use": C.use.rawValue]
            var existing: [String: DwellingRecord] = [:]
            for d in try await dwellingSelect(sql, sqlite) { existing[d.buildingId.uuidString + "|" + d.number] = d }
            var seen: [String: Int] = [:]
            for (row, rec, bad) in records {
                if bad { plan.problems.append(RowProblem(row: row, column: C.number.rawValue, message: "含有公式或无法识别的文字")); continue }
                guard let b = building(rec, row: row, grid: C.grid.rawValue, name: C.building.rawValue) else { continue }
                var fieldErrors: [FieldError] = []
                func int(_ c: DwellingColumn) -> Int? {
                    guard let t = rec[c.rawValue], !t.isEmpty else { return nil }
                    guard let v = Int(t) ?? Double(t).flatMap({ $0 == $0.rounded() && abs($0) < 1e6 ? Int($0) : nil }) else {
                        fieldErrors.append(FieldError(c.rawValue, "\(c.rawValue)应为整数")); return nil
                    }
                    return v
                }
                let areaText = rec[C.area.rawValue] ?? ""
                var area: Double?
                if !areaText.isEmpty {
                    if let a = Double(areaText), a.isFinite { area = a } else { fieldErrors.append(FieldError(C.area.rawValue, "建筑面积应为数字（平方米）")) }
                }
                let useText = rec[C.use.rawValue] ?? ""
                let use = DwellingUse(rawValue: useText) ?? DwellingUse.allCases.first { $0.label == useText }
                let input = DwellingInput(number: rec[C.number.rawValue], floor: int(.floor), area: area, rooms: int(.rooms), use: use)
                fieldErrors += HousingRules.check(input).map { $0.field == "use" && !useText.isEmpty ? FieldError("use", "用途“\(useText)”应为自住、出租、空置或经营") : $0 }
                if !fieldErrors.isEmpty { errors(row, fieldErrors, columns); continue }
                let number = input.number!.trimmingCharacters(in: .whitespaces)
                let key = b.id.uuidString + "|" + number
                if let first = seen[key] { plan.problems.append(RowProblem(row: row, column: C.number.rawValue, message: "与第\(first)行的楼栋和房号重复")); continue }
                seen[key] = row
                if let e = existing[key] {
                    if e.floor == input.floor && e.area == input.area && e.rooms == input.rooms && e.use == input.use { plan.unchanged += 1 } else {
                        plan.problems.append(RowProblem(row: row, column: C.number.rawValue, message: "\(b.name) \(number) 已登记，与本行不同（请在房屋页修改）"))
                    }
                    continue
                }
                var i = input
                i.number = number
                plan.dwellings.append((b, i))
            }
        case .units:
            let C = UnitColumn.self
            let columns = ["name": C.name.rawValue, "credit_code": C.code.rawValue, "kind": C.kind.rawValue, "contact_name": C.contact.rawValue,
                           "contact_phone": C.phone.rawValue, "employees": C.employees.rawValue, "safety_person": C.safety.rawValue]
            var existing: [String: String] = [:]
            for r in try await sql.select().columns("credit_code", "name").from("units").all() {
                existing[try r.decode(column: "credit_code", as: String.self)] = try r.decode(column: "name", as: String.self)
            }
            var seen: [String: Int] = [:]
            for (row, rec, bad) in records {
                if bad { plan.problems.append(RowProblem(row: row, column: C.name.rawValue, message: "含有公式或无法识别的文字")); continue }
                let kindText = rec[C.kind.rawValue] ?? ""
                let kind = UnitKind(rawValue: kindText) ?? UnitKind.allCases.first { $0.label == kindText }
                var fieldErrors: [FieldError] = []
                var employees: Int?
                if let t = rec[C.employees.rawValue], !t.isEmpty {
                    if let v = Int(t) ?? Double(t).flatMap({ $0 == $0.rounded() && abs($0) < 1e7 ? Int($0) : nil }) { employees = v }
                    else { fieldErrors.append(FieldError(C.employees.rawValue, "从业人数应为整数")) }
                }
                let opensText = rec[C.opens.rawValue] ?? ""
                let input = UnitInput(name: rec[C.name.rawValue], creditCode: rec[C.code.rawValue], kind: kind, contactName: rec[C.contact.rawValue],
                                      contactPhone: rec[C.phone.rawValue], employees: employees, opensFacilities: ["是", "开放", "true", "1"].contains(opensText),
                                      safetyPerson: rec[C.safety.rawValue])
                fieldErrors += HousingRules.check(input).map { $0.field == "kind" && !kindText.isEmpty ? FieldError("kind", "单位类别“\(kindText)”应为\(UnitKind.allCases.map(\.label).joined(separator: "、"))") : $0 }
                let found = building(rec, row: row, grid: C.grid.rawValue, name: C.building.rawValue)
                if !fieldErrors.isEmpty { errors(row, fieldErrors, columns); continue }
                guard let b = found else { continue }
                let code = CreditCode.normalized(input.creditCode!)
                if let first = seen[code] { plan.problems.append(RowProblem(row: row, column: C.code.rawValue, message: "与第\(first)行的统一社会信用代码重复")); continue }
                seen[code] = row
                let name = input.name!.trimmingCharacters(in: .whitespaces)
                if let e = existing[code] {
                    if e == name { plan.unchanged += 1 } else {
                        plan.problems.append(RowProblem(row: row, column: C.code.rawValue, message: "统一社会信用代码\(code)已登记为“\(e)”"))
                    }
                    continue
                }
                var i = input
                i.name = name; i.creditCode = code
                plan.units.append((b, i))
            }
        }
        plan.problems.sort { ($0.row, $0.column) < ($1.row, $1.column) }
        return plan
    }

    func dwellingSelect(_ sql: any SQLDatabase, _ sqlite: Bool) async throws -> [DwellingRecord] {
        try await sql.select().columns("id", "building_id", "grid_code", "number", "floor", "area", "rooms", "use", "version").from("dwellings")
            .wherePrefix("grid_code", scope.prefix, sqlite: sqlite).all().map { try $0.decodeRecord(DwellingRecord.self) }
    }

    /// Writes a clean plan's new rows in one transaction with one audit entry; a plan with problems is `Rejected`
    /// (nothing written). Rows registered since the check are skipped. Returns the rows written.
    @discardableResult
    public func commit(_ plan: Plan, by actor: AuditActor) async throws -> Int {
        guard plan.isClean else { throw Rejected(problems: plan.problems) }
        let cipher = self.cipher, now = Int64(Date().timeIntervalSince1970)
        var sealed: [Data?] = []
        for u in plan.units { sealed.append(try u.input.contactPhone?.trimmedOrNil.map { try cipher.seal($0.filter { $0 != " " }) }) }
        let phones = sealed
        return try await db.writeTransaction { db in
            let sql = SQLHelpers.sql(db)
            var written = 0
            for (b, i) in plan.dwellings {
                let rows = try await sql.raw("""
                    INSERT INTO dwellings (id, building_id, grid_code, number, floor, area, rooms, use, version, created_by, created_at, updated_at)
                    VALUES (\(bind: UUID()), \(bind: b.id), \(bind: b.gridCode), \(bind: i.number!), \(bind: i.floor), \(bind: i.area), \(bind: i.rooms),
                            \(bind: i.use!.rawValue), 1, \(bind: actor.username), \(bind: now), \(bind: now))
                    ON CONFLICT (building_id, number) DO NOTHING RETURNING id
                    """).all()
                written += rows.count
            }
            for (n, (b, i)) in plan.units.enumerated() {
                let phone = i.contactPhone?.trimmedOrNil?.filter { $0 != " " }
                let rows = try await sql.raw("""
                    INSERT INTO units (id, name, name_initials, credit_code, kind, building_id, grid_code, contact_name, contact_phone_cipher, contact_phone_masked,
                                       employees, opens_facilities, safety_person, version, created_by, created_at, updated_at)
                    VALUES (\(bind: UUID()), \(bind: i.name!), \(bind: Pinyin.reading(ofName: i.name!).initials), \(bind: i.creditCode!), \(bind: i.kind!.rawValue),
                            \(bind: b.id), \(bind: b.gridCode), \(bind: i.contactName?.trimmedOrNil), \(bind: phones[n]), \(bind: phone.map(Masking.phone)),
                            \(bind: i.employees), \(bind: i.opensFacilities), \(bind: i.safetyPerson?.trimmedOrNil), 1, \(bind: actor.username), \(bind: now), \(bind: now))
                    ON CONFLICT (credit_code) DO NOTHING RETURNING id
                    """).all()
                written += rows.count
            }
            try await AuditLog.append([AuditEvent(plan.kind == .dwellings ? HousingAudit.importDwellings : HousingAudit.importUnits, target: .table(plan.kind.rawValue),
                                                  detail: ["file": plan.fileName, "rows": String(plan.rows), "written": String(written), "unchanged": String(plan.unchanged)])],
                                      by: actor, on: db)
            return written
        }
    }

    /// The template: the header and one example row.
    public static func writeTemplate(_ kind: Kind, to path: String) throws {
        let w = try XLSXWriter(path: path, sheetName: kind.label, columnWidths: kind.columns.map { _ in 16 })
        try w.header(kind.columns)
        try w.row(text: kind.example)
        try w.close()
    }

    /// The report: every problem by row and column.
    public static func writeReport(_ problems: [RowProblem], to path: String) throws {
        let w = try XLSXWriter(path: path, sheetName: "问题报告", columnWidths: [8, 16, 60])
        try w.header(["行号", "列", "问题"])
        for p in problems { try w.row([.number(Double(p.row)), .text(p.column), .text(p.message)]) }
        try w.close()
    }
}
