import Foundation
import LinliCore

/// One row of a spreadsheet as read: its row number as the spreadsheet shows it (1 = the first row)
/// and its cells, left to right. `undecodable` names the columns whose bytes were not text in the
/// file's encoding; `formulas` those that held a formula instead of a value.
public struct SheetRow: Sendable {
    public var number: Int
    public var cells: [String]
    public var undecodable: [Int] = []
    public var formulas: [Int] = []
    /// Columns whose cell the workbook stored as a number rather than text (an .xlsx only).
    public var numeric: [Int] = []
    /// The row is hidden in the workbook.
    public var hidden = false
    /// The sheet's hidden columns (the same on every row of a sheet).
    public var hiddenColumns: [Int] = []

    public init(number: Int, cells: [String], undecodable: [Int] = [], formulas: [Int] = []) {
        self.number = number
        self.cells = cells
        self.undecodable = undecodable
        self.formulas = formulas
    }

    public var isEmpty: Bool { cells.allSatisfy { $0.isEmpty } && undecodable.isEmpty && formulas.isEmpty }
}

/// Bounds on what a file may make the reader do: everything is read in chunks, and these keep a
/// hostile file (a zip bomb, a 2 GB upload, a million columns) from taking the machine's memory.
public struct SheetLimits: Sendable {
    /// The file as given.
    public var maxFileBytes: Int64 = 256 << 20
    /// All parts of an .xlsx once inflated.
    public var maxInflatedBytes: Int64 = 1 << 30
    /// Inflated size over compressed size of one part of an .xlsx (text XML compresses 5–20 times).
    public var maxCompressionRatio: Double = 100
    public var maxRows = 2_000_000
    public var maxColumns = 256
    public var maxCellCharacters = 32_767

    public init() {}
}

/// Why a file cannot be read at all. `message` is what the worker reads.
public enum SheetError: Error, Equatable, Sendable, CustomStringConvertible {
    case notFound(String)
    case empty
    case tooLarge(bytes: Int64, limit: Int64)
    case unsupportedType(String)
    case executable
    case legacyExcel
    case mismatch(extension: String, content: String)
    case zipBomb(String)
    case corrupt(String)
    case utf16
    case tooManyRows(Int)
    case tooManyColumns(row: Int, limit: Int)
    case cellTooLong(row: Int)
    case noHeader
    case missingColumns([String])
    /// A sheet was named that the workbook does not have: the name and the sheets it has.
    case noSuchSheet(String, [String])
    /// More than one sheet looks like the roster and none was chosen.
    case severalSheets([String])

    public var message: String {
        switch self {
        case .notFound(let p): return "文件 \(p) 不存在"
        case .empty: return "文件是空的"
        case .tooLarge(let b, let l):
            return String(format: "文件过大（%.1f MB），上限为 %.0f MB；请按村/社区拆分后分别导入", Double(b) / 1_048_576, Double(l) / 1_048_576)
        case .unsupportedType(let ext): return "不支持的文件类型“\(ext)”：请使用 Excel 工作簿（.xlsx）或 CSV 文件（.csv）"
        case .executable: return "文件不是表格，而是可执行程序，已拒绝"
        case .legacyExcel: return "不支持旧版 Excel 文件（.xls）：请在 Excel 中另存为 .xlsx 后再导入"
        case .mismatch(let ext, let content): return "文件扩展名为 .\(ext)，但内容是\(content)：请确认选择了正确的文件"
        case .zipBomb(let part): return "文件中的“\(part)”解压后过大或压缩比异常（疑似压缩炸弹），已拒绝"
        case .corrupt(let why): return "文件已损坏或不是有效的 .xlsx 工作簿（\(why)）"
        case .utf16: return "CSV 文件为 UTF-16 编码：请另存为 UTF-8 或 GB18030（GBK）编码"
        case .tooManyRows(let n): return "文件超过 \(n) 行，请拆分后导入"
        case .tooManyColumns(let row, let n): return "第\(row)行超过 \(n) 列，不像是登记表"
        case .cellTooLong(let row): return "第\(row)行有单元格超过 32767 个字符"
        case .noHeader: return "没有找到表头行：前\(SheetHeader.searchRows)行中应有一行列名（姓名、公民身份号码……）"
        case .noSuchSheet(let name, let all):
            return "工作簿中没有名为“\(name)”的工作表（有：\(all.map { "“\($0)”" }.joined(separator: "、"))）"
        case .severalSheets(let names):
            return "工作簿中有多个工作表都有居民表头：\(names.map { "“\($0)”" }.joined(separator: "、"))；请选择要导入的工作表，或选择“每个网格一张表”"
        case .missingColumns(let cols): return "缺少必填列：\(cols.joined(separator: "、"))（请使用导入模板）"
        }
    }

