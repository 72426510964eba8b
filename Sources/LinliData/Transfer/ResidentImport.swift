import FluentKit
import Foundation
import LinliCore
import SQLKit

/// What validating a file found: every bad row with its reason, and the good rows ready to write.
/// Nothing has been written when a plan exists; `ResidentImport.commit` writes its good rows.
public struct ResidentImportPlan: Sendable {
    public var fileName: String
    /// Data rows (not counting the header and empty rows).
    public var rows = 0
    public var problems: [RowProblem] = []
    /// Problems past the ones kept (a file of a million bad rows keeps its first 100,000 reasons).
    public var problemsNotKept = 0
    /// Rows with at least one problem.
    public var badRows = 0
    /// Rows whose person is already on the registry as given: importing them changes nothing.
    public var unchanged = 0
    /// Every worksheet of the file; the ones read, each with the row its header was found in; the
    /// hidden rows skipped (as the report lists them); what the worker should know of how the file was read.
    public var sheets: [SheetInfo] = []
    public var taken: [TakenSheet] = []
    public var skipped: [RowProblem] = []
    public var skippedNotKept = 0
    public var notes: [String] = []
    public struct TakenSheet: Sendable, Equatable, Codable {
        public var name: String
        public var headerRow: Int
        public var rows = 0
        public var hiddenRows = 0
    }
    public var newHouseholds: Int { households.count }
    public var newResidents: Int { residents.count }
    public var isClean: Bool { badRows == 0 }

    struct NewHousehold: Sendable { var id: UUID; var number: String; var buildingID: UUID; var gridCode: String; var room: String }
    /// The rows that passed the checks needing no database, each kept once.
    var people: [ResidentSheetRow] = []
    struct NewResident: Sendable {
        /// Index in `people`.
        var person: Int
        var householdID: UUID
        var gridCode: String
        var idIndex: String
    }
    var households: [NewHousehold] = []
    var residents: [NewResident] = []

    static let maxProblemsKept = 100_000

    mutating func skip(_ p: RowProblem) {
        if skipped.count < 1_000 { skipped.append(p) } else { skippedNotKept += 1 }
    }

    mutating func add(_ p: RowProblem) {
        if problems.count < ResidentImportPlan.maxProblemsKept { problems.append(p) } else { problemsNotKept += 1 }
    }
}

/// What a commit wrote.
public struct ResidentImportResult: Sendable, Equatable, Codable {
    public var residents: Int
    public var households: Int
    /// Rows found on the registry by the time of writing (imported meanwhile): skipped.
    public var unchanged: Int
}

/// Imports residents from an .xlsx or .csv file into the caller's scope: `validate` reads and checks
/// the whole file and writes nothing; `commit` writes the good rows of a plan in one transaction,
/// with one audit entry. The ID number is the natural key: a person already registered with the same
/// name is left as is, so importing the same file twice changes nothing the second time.
public struct ResidentImport: Sendable {
    let db: any Database
    let cipher: PersonalDataCipher
    let today: CivilDate
    let scope: RegistryScope
    let limits: SheetLimits
    /// From how many new people a commit drops the registry's indexes and builds them again (when they
    /// are also at least as many as those registered already).
    var indexRebuildFrom = 20_000

    public init(_ db: any Database, cipher: PersonalDataCipher, today: CivilDate, scope: RegistryScope, limits: SheetLimits = SheetLimits()) {
        self.db = db
        self.cipher = cipher
        self.today = today
        self.scope = scope
        self.limits = limits
    }

    // MARK: Validation

