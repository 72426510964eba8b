import FluentKit
import Foundation
import LinliCore
import SQLKit

/// Divisions (镇街, 村/社区, 网格 with their polygons) and buildings (with their points), to and from
/// .xlsx, .csv and GeoJSON. Both are small: a file is checked whole and written in one transaction,
/// or not at all. The code (divisions) and the grid with the name (buildings) are the natural keys:
/// a row that exists already as given changes nothing.
public struct AreaTransfer: Sendable {
    let db: any Database
    let scope: RegistryScope

    public init(_ db: any Database, scope: RegistryScope) {
        self.db = db
        self.scope = scope
    }

    public enum DivisionColumn: String, CaseIterable { case code = "区划代码", name = "名称", level = "层级", kind = "类别", parent = "上级代码", boundary = "边界" }
    public enum BuildingColumn: String, CaseIterable { case grid = "网格编码", name = "楼栋", address = "地址", latitude = "纬度", longitude = "经度", floors = "层数" }

    public struct Outcome: Sendable, Equatable { public var created: Int; public var unchanged: Int }

    /// Problems in a divisions or buildings file; nothing was written.
    public struct Rejected: Error, Sendable { public var problems: [RowProblem] }

    // MARK: Export

    public func exportDivisions(to path: String, by actor: AuditActor) async throws -> Int {
        let rows = try await DivisionQueries(db).all(in: scope).sorted { $0.code < $1.code }
        if try SheetFormat(path: path) == .geojson {
            let features: [[String: Any]] = rows.map { d in
                var props: [String: Any] = ["code": d.code, "name": d.name, "level": d.level.rawValue]
                if let k = d.kind { props["kind"] = k.rawValue }
                if let p = d.parentCode { props["parent"] = p }
                let geometry: Any = d.boundary.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) } ?? NSNull()
                return ["type": "Feature", "geometry": geometry, "properties": props]
            }
            try writeGeoJSON(features, to: path)
        } else {
            let w = try SheetWriter(path: path, sheetName: "行政区划", columnWidths: [18, 20, 10, 8, 18, 60])
            try w.header(DivisionColumn.allCases.map(\.rawValue))
            for d in rows {
                try w.row([.text(d.code), .text(d.name), .text(d.level.label), d.kind.map { .text($0.rawValue) } ?? .empty,
                           d.parentCode.map { .text($0) } ?? .empty, d.boundary.map { .text($0) } ?? .empty])
            }
            try w.close()
        }
        try await AuditLog.record(AuditEvent(RegistryAudit.export, target: .table("divisions"), detail: ["rows": String(rows.count)]), by: actor, on: db)
        return rows.count
    }

    public func exportBuildings(to path: String, by actor: AuditActor) async throws -> Int {
        let sql = SQLHelpers.sql(db)
        let rows = try await sql.select().columns("grid_code", "name", "address", "latitude", "longitude", "floors").from(Building.schema)
            .wherePrefix("grid_code", scope.prefix, sqlite: db.isSQLite).orderBy("grid_code").orderBy("name").all()
            .map { r in (grid: try r.decode(column: "grid_code", as: String.self), name: try r.decode(column: "name", as: String.self),
                         address: try r.decode(column: "address", as: String.self), lat: try r.decode(column: "latitude", as: Double.self),
                         lon: try r.decode(column: "longitude", as: Double.self), floors: try r.decode(column: "floors", as: Int?.self)) }
        if try SheetFormat(path: path) == .geojson {
            try writeGeoJSON(rows.map { b in
                var props: [String: Any] = ["grid_code": b.grid, "name": b.name, "address": b.address]
                if let f = b.floors { props["floors"] = f }
                return ["type": "Feature", "geometry": ["type": "Point", "coordinates": [b.lon, b.lat]], "properties": props]
            }, to: path)
        } else {
            let w = try SheetWriter(path: path, sheetName: "楼栋", columnWidths: [18, 24, 24, 12, 12, 8])
            try w.header(BuildingColumn.allCases.map(\.rawValue))
            for b in rows {
                try w.row([.text(b.grid), .text(b.name), .text(b.address), .number(b.lat), .number(b.lon), b.floors.map { .number(Double($0)) } ?? .empty])
            }
            try w.close()
        }
        try await AuditLog.record(AuditEvent(RegistryAudit.export, target: .table("buildings"), detail: ["rows": String(rows.count)]), by: actor, on: db)
        return rows.count
    }

    private func writeGeoJSON(_ features: [[String: Any]], to path: String) throws {
        let doc: [String: Any] = ["type": "FeatureCollection", "features": features]
        let data = try JSONSerialization.data(withJSONObject: doc, options: [.sortedKeys, .withoutEscapingSlashes])
        guard PrivateFiles.create(path, contents: data) else { throw SheetError.notFound(path) }
    }

    // MARK: Import

    /// Rows of a sheet or the features of a GeoJSON file, as (row number, column name → text).
    private func records(_ path: String, columns: [String], geo: (_ geometry: Any?, _ props: [String: Any]) -> [String: String]) throws -> [(Int, [String: String])] {
        let limits = SheetLimits()
        if try SheetFile.check(path, limits: limits) == .geojson {
            guard let data = FileManager.default.contents(atPath: path),
                  let doc = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let features = doc["features"] as? [[String: Any]] else {
                throw SheetError.corrupt("不是 GeoJSON FeatureCollection")
            }
            return features.enumerated().map { ($0.offset + 1, geo($0.element["geometry"], $0.element["properties"] as? [String: Any] ?? [:])) }
        }
        var out: [(Int, [String: String])] = []
        var header: [String]?
        try SheetFile.read(path, limits: limits) { row in
            if row.isEmpty { return }
            guard let h = header else {
                header = row.cells.map { ResidentColumn.normalizeHeader($0) }
                if !columns.contains(where: { header!.contains($0) }) { throw SheetError.noHeader }
                return
            }
            var rec: [String: String] = [:]
            for (i, c) in row.cells.enumerated() where i < h.count { rec[h[i]] = c.trimmingCharacters(in: .whitespaces) }
            if !row.formulas.isEmpty || !row.undecodable.isEmpty { rec["__bad"] = "1" }
            out.append((row.number, rec))
        }
        return out
    }

    public func importDivisions(file path: String, by actor: AuditActor) async throws -> Outcome {
        let C = DivisionColumn.self
        let records = try records(path, columns: C.allCases.map(\.rawValue)) { geometry, props in
            var r: [String: String] = [:]
            r[C.code.rawValue] = props["code"] as? String
            r[C.name.rawValue] = props["name"] as? String
            r[C.kind.rawValue] = props["kind"] as? String
            if let g = geometry, !(g is NSNull), let data = try? JSONSerialization.data(withJSONObject: g, options: [.sortedKeys]) {
                r[C.boundary.rawValue] = String(decoding: data, as: UTF8.self)
            }
            return r
        }
        let existing = Dictionary(try await DivisionQueries(db).all().map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        var problems: [RowProblem] = []
        var seen: [String: Int] = [:]
        var new: [(code: DivisionCode, name: String, kind: CommunityKind?, boundary: String?)] = []
        var unchanged = 0
        for (row, rec) in records {
            func fail(_ c: DivisionColumn, _ m: String) { problems.append(RowProblem(row: row, column: c.rawValue, message: m)) }
            if rec["__bad"] != nil { fail(.code, "含有公式或无法识别的文字"); continue }
            let text = rec[C.code.rawValue] ?? "", name = rec[C.name.rawValue] ?? ""
            guard let code = try? DivisionCode(text) else { fail(.code, "区划代码“\(text)”无效（12位，网格15位）"); continue }
            if let first = seen[code.value] { fail(.code, "与第\(first)行的区划代码重复"); continue }
            seen[code.value] = row
            if name.isEmpty || name.count > 60 { fail(.name, "名称应为1至60个字"); continue }
            if let e = existing[code.value] {
                if e.name == name { unchanged += 1 } else { fail(.name, "区划 \(code.value) 已存在，名称为“\(e.name)”") }
                continue
            }
            guard code.level != .district || scope.prefix.isEmpty else { fail(.code, "区级区划只能由全区账号导入"); continue }
            guard scope.contains(code: code.value) || (code.level == .district && scope.prefix.isEmpty) else {
                fail(.code, "区划 \(code.value) 不在您的管辖范围内"); continue
            }
            if let parent = code.parent, existing[parent.value] == nil, seen[parent.value] == nil {
                fail(.parent, "上级区划 \(parent.value) 不存在（须先于下级出现或已登记）"); continue
            }
            let kindText = rec[C.kind.rawValue] ?? ""
            let kind = CommunityKind(rawValue: kindText) ?? (kindText == "village" ? .village : kindText == "community" ? .community : nil)
            if code.level == .community && kind == nil { fail(.kind, "村/社区须注明类别：村 或 社区"); continue }
            var boundary = rec[C.boundary.rawValue].flatMap { $0.isEmpty ? nil : $0 }
            if let b = boundary {
                guard code.level == .grid else { fail(.boundary, "只有网格可以有边界"); continue }
                guard let obj = try? JSONSerialization.jsonObject(with: Data(b.utf8)) as? [String: Any], obj["type"] as? String == "Polygon",
                      obj["coordinates"] is [Any] else { fail(.boundary, "边界应为 GeoJSON Polygon"); continue }
                boundary = b
            }
            new.append((code, name, code.level == .community ? kind : nil, boundary))
        }
        guard problems.isEmpty else { throw Rejected(problems: problems) }
        new.sort { ($0.code.level, $0.code.value) < ($1.code.level, $1.code.value) }
        return try await db.writeTransaction { [new, unchanged] db in
            var ids: [String: UUID] = Dictionary(existing.values.map { ($0.code, $0.id) }, uniquingKeysWith: { a, _ in a })
            var insert = BulkInsert(Division.schema, ["id", "code", "name", "level", "kind", "parent_id", "boundary", "version", "created_at", "updated_at"])
            let now = Date()
            for d in new {
                let id = UUID()
                ids[d.code.value] = id
                insert.add([id, d.code.value, d.name, d.code.level.rawValue, d.kind?.rawValue, d.code.parent.flatMap { ids[$0.value] },
                            d.boundary, 1, now, now])
                // Parents must be written before their children's rows refer to them.
                if insert.isFull || d.code.level != new.last?.code.level { try await insert.flush(on: db) }
            }
            try await insert.flush(on: db)
            try await AuditLog.append([AuditEvent(RegistryAudit.import, target: .table("divisions"), detail: [
                "file": (path as NSString).lastPathComponent, "created": String(new.count), "unchanged": String(unchanged)])], by: actor, on: db)
            return Outcome(created: new.count, unchanged: unchanged)
        }
    }

    public func importBuildings(file path: String, by actor: AuditActor) async throws -> Outcome {
        let C = BuildingColumn.self
        let records = try records(path, columns: C.allCases.map(\.rawValue)) { geometry, props in
            var r: [String: String] = [:]
            r[C.grid.rawValue] = props["grid_code"] as? String
            r[C.name.rawValue] = props["name"] as? String
            r[C.address.rawValue] = props["address"] as? String
            if let f = props["floors"] as? Int { r[C.floors.rawValue] = String(f) }
            if let g = geometry as? [String: Any], g["type"] as? String == "Point", let c = g["coordinates"] as? [Double], c.count >= 2 {
                r[C.longitude.rawValue] = String(c[0]); r[C.latitude.rawValue] = String(c[1])
            }
            return r
        }
        let sql = SQLHelpers.sql(db)
        var grids: [String: UUID] = [:]
        for r in try await sql.select().columns("id", "code").from(Division.schema).where("level", .equal, SQLBind(DivisionLevel.grid.rawValue))
            .wherePrefix("code", scope.prefix, sqlite: db.isSQLite).all() {
            grids[try r.decode(column: "code", as: String.self)] = try r.decode(column: "id", as: UUID.self)
        }
        var existing = Set<String>()
        for r in try await sql.select().columns("grid_code", "name").from(Building.schema).wherePrefix("grid_code", scope.prefix, sqlite: db.isSQLite).all() {
            existing.insert(try r.decode(column: "grid_code", as: String.self) + "|" + (try r.decode(column: "name", as: String.self)))
        }
        var problems: [RowProblem] = []
        var seen: [String: Int] = [:]
        var new: [(gridID: UUID, draft: BuildingDraft)] = []
        var unchanged = 0
        for (row, rec) in records {
            func fail(_ c: BuildingColumn, _ m: String) { problems.append(RowProblem(row: row, column: c.rawValue, message: m)) }
            if rec["__bad"] != nil { fail(.name, "含有公式或无法识别的文字"); continue }
            let grid = rec[C.grid.rawValue] ?? "", name = rec[C.name.rawValue] ?? ""
            guard let gridID = grids[grid] else { fail(.grid, "网格 \(grid) 不存在或不在您的管辖范围内"); continue }
            let key = grid + "|" + name
            if let first = seen[key] { fail(.name, "与第\(first)行的楼栋重复"); continue }
            seen[key] = row
            if existing.contains(key) { unchanged += 1; continue }
            guard let lat = Double(rec[C.latitude.rawValue] ?? ""), let lon = Double(rec[C.longitude.rawValue] ?? "") else {
                fail(.latitude, "纬度和经度应为数字"); continue
            }
            let floorsText = rec[C.floors.rawValue] ?? ""
            let floors = floorsText.isEmpty ? nil : Int(floorsText) ?? Double(floorsText).map { Int($0) }
            if !floorsText.isEmpty && floors == nil { fail(.floors, "层数应为整数"); continue }
            let draft = BuildingDraft(gridCode: grid, name: name, address: rec[C.address.rawValue] ?? "", latitude: lat, longitude: lon, floors: floors)
            var errors = FieldErrors()
            BuildingQueries.check(draft, errors: &errors)
            if let e = errors.errors.first {
                let column: BuildingColumn = e.field == "name" ? .name : e.field == "address" ? .address : e.field == "floors" ? .floors : .latitude
                fail(column, e.message); continue
            }
            new.append((gridID, draft))
        }
        guard problems.isEmpty else { throw Rejected(problems: problems) }
        return try await db.writeTransaction { [new, unchanged] db in
            var insert = BulkInsert(Building.schema, ["id", "grid_id", "grid_code", "name", "address", "latitude", "longitude", "floors", "version", "created_at", "updated_at"])
            let now = Date()
            for b in new {
                let d = b.draft
                insert.add([UUID(), b.gridID, d.gridCode, d.name, d.address, d.latitude, d.longitude, d.floors, 1, now, now])
                if insert.isFull { try await insert.flush(on: db) }
            }
            try await insert.flush(on: db)
            try await AuditLog.append([AuditEvent(RegistryAudit.import, target: .table("buildings"), detail: [
                "file": (path as NSString).lastPathComponent, "created": String(new.count), "unchanged": String(unchanged)])], by: actor, on: db)
            return Outcome(created: new.count, unchanged: unchanged)
        }
    }
}
