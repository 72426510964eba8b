import Foundation
import LinliCore

/// Which worksheet of a workbook to import: one by name, or every sheet with a header, each sheet's
/// rows going to the grid the sheet is named after (“one sheet per grid”, 按网格分表). Neither: the
/// only sheet whose header is found (a workbook where several qualify is refused with their names).
public struct SheetChoice: Sendable, Equatable {
    public var sheet: String?
    public var perGrid: Bool

    public init(sheet: String? = nil, perGrid: Bool = false) {
        let name = sheet.map(RosterText.trimmed) ?? ""
        self.sheet = name.isEmpty ? nil : name
        self.perGrid = perGrid
    }
}

extension ResidentImport {
    /// The sheets of a file and the ones to read. Throws the reason none can be read: a named sheet the
    /// file does not have, no header in any sheet (or the required columns missing from the best
    /// candidate), or several sheets with a header and no choice. Cheap: reads the first rows of each
    /// sheet only, so the upload can refuse at once.
    public static func chooseSheets(_ path: String, choice: SheetChoice, limits: SheetLimits = SheetLimits()) throws
        -> (all: [SheetInfo], chosen: [SheetSurvey<ResidentColumn>]) {
        let all = try SheetFile.survey(path, limits: limits, match: ResidentColumn.match)
        let infos = all.map(\.info)
        func missing(_ s: SheetSurvey<ResidentColumn>, perGrid: Bool) -> [String] {
            var m = ResidentColumn.required.filter { s.columns[$0] == nil }.map(\.rawValue)
            if !perGrid && s.columns[.grid] == nil && s.columns[.gridCode] == nil { m.append("网格（或网格编码）") }
            return m
        }
        func refusal(_ candidates: [SheetSurvey<ResidentColumn>]) -> SheetError {
            guard let best = candidates.filter({ $0.headerRow != nil }).max(by: { $0.columns.count < $1.columns.count }) else { return .noHeader }
            return .missingColumns(missing(best, perGrid: choice.perGrid))
        }
        if let name = choice.sheet, all.first?.info.isWorkbookSheet == true {
            guard let s = all.first(where: { $0.info.name == name }) else { throw SheetError.noSuchSheet(name, infos.map(\.name)) }
            guard s.headerRow != nil, missing(s, perGrid: choice.perGrid).isEmpty else { throw refusal([s]) }
            return (infos, [s])
        }
        // A hidden sheet is read only when named.
        let visible = all.filter { !$0.info.hidden }
        let qualifying = visible.filter { $0.headerRow != nil && missing($0, perGrid: choice.perGrid).isEmpty }
        if qualifying.isEmpty { throw refusal(visible) }
        if choice.perGrid || qualifying.count == 1 { return (infos, qualifying) }
        throw SheetError.severalSheets(qualifying.map(\.info.name))
    }

    /// How the rows of one chosen sheet are read: its header (with a 网格 column added when the sheet
    /// stands for its grid), the label its problems carry, the notes the worker reads.
    struct TakenHeader {
        var header: [String]
        var headerRow: Int
        var sheet: ResidentSheet
        var label: String?
        /// Per grid: the column that takes the sheet's name when the row leaves it empty.
        var gridColumn: Int?
        var gridValue = ""

        func fill(_ row: SheetRow) -> SheetRow {
            guard let c = gridColumn else { return row }
            var r = row
            while r.cells.count <= c { r.cells.append("") }
            if RosterText.trimmed(r.cells[c]).isEmpty {
                r.cells[c] = gridValue
                r.numeric.removeAll { $0 == c }
            }
            return r
        }
    }

    func prepare(_ s: SheetSurvey<ResidentColumn>, choice: SheetChoice, several: Bool, into plan: inout ResidentImportPlan) throws -> TakenHeader {
        guard let headerRow = s.headerRow else { throw SheetError.noHeader }
        var header = s.header
        var gridColumn: Int?
        let name = RosterText.trimmed(s.info.name)
        // One sheet per grid: the sheet's name is the grid's name, or its 15-digit code.
        let isCode = name.count == 15 && name.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
        if choice.perGrid {
            let column: ResidentColumn = isCode ? .gridCode : .grid
            if let c = s.columns[column] {
                gridColumn = c
            } else if s.columns[.grid] == nil && s.columns[.gridCode] == nil {
                gridColumn = header.count
                header.append(column.rawValue)
            }
        }
        let sheet: ResidentSheet
        do { sheet = try ResidentSheet(header: header, today: today) } catch { throw SheetError.missingColumns(error.names) }
        let label = several || choice.perGrid ? s.info.name : nil
        let title = s.info.isWorkbookSheet ? "工作表“\(s.info.name)”" : "文件"
        plan.notes.append("\(title)的表头在第\(headerRow)行" + (headerRow > 1 ? "（其上的标题、说明行未导入）" : ""))
        if choice.perGrid && gridColumn != nil {
            plan.notes.append("\(title)中未填网格的行按表名归入网格“\(name)”")
        }
        for (column, index) in s.columns.sorted(by: { $0.value < $1.value }) where s.hiddenColumns.contains(index) {
            plan.notes.append("\(title)的“\(column.rawValue)”列（第\(index + 1)列）是隐藏列，已照常读取；请核对该列内容")
        }
        return TakenHeader(header: header, headerRow: headerRow, sheet: sheet, label: label, gridColumn: gridColumn, gridValue: name)
    }

    /// A 户号 stored as a number (12) where another row has it as text with leading zeros (0012): the
    /// zeros were lost and the rows would make two households of one. Such rows are refused.
    static func checkLeadingZeros(_ plan: inout ResidentImportPlan) {
        var padded: [String: (code: String, row: Int, sheet: String?)] = [:]
        for p in plan.people where !p.householdStoredAsNumber {
            if let key = RosterCell.zeroStripped(p.household), padded[key] == nil { padded[key] = (p.household, p.row, p.sheet) }
        }
        guard !padded.isEmpty else { return }
        var refused = Set<Int>()
        for (i, p) in plan.people.enumerated() where p.householdStoredAsNumber {
            guard let original = padded[p.household] else { continue }
            let at = original.sheet != p.sheet ? "工作表“\(original.sheet ?? "")”第\(original.row)行" : "第\(original.row)行"
            plan.add(RowProblem(row: p.row, column: ResidentColumn.household.rawValue,
                                message: RosterCell.leadingZerosMessage(column: "户号", number: p.household, original: original.code, at: at),
                                sheet: p.sheet))
            plan.badRows += 1
            refused.insert(i)
        }
        if !refused.isEmpty { plan.people = plan.people.enumerated().filter { !refused.contains($0.offset) }.map(\.element) }
    }
}