    /// Reads the file and checks every row. Throws `SheetError` when the file as a whole cannot be read
    /// (wrong type, zip bomb, no header, several sheets and none chosen …); row problems go into the plan.
    /// The header is looked for in each sheet's first rows (`SheetHeader`); `choice` names the sheet or
    /// asks for one sheet per grid (`chooseSheets`).
    public func validate(file path: String, name: String? = nil, choice: SheetChoice = SheetChoice(),
                         progress: @escaping @Sendable (_ done: Int64, _ total: Int64) -> Void = { _, _ in }) async throws -> ResidentImportPlan {
        var plan = ResidentImportPlan(fileName: name ?? (path as NSString).lastPathComponent)
        let survey = try ResidentImport.chooseSheets(path, choice: choice, limits: limits)
        plan.sheets = survey.all
        var header: [String] = []
        var label: String?
        var firstRowOfID: [String: (row: Int, sheet: String?)] = [:]
        // Buildings, grids and households repeat from row to row: one copy of each name in memory.
        var names = Set<String>()
        func shared(_ s: String) -> String {
            if let i = names.firstIndex(of: s) { return names[i] }
            names.insert(s)
            return s
        }
        // Rows are checked a batch at a time on both cores; what needs the rows before (duplicates) in order.
        func take(_ row: SheetRow, _ parsed: Result<ResidentSheetRow, RowProblems>) {
            plan.rows += 1
            var problems: [RowProblem] = []
            func column(_ i: Int) -> String { i < header.count && !header[i].isEmpty ? header[i] : "第\(i + 1)列" }
            for i in row.undecodable {
                problems.append(RowProblem(row: row.number, column: column(i), message: "文字无法识别：文件中混有不同的编码（请整表另存为 UTF-8 或 GB18030）", sheet: label))
            }
            for i in row.formulas {
                problems.append(RowProblem(row: row.number, column: column(i), message: "单元格是公式：请复制后“选择性粘贴为数值”再导入", sheet: label))
            }
            switch parsed {
            case .success(var r) where problems.isEmpty:
                if let first = firstRowOfID[r.citizenID.value] {
                    let at = first.sheet != label ? "工作表“\(first.sheet ?? "")”第\(first.row)行" : "第\(first.row)行"
                    problems.append(RowProblem(row: row.number, column: ResidentColumn.idNumber.rawValue,
                                               message: "与\(at)的公民身份号码重复", sheet: label))
                } else {
                    firstRowOfID[r.citizenID.value] = (row.number, label)
                    r.building = shared(r.building)
                    r.grid = shared(r.grid)
                    r.household = shared(r.household)
                    r.room = shared(r.room)
                    plan.people.append(r)
                }
            case .success: break
            case .failure(let p): problems += p.problems
            }
            if !problems.isEmpty {
                plan.badRows += 1
                for p in problems { plan.add(p) }
            }
        }
        var batch: [SheetRow] = []
        func checkBatch(_ sheet: ResidentSheet) {
            guard !batch.isEmpty else { return }
            for (row, parsed) in zip(batch, ResidentImport.parse(batch, with: sheet, label: label)) { take(row, parsed) }
            batch.removeAll(keepingCapacity: true)
        }
        for chosen in survey.chosen {
            let taken = try prepare(chosen, choice: choice, several: survey.chosen.count > 1, into: &plan)
            header = taken.header
            label = taken.label
            let sheet = taken.sheet
            var read = ResidentImportPlan.TakenSheet(name: chosen.info.name, headerRow: taken.headerRow)
            try SheetFile.read(path, limits: limits, sheet: chosen.info.isWorkbookSheet ? chosen.info.name : nil, progress: progress) { row in
                guard row.number > taken.headerRow, !row.isEmpty else { return }
                if row.hidden {
                    read.hiddenRows += 1
                    plan.skip(RowProblem(row: row.number, column: "", message: "隐藏行，已跳过，未导入", sheet: label))
                    return
                }
                read.rows += 1
                batch.append(taken.fill(row))
                if batch.count == ResidentImport.checkBatch { checkBatch(sheet) }
            }
            checkBatch(sheet)
            plan.taken.append(read)
            if read.hiddenRows > 0 {
                plan.notes.append("工作表“\(chosen.info.name)”中有 \(read.hiddenRows) 个隐藏行，已跳过（隐藏的通常是已删除的人或备注；如需导入，请取消隐藏后重新上传）")
            }
        }
        firstRowOfID = [:]
        names = []
        ResidentImport.checkLeadingZeros(&plan)
        try await resolve(into: &plan)
        let order = Dictionary(plan.taken.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        plan.problems.sort { (order[$0.sheet ?? ""] ?? 0, $0.row, $0.column) < (order[$1.sheet ?? ""] ?? 0, $1.row, $1.column) }
        return plan
    }

    /// The checks that need the registry: grid and building exist in scope, households are consistent,
    /// one head per household, people already registered.
    private func resolve(into plan: inout ResidentImportPlan) async throws {
        let rows = plan.people
        let sql = SQLHelpers.sql(db), sqlite = db.isSQLite
        var gridsByCode: [String: String] = [:]  // code → name
        var gridCodesByName: [String: [String]] = [:]
        for r in try await sql.select().columns("code", "name").from(Division.schema)
            .where("level", .equal, SQLBind(DivisionLevel.grid.rawValue)).wherePrefix("code", scope.prefix, sqlite: sqlite).all() {
            let code = try r.decode(column: "code", as: String.self), name = try r.decode(column: "name", as: String.self)
            gridsByCode[code] = name
            gridCodesByName[name, default: []].append(code)
        }
        var buildings: [String: UUID] = [:]  // "grid|name"
        // A building near a grid's edge may house people of the neighbouring grid of the same community.
        var communityBuildings: [String: [UUID]] = [:]  // "community|name"
        var buildingNames: [UUID: String] = [:]
        for r in try await sql.select().columns("id", "grid_code", "name").from(Building.schema)
            .wherePrefix("grid_code", scope.prefix, sqlite: sqlite).all() {
            let id = try r.decode(column: "id", as: UUID.self), name = try r.decode(column: "name", as: String.self)
            let grid = try r.decode(column: "grid_code", as: String.self)
            buildings[grid + "|" + name] = id
            communityBuildings[grid.prefix(12) + "|" + name, default: []].append(id)
            buildingNames[id] = name
        }
        // Households and people that exist already, looked up by the numbers in the file.
        struct Existing { var id: UUID; var buildingID: UUID; var gridCode: String; var room: String }
        var households: [String: Existing] = [:]
        for chunk in Set(rows.map(\.household)).chunked(ResidentImport.lookupChunk) {
            for r in try await sql.select().columns("id", "number", "building_id", "grid_code", "room").from(Household.schema)
                .where("number", .in, chunk).all() {
                households[try r.decode(column: "number", as: String.self)] = Existing(
                    id: try r.decode(column: "id", as: UUID.self), buildingID: try r.decode(column: "building_id", as: UUID.self),
                    gridCode: try r.decode(column: "grid_code", as: String.self), room: try r.decode(column: "room", as: String.self))
            }
        }
        // A 户号 the file holds as a number (12) that the registry has with its leading zeros (0012).
        var padded: [String: String] = [:]
        let numeric = Set(rows.filter { $0.householdStoredAsNumber && households[$0.household] == nil }.map(\.household))
        for chunk in numeric.chunked(ResidentImport.lookupChunk) {
            for r in try await sql.select().column("number").from(Household.schema).where("number", .like, "0%")
                .where(SQLFunction("ltrim", args: SQLIdentifier("number"), SQLLiteral.string("0")), .in, SQLBind.group(chunk)).all() {
                let n = try r.decode(column: "number", as: String.self)
                if let key = RosterCell.zeroStripped(n) { padded[key] = n }
            }
        }
        var headed = Set<UUID>()
        for chunk in households.values.map(\.id).chunked(ResidentImport.lookupChunk) {
            for r in try await sql.select().column("household_id").from(Resident.schema)
                .where("household_id", .in, chunk)
                .where("relation", .equal, SQLBind(HouseholdRelation.head.rawValue))
                .where("life_status", .equal, SQLBind(LifeStatus.active.rawValue)).all() {
                headed.insert(try r.decode(column: "household_id", as: UUID.self))
            }
        }
        let indexes = rows.map { cipher.blindIndex($0.citizenID.value) }
        // During a key rotation a registered person may still carry the old key's index.
        let current = cipher.previousIndexAliases(rows.map(\.citizenID.value))
        var registered: [String: (name: String, gridCode: String)] = [:]
        for chunk in (indexes + current.keys).chunked(ResidentImport.lookupChunk) {
            for r in try await sql.select().columns("id_index", "name", "grid_code").from(Resident.schema)
                .where("id_index", .in, chunk).all() {
                let found = try r.decode(column: "id_index", as: String.self)
                registered[current[found] ?? found] =
                    (try r.decode(column: "name", as: String.self), try r.decode(column: "grid_code", as: String.self))
            }
        }

        struct InFile { var id: UUID; var buildingID: UUID; var gridCode: String; var room: String; var row: Int; var headRow: Int? }
        var newHouseholds: [String: InFile] = [:]
        var random = RandomPool()
        struct RowKey: Hashable { var sheet: String?; var row: Int }
        var badRows = Set<RowKey>()
        func fail(_ r: ResidentSheetRow, _ c: ResidentColumn, _ m: String) {
            plan.add(RowProblem(row: r.row, column: c.rawValue, message: m, sheet: r.sheet))
            badRows.insert(RowKey(sheet: r.sheet, row: r.row))
        }
        for (i, r) in rows.enumerated() {
            if let existing = registered[indexes[i]] {
                if !scope.contains(code: existing.gridCode) {
                    fail(r, .idNumber, "该公民身份号码已在其他村/社区登记（如为迁入，请办理户间迁移）")
                } else if existing.name != r.name {
                    fail(r, .idNumber, "该公民身份号码已登记，姓名为“\(existing.name)”，与本行不同")
                } else {
                    plan.unchanged += 1
                }
                continue
            }
            if r.householdStoredAsNumber, let original = padded[r.household] {
                fail(r, .household, RosterCell.leadingZerosMessage(column: "户号", number: r.household, original: original, at: "登记中"))
                continue
            }
            // The grid: by code if given, else by its name in the importer's scope.
            var gridCode: String?
            if let code = r.gridCode {
                if gridsByCode[code] != nil { gridCode = code }
                else if scope.contains(code: code) { fail(r, .gridCode, "网格编码 \(code) 不存在") }
                else { fail(r, .gridCode, "网格 \(code) 不在您的管辖范围内") }
                if gridCode != nil, !r.grid.isEmpty, gridsByCode[code] != r.grid {
                    fail(r, .grid, "网格名称“\(r.grid)”与网格编码 \(code)（\(gridsByCode[code]!)）不符")
                    gridCode = nil
                }
            } else {
                let codes = gridCodesByName[r.grid] ?? []
                if codes.count == 1 { gridCode = codes[0] }
                else if codes.isEmpty { fail(r, .grid, "网格“\(r.grid)”不存在或不在您的管辖范围内") }
                else { fail(r, .grid, "网格名称“\(r.grid)”不唯一，请填写网格编码") }
            }
            guard let gridCode else { continue }
            let neighbours = communityBuildings[gridCode.prefix(12) + "|" + r.building] ?? []
            guard let buildingID = buildings[gridCode + "|" + r.building] ?? (neighbours.count == 1 ? neighbours[0] : nil) else {
                fail(r, .building, "楼栋“\(r.building)”不在网格\(gridsByCode[gridCode] ?? gridCode)及其所在村/社区中（请先登记楼栋）")
                continue
            }
            let householdID: UUID
            if let h = households[r.household] {
                guard scope.contains(code: h.gridCode) else { fail(r, .household, "户号 \(r.household) 已被其他村/社区使用"); continue }
                if h.buildingID != buildingID {
                    fail(r, .building, "户号 \(r.household) 已登记在楼栋“\(buildingNames[h.buildingID] ?? "?")”，与本行不同")
                    continue
                }
                if r.relation == .head && r.lifeStatus == .active {
                    if headed.contains(h.id) { fail(r, .relation, "户 \(r.household) 已有户主"); continue }
                    headed.insert(h.id)
                }
                householdID = h.id
            } else if var h = newHouseholds[r.household] {
                if h.buildingID != buildingID || h.gridCode != gridCode {
                    fail(r, .building, "同一户号在第\(h.row)行的楼栋或网格与本行不同"); continue
                }
                if h.room != r.room { fail(r, .room, "同一户号在第\(h.row)行的房号为“\(h.room)”，与本行不同"); continue }
                if r.relation == .head && r.lifeStatus == .active {
                    if let first = h.headRow { fail(r, .relation, "户 \(r.household) 在第\(first)行已有户主"); continue }
                    h.headRow = r.row
                    newHouseholds[r.household] = h
                }
                householdID = h.id
            } else {
                let h = InFile(id: random.uuid(), buildingID: buildingID, gridCode: gridCode, room: r.room, row: r.row,
                               headRow: r.relation == .head && r.lifeStatus == .active ? r.row : nil)
                newHouseholds[r.household] = h
                plan.households.append(.init(id: h.id, number: r.household, buildingID: buildingID, gridCode: gridCode, room: r.room))
                householdID = h.id
            }
            plan.residents.append(.init(person: i, householdID: householdID, gridCode: gridCode, idIndex: indexes[i]))
        }
        plan.badRows += badRows.count
        // A household whose every row was refused is not created.
        let used = Set(plan.residents.map(\.householdID))
        plan.households.removeAll { !used.contains($0.id) }
    }

    // MARK: Writing

    /// Writes the plan's good rows, all or nothing, and one audit entry. `progress` gets people written and the total.
    public func commit(_ plan: ResidentImportPlan, by actor: AuditActor,
                       progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> ResidentImportResult {
        let cipher = self.cipher, indexRebuildFrom = self.indexRebuildFrom
        return try await db.writeTransaction(bulk: true) { db in
            let sql = SQLHelpers.sql(db)
            // Someone may have registered some of these people since the file was checked.
            var present = Set<String>()
            let current = cipher.previousIndexAliases(plan.residents.map { plan.people[$0.person].citizenID.value })
            for chunk in (plan.residents.map(\.idIndex) + current.keys).chunked(ResidentImport.lookupChunk) {
                for r in try await sql.select().column("id_index").from(Resident.schema).where("id_index", .in, chunk).all() {
                    let found = try r.decode(column: "id_index", as: String.self)
                    present.insert(current[found] ?? found)
                }
            }
            for chunk in plan.households.map(\.number).chunked(ResidentImport.lookupChunk) {
                if let r = try await sql.select().column("number").from(Household.schema).where("number", .in, chunk).first() {
                    throw RegistryError.conflict(FieldError("household", "户号 \(try r.decode(column: "number", as: String.self)) 已在检查后被登记：请重新检查文件"))
                }
            }
            // Dropping the registry's indexes and building them again pays when the file is a large
            // share of the registry (a first import); otherwise the rows go into the indexes as written.
            let registered = try await sql.select().column(SQLFunction("count", args: SQLLiteral.all), as: "n").from(Resident.schema)
                .first()?.decode(column: "n", as: Int.self) ?? 0
            let big = plan.residents.count >= indexRebuildFrom && plan.residents.count >= registered
            let deferred = big ? try await SQLiteBulkLoad.dropSecondaryIndexes(
                on: db, tables: [Household.schema, Resident.schema, ResidentTagRow.schema, ResidentEvent.schema], cacheMiB: 32) : []
            var pipeline = InsertPipeline()
            let now = Date()
            var households = BulkInsert.households()
            // People are prepared (encrypted, read in pinyin, masked) a chunk at a time on the other core
            // while SQLite writes the chunk before: at most two chunks are prepared ahead.
            let todayText = today.description
            var ahead: [Task<(batches: [BulkInsert.Batch], people: Int), any Error>] = []
            do {
                for h in plan.households {
                    households.add(values: [.uuid(h.id), .text(h.number), .uuid(h.buildingID), .text(h.gridCode), .text(h.room),
                                            .integer(1), .date(now), .date(now)])
                    if households.isFull { try await pipeline.submit([households.take()!], on: db) }
                }
                try await pipeline.submit([households.take()].compactMap { $0 }, on: db)
                var written = 0
                var start = 0
                // One loop fills the queue of prepared chunks and writes its oldest once more than two wait.
                while start < plan.residents.count || !ahead.isEmpty {
                    if start < plan.residents.count {
                        let chunk = start..<min(start + ResidentImport.chunk, plan.residents.count)
                        start = chunk.upperBound
                        ahead.append(Task { [present] in
                            try ResidentImport.batches(plan, chunk, skipping: present, cipher: cipher, today: todayText, now: now)
                        })
                        if ahead.count <= 2 && start < plan.residents.count { continue }
                    }
                    let next = try await ahead.removeFirst().value
                    try await pipeline.submit(next.batches, on: db)
                    written += next.people
                    progress(written, plan.residents.count)
                }
                try await pipeline.drain()
                progress(written, plan.residents.count)
                if big { try await SQLiteBulkLoad.recreate(deferred, on: db) }
                let result = ResidentImportResult(residents: written, households: plan.households.count,
                                                  unchanged: plan.unchanged + (plan.residents.count - written))
                try await AuditLog.append([AuditEvent(RegistryAudit.import, target: .table("residents"), detail: [
                    "file": plan.fileName, "rows": String(plan.rows), "bad_rows": String(plan.badRows),
                    "residents": String(result.residents), "households": String(result.households), "unchanged": String(result.unchanged),
                ])], by: actor, on: db)
                return result
            } catch {
                for t in ahead { t.cancel() }
                try? await pipeline.drain()
                throw error
            }
        }
    }
}

extension ResidentImport {
    /// People per chunk: one multi-row INSERT of residents.
    static let chunk = 800
    /// Rows read before they are checked, half on each core.
    static let checkBatch = 4_096

    /// The rules of each row that need no database, for a batch of rows, on two cores (the rows are
    /// independent; the results come back in order).
    static func parse(_ rows: [SheetRow], with sheet: ResidentSheet, label: String? = nil) -> [Result<ResidentSheetRow, RowProblems>] {
        let parts = rows.count < 256 ? 1 : 2
        let size = (rows.count + parts - 1) / parts
        var out = [Result<ResidentSheetRow, RowProblems>?](repeating: nil, count: rows.count)
        out.withUnsafeMutableBufferPointer { results in
            let slots = UncheckedSendable(results)
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                for i in part * size..<min(rows.count, (part + 1) * size) {
                    slots.value[i] = sheet.parse(row: rows[i].number, cells: rows[i].cells, numeric: rows[i].numeric, sheet: label)
                }
            }
        }
        return out.map { $0! }
    }

    /// Numbers looked up per query (`IN (…)`; SQLite takes 32,766 bound values, PostgreSQL 65,535).
    static let lookupChunk = 5_000

    /// The rows of residents, tags and registration events for some people of a plan (those not
    /// `present` on the registry already), as statements, and how many people they hold.
    static func batches(_ plan: ResidentImportPlan, _ chunk: Range<Int>, skipping present: Set<String>, cipher: PersonalDataCipher,
                        today: String, now: Date) throws -> (batches: [BulkInsert.Batch], people: Int) {
        var random = RandomPool()
        var residents = BulkInsert.residents(), tags = BulkInsert.residentTags(), events = BulkInsert.residentEvents()
        var out: [BulkInsert.Batch] = []
        let note = String("批量导入：\(plan.fileName)".prefix(500))
        var people = 0
        for p in plan.residents[chunk] where !present.contains(p.idIndex) {
            people += 1
            let r = plan.people[p.person], id = random.uuid(), number = r.citizenID.value
            let reading = Pinyin.reading(ofName: r.name)
            residents.add(values: [
                .uuid(id), .text(r.name), .text(reading.full), .text(reading.initials), .blob(try cipher.seal(number, nonce: random.bytes(12))),
                .text(p.idIndex), .text(Masking.citizenID(number)), .text(r.citizenID.birthDate.description),
                .text(r.citizenID.sex.rawValue), .blob(try r.phone.map { try cipher.seal($0, nonce: random.bytes(12)) }),
                .text(r.phone.map(Masking.phone)), .uuid(p.householdID), .text(r.relation.rawValue), .text(r.residenceStatus.rawValue),
                .text(r.lifeStatus.rawValue), .text(p.gridCode), .text(r.tags.map(\.rawValue).joined(separator: ",")),
                .integer(1), .date(now), .date(now),
            ])
            for t in r.tags { tags.add(values: [.uuid(random.uuid()), .uuid(id), .text(t.rawValue)]) }
            let rowNote = r.lifeStatus == .active ? note : String("批量导入：\(plan.fileName)（人员状态：\(r.lifeStatus.label)）".prefix(500))
            events.add(values: [.uuid(random.uuid()), .uuid(id), .text(ResidentEventKind.registered.rawValue), .text(today),
                                .null, .uuid(p.householdID), .null, .text(rowNote), .date(now)])
            if residents.isFull || tags.isFull || events.isFull { out += [residents.take(), tags.take(), events.take()].compactMap { $0 } }
        }
        return (out + [residents.take(), tags.take(), events.take()].compactMap { $0 }, people)
    }
}

/// Disjoint slots of one buffer written from several threads (each thread its own indexes).
private struct UncheckedSendable<T>: @unchecked Sendable {
    var value: T
    init(_ value: T) { self.value = value }
}

extension Collection {
    /// Consecutive slices of at most `size` elements.
    func chunked(_ size: Int) -> [[Element]] {
        var out: [[Element]] = []
        var current: [Element] = []
        current.reserveCapacity(size)
        for e in self {
            current.append(e)
            if current.count == size { out.append(current); current.removeAll(keepingCapacity: true) }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }
}