    public var description: String { message }
}

/// The formats the registry's import and export speak.
public enum SheetFormat: String, Sendable, CaseIterable {
    case xlsx, csv, geojson

    /// From a file name's extension.
    public init(path: String) throws(SheetError) {
        let ext = (path as NSString).pathExtension.lowercased()
        switch ext {
        case "xlsx": self = .xlsx
        case "csv", "txt": self = .csv
        case "geojson", "json": self = .geojson
        case "xls": throw .legacyExcel
        default: throw .unsupportedType(ext.isEmpty ? "无扩展名" : "." + ext)
        }
    }
}

/// Reads any supported spreadsheet row by row, after checking that the file is what its name says.
public enum SheetFile {
    /// Checks size and content against the extension; returns the format to read it as.
    public static func check(_ path: String, limits: SheetLimits = SheetLimits()) throws(SheetError) -> SheetFormat {
        guard let attrs = try? FileManager.default.attributesOfItem(atPath: path) else { throw .notFound(path) }
        let size = (attrs[.size] as? NSNumber)?.int64Value ?? 0
        if size == 0 { throw .empty }
        if size > limits.maxFileBytes { throw .tooLarge(bytes: size, limit: limits.maxFileBytes) }
        let format = try SheetFormat(path: path)
        guard let handle = FileHandle(forReadingAtPath: path) else { throw .notFound(path) }
        defer { try? handle.close() }
        let head = [UInt8]((try? handle.read(upToCount: 8)) ?? Data())
        let kind = sniff(head)
        switch (format, kind) {
        case (_, .executable): throw .executable
        case (.xlsx, .zip): return .xlsx
        case (_, .ole): throw .legacyExcel
        case (.xlsx, let other): throw .mismatch(extension: "xlsx", content: other.label)
        case (.csv, .zip): throw .mismatch(extension: "csv", content: "压缩包或 Excel 工作簿")
        case (.csv, .pdf): throw .mismatch(extension: "csv", content: "PDF 文档")
        case (.geojson, .zip), (.geojson, .pdf): throw .mismatch(extension: format.rawValue, content: kind.label)
        default: return format
        }
    }

    enum Kind {
        case zip, ole, executable, pdf, text
        var label: String {
            switch self {
            case .zip: return "压缩包"
            case .ole: return "旧版 Office 文档"
            case .executable: return "可执行程序"
            case .pdf: return "PDF 文档"
            case .text: return "文本（可能是 CSV）"
            }
        }
    }

    static func sniff(_ b: [UInt8]) -> Kind {
        func starts(_ p: [UInt8]) -> Bool { b.count >= p.count && Array(b.prefix(p.count)) == p }
        if starts([0x50, 0x4B, 0x03, 0x04]) || starts([0x50, 0x4B, 0x05, 0x06]) { return .zip }
        if starts([0xD0, 0xCF, 0x11, 0xE0]) { return .ole }
        // ELF, Windows PE ("MZ"), Mach-O (both byte orders, 32 and 64 bit, universal), shell scripts.
        if starts([0x7F, 0x45, 0x4C, 0x46]) || starts([0x4D, 0x5A]) || starts([0xCF, 0xFA, 0xED, 0xFE])
            || starts([0xCE, 0xFA, 0xED, 0xFE]) || starts([0xFE, 0xED, 0xFA, 0xCF]) || starts([0xCA, 0xFE, 0xBA, 0xBE])
            || starts([0x23, 0x21]) { return .executable }
        if starts([0x25, 0x50, 0x44, 0x46]) { return .pdf }
        return .text
    }

    /// Calls `body` with every row of the file in order, empty rows included (the caller skips them).
    /// `sheet` names the worksheet of an .xlsx (the first when nil; a CSV has one).
    public static func read(_ path: String, limits: SheetLimits = SheetLimits(), sheet: String? = nil,
                            progress: (_ bytesDone: Int64, _ bytesTotal: Int64) -> Void = { _, _ in },
                            _ body: (SheetRow) throws -> Void) throws {
        switch try check(path, limits: limits) {
        case .xlsx: try XLSXReader(path: path, limits: limits).rows(sheet: sheet, progress: progress, body)
        case .csv: try CSVReader(path: path, limits: limits).rows(progress: progress, body)
        case .geojson: throw SheetError.unsupportedType(".geojson（居民数据请用 .xlsx 或 .csv）")
        }
    }

    /// The worksheets of a file: an .xlsx's in order, a CSV as one sheet named after the file.
    public static func sheets(_ path: String, limits: SheetLimits = SheetLimits()) throws -> [SheetInfo] {
        switch try check(path, limits: limits) {
        case .xlsx: return try XLSXReader(path: path, limits: limits).sheets()
        default: return [SheetInfo(name: ((path as NSString).lastPathComponent as NSString).deletingPathExtension, isWorkbookSheet: false)]
        }
    }

    /// The first `count` non-empty rows of a sheet (hidden ones included), for finding its header.
    public static func head(_ path: String, limits: SheetLimits = SheetLimits(), sheet: String? = nil,
                            count: Int = SheetHeader.searchRows) throws -> [SheetRow] {
        var rows: [SheetRow] = []
        do {
            try read(path, limits: limits, sheet: sheet) { row in
                if row.isEmpty { return }
                rows.append(row)
                if rows.count >= count { throw StopReading() }
            }
        } catch is StopReading {}
        return rows
    }

    /// Every sheet of a file with the header `match` finds in its first rows (any import can call it
    /// with its own columns): the row number of the header, its cells and the columns recognised.
    public static func survey<Column: Hashable & Sendable>(_ path: String, limits: SheetLimits = SheetLimits(),
                                                           match: (String) -> Column?) throws -> [SheetSurvey<Column>] {
        try sheets(path, limits: limits).map { info in
            let head = try self.head(path, limits: limits, sheet: info.isWorkbookSheet ? info.name : nil)
            guard let found = SheetHeader.find(head.map(\.cells), match: match) else { return SheetSurvey(info: info) }
            let header = head[found.index]
            return SheetSurvey(info: info, headerRow: header.number, header: header.cells, columns: found.columns,
                               hiddenColumns: header.hiddenColumns)
        }
    }
}

/// A worksheet as listed: its name, whether the workbook hides it, the last row its `<dimension>` names.
public struct SheetInfo: Sendable, Equatable, Codable {
    public var name: String
    public var hidden = false
    public var lastRow: Int?
    /// False for a CSV's one sheet (named after the file, not chosen by name).
    public var isWorkbookSheet = true

    public init(name: String, hidden: Bool = false, lastRow: Int? = nil, isWorkbookSheet: Bool = true) {
        self.name = name
        self.hidden = hidden
        self.lastRow = lastRow
        self.isWorkbookSheet = isWorkbookSheet
    }
}

/// A sheet and the header found in it (row number as the spreadsheet shows it), if any.
public struct SheetSurvey<Column: Hashable & Sendable>: Sendable {
    public var info: SheetInfo
    public var headerRow: Int?
    public var header: [String] = []
    public var columns: [Column: Int] = [:]
    public var hiddenColumns: [Int] = []

    public init(info: SheetInfo, headerRow: Int? = nil, header: [String] = [], columns: [Column: Int] = [:], hiddenColumns: [Int] = []) {
        self.info = info
        self.headerRow = headerRow
        self.header = header
        self.columns = columns
        self.hiddenColumns = hiddenColumns
    }
}
