import Foundation
import ZIPFoundation

/// Reads a worksheet of an .xlsx workbook (the first unless named) row by row, inflating its XML in chunks: memory holds
/// the shared strings and one row, never the sheet. Before inflating anything it checks every part's
/// declared size and compression ratio, and while inflating it counts what actually comes out, so a
/// zip bomb is refused whatever its headers claim.
public struct XLSXReader {
    let path: String
    let limits: SheetLimits

    public init(path: String, limits: SheetLimits = SheetLimits()) {
        self.path = path
        self.limits = limits
    }

    /// The worksheets in the workbook's order: name, hidden or not, and the last row the sheet's
    /// `<dimension>` names (nil when the file does not say).
    public func sheets() throws -> [SheetInfo] {
        let archive = try open()
        var budget = limits.maxInflatedBytes
        return try workbookSheets(archive, budget: &budget).map { sheet in
            var info = SheetInfo(name: sheet.name, hidden: sheet.hidden)
            if let entry = archive[sheet.path] {
                var dimension = XMLScanner(Dimension())
                do {
                    try inflate(entry, archive, budget: &budget) { data in
                        try dimension.feed(data)
                        if dimension.handler.done { throw StopReading() }
                    }
                } catch is StopReading {}
                info.lastRow = dimension.handler.lastRow
            }
            return info
        }
    }

    /// The archive, once every part's declared size and compression ratio have been checked.
    private func open() throws -> Archive {
        let archive: Archive
        do { archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read) } catch {
            throw SheetError.corrupt("无法作为压缩包打开")
        }
        var declared: UInt64 = 0
        for entry in archive {
            declared &+= entry.uncompressedSize
            let ratio = Double(entry.uncompressedSize) / Double(max(1, entry.compressedSize))
            if entry.uncompressedSize > 1 << 20 && ratio > limits.maxCompressionRatio { throw SheetError.zipBomb(entry.path) }
            if entry.uncompressedSize > UInt64(limits.maxInflatedBytes) { throw SheetError.zipBomb(entry.path) }
        }
        if declared > UInt64(limits.maxInflatedBytes) { throw SheetError.zipBomb("整个工作簿") }
        return archive
    }

    /// Every row of the sheet named `sheet` (the first sheet when nil), in order.
    public func rows(sheet name: String? = nil, progress: (Int64, Int64) -> Void = { _, _ in }, _ body: (SheetRow) throws -> Void) throws {
        let archive = try open()
        var budget = limits.maxInflatedBytes

        let all = try workbookSheets(archive, budget: &budget)
        guard let chosen = name.map({ n in all.first { $0.name == n } }) ?? all.first else {
            throw SheetError.noSuchSheet(name ?? "", all.map(\.name))
        }
        let sheetPath = chosen.path
        guard let sheet = archive[sheetPath] else { throw SheetError.corrupt("找不到工作表 \(sheetPath)") }
        var strings: [String] = []
        if let shared = archive["xl/sharedStrings.xml"] {
            var scanner = XMLScanner(SharedStrings(maxCount: limits.maxRows * 4))
            try inflate(shared, archive, budget: &budget) { try scanner.feed($0) }
            try scanner.finish()
            strings = scanner.handler.strings
        }
        // A number shown with a zero-padded format (“0000”) reads as shown: 户号 12 formatted 0000 is 0012.
        var padding: [Int] = []
        if let styles = archive["xl/styles.xml"] {
            var scanner = XMLScanner(ZeroPaddedStyles())
            try inflate(styles, archive, budget: &budget) { try scanner.feed($0) }
            try scanner.finish()
            padding = scanner.handler.styles.map { scanner.handler.formats[$0] ?? 0 }
        }
        // Merged ranges are listed after the cells: a first pass over the sheet finds them. The cells
        // before `<mergeCells` are skipped by a byte search (in XML text a "<" is always escaped, so
        // the marker can only be the tag), and only the rest is parsed.
        var merges = XMLScanner(MergedRanges())
        let marker = Data("<mergeCells".utf8)
        var found = false
        var tail = Data()
        try inflate(sheet, archive, budget: &budget) { data in
            if found { return try merges.feed(data) }
            let window = tail + data
            if let at = XLSXReader.find(marker, in: window) {
                found = true
                // `at` counts from the window's first byte; a Data slice's indices need not start at 0.
                try merges.feed(window.subdata(in: window.startIndex + at..<window.endIndex))
            } else {
                tail = Data(window.suffix(marker.count - 1))
            }
        }
        try merges.finish()

        let sorted = merges.handler.ranges.sorted { $0.top < $1.top }
        try withoutActuallyEscaping(body) { emit in
            var cells = XMLScanner(SheetCells(strings: strings, merges: sorted, limits: limits, emit: emit))
            cells.handler.padding = padding
            let total = Int64(sheet.uncompressedSize)
            var done: Int64 = 0
            try inflate(sheet, archive, budget: &budget) { data in
                try cells.feed(data)
                done += Int64(data.count)
                progress(done, total)
            }
            try cells.finish()
        }
    }

    /// The offset of `marker` in `data`: memchr for its first byte, then a compare.
    static func find(_ marker: Data, in data: Data) -> Int? {
        marker.withUnsafeBytes { m in
            data.withUnsafeBytes { d -> Int? in
                guard let base = d.baseAddress, m.count > 0, d.count >= m.count else { return nil }
                var i = 0
                while i <= d.count - m.count, let hit = memchr(base + i, Int32(m[0]), d.count - m.count + 1 - i) {
                    let at = base.distance(to: UnsafeRawPointer(hit))
                    if memcmp(base + at, m.baseAddress!, m.count) == 0 { return at }
                    i = at + 1
                }
                return nil
            }
        }
    }

    struct WorkbookSheet { var name: String; var hidden: Bool; var path: String }

    /// The `<sheet>` elements of the workbook with the part each one's relationship points to.
    private func workbookSheets(_ archive: Archive, budget: inout Int64) throws -> [WorkbookSheet] {
        guard let workbook = archive["xl/workbook.xml"] else {
            throw SheetError.corrupt(archive["word/document.xml"] != nil ? "这是 Word 文档" : "缺少 xl/workbook.xml")
        }
        var wb = XMLScanner(SheetElements())
        try inflate(workbook, archive, budget: &budget) { try wb.feed($0) }
        guard !wb.handler.sheets.isEmpty else { throw SheetError.corrupt("工作簿中没有工作表") }
        var targets: [String: String] = [:]
        if let rels = archive["xl/_rels/workbook.xml.rels"] {
            var r = XMLScanner(Relationships())
            try inflate(rels, archive, budget: &budget) { try r.feed($0) }
            targets = r.handler.targets
        }
        return wb.handler.sheets.enumerated().map { i, s in
            let target = targets[s.rid]
            let path = target.map { $0.hasPrefix("/") ? String($0.dropFirst()) : "xl/" + $0 } ?? "xl/worksheets/sheet\(i + 1).xml"
            return WorkbookSheet(name: s.name, hidden: s.hidden, path: path)
        }
    }

    private func inflate(_ entry: Entry, _ archive: Archive, budget: inout Int64, _ consume: (Data) throws -> Void) throws {
        var produced: UInt64 = 0
        var left = budget
        do {
            _ = try archive.extract(entry, bufferSize: 1 << 16, skipCRC32: true) { data in
                produced += UInt64(data.count)
                left -= Int64(data.count)
                // More than the header said, or more than the whole budget: stop inflating at once.
                if produced > entry.uncompressedSize || left < 0 { throw SheetError.zipBomb(entry.path) }
                try consume(data)
            }
        } catch let e as SheetError {
            throw e
        } catch let stop as StopReading {
            throw stop
        } catch {
            throw SheetError.corrupt("“\(entry.path)”无法解压")
        }
        budget = left
    }
}

/// Column letters of a cell reference (`AB12` → 27, zero-based) and its row number.
func cellReference(_ ref: String) -> (column: Int, row: Int)? {
    var col = 0, row = 0, letters = 0
    for u in ref.utf8 {
        if u >= 65 && u <= 90 { col = col * 26 + Int(u - 64); letters += 1 }
        else if u >= 97 && u <= 122 { col = col * 26 + Int(u - 96); letters += 1 }
        else if u >= 48 && u <= 57 { row = row * 10 + Int(u - 48) }
        else if u == UInt8(ascii: "$") { continue }
        else { return nil }
        if col > 16_384 || row > 1_048_576 { return nil }
    }
    return letters > 0 ? (col - 1, row) : nil
}

/// Thrown by a consumer to stop inflating a part once it has what it needs.
struct StopReading: Error {}

/// `<sheet name="…" state="hidden" r:id="rId1"/>` of `xl/workbook.xml`, in order.
private struct SheetElements: XMLScanHandler {
    var sheets: [(name: String, rid: String, hidden: Bool)] = []
    var wantsText: Bool { false }
    mutating func start(_ name: ArraySlice<UInt8>, attributes: [(name: ArraySlice<UInt8>, value: String)]) throws {
        guard name.is("sheet") else { return }
        let state = attributes.first { $0.name.is("state") }?.value ?? "visible"
        sheets.append((attributes.first { $0.name.is("name") }?.value ?? "Sheet\(sheets.count + 1)",
                       attributes.first { $0.name.is("id") }?.value ?? "", state != "visible"))
        if sheets.count > 1_000 { throw SheetError.corrupt("工作表过多") }
    }
    mutating func end(_ name: ArraySlice<UInt8>) throws {}
    mutating func text(_ text: String) throws {}
}

private struct Relationships: XMLScanHandler {
    var targets: [String: String] = [:]
    var wantsText: Bool { false }
    mutating func start(_ name: ArraySlice<UInt8>, attributes: [(name: ArraySlice<UInt8>, value: String)]) throws {
        if name.is("Relationship"), let id = attributes.first(where: { $0.name.is("Id") })?.value {
            targets[id] = attributes.first { $0.name.is("Target") }?.value
        }
    }
    mutating func end(_ name: ArraySlice<UInt8>) throws {}
    mutating func text(_ text: String) throws {}
}

/// `xl/styles.xml`: number formats that are only zeros (“0000”) and the format of each cell style.
private struct ZeroPaddedStyles: XMLScanHandler {
    var formats: [Int: Int] = [:]
    var styles: [Int] = []
    var inCellStyles = false
    var wantsText: Bool { false }
    mutating func start(_ name: ArraySlice<UInt8>, attributes: [(name: ArraySlice<UInt8>, value: String)]) throws {
        if name.is("numFmt"), let id = attributes.first(where: { $0.name.is("numFmtId") }).flatMap({ Int($0.value) }),
           let code = attributes.first(where: { $0.name.is("formatCode") })?.value, code.count > 1, code.count <= 30, code.allSatisfy({ $0 == "0" }) {
            formats[id] = code.count
        } else if name.is("cellXfs") {
            inCellStyles = true
        } else if inCellStyles && name.is("xf") {
            styles.append(attributes.first { $0.name.is("numFmtId") }.flatMap { Int($0.value) } ?? 0)
            if styles.count > 100_000 { throw SheetError.corrupt("样式过多") }
        }
    }
    mutating func end(_ name: ArraySlice<UInt8>) throws { if name.is("cellXfs") { inCellStyles = false } }
    mutating func text(_ text: String) throws {}
}

/// `<dimension ref="A1:N1200"/>` at the top of a sheet: its last row.
private struct Dimension: XMLScanHandler {
    var lastRow: Int?
    var done = false
    var wantsText: Bool { false }
    mutating func start(_ name: ArraySlice<UInt8>, attributes: [(name: ArraySlice<UInt8>, value: String)]) throws {
        if name.is("dimension"), let ref = attributes.first(where: { $0.name.is("ref") })?.value {
            lastRow = ref.split(separator: ":").last.flatMap { cellReference(String($0))?.row }
            done = true
        } else if name.is("sheetData") {
            done = true
        }
    }
    mutating func end(_ name: ArraySlice<UInt8>) throws {}
    mutating func text(_ text: String) throws {}
}

/// `xl/sharedStrings.xml`: one string per `<si>`, the text of its `<t>` runs, leaving out phonetic runs.
private struct SharedStrings: XMLScanHandler {
    let maxCount: Int
    var strings: [String] = []
    var current = ""
    var inT = false
    var inPhonetic = false
    var wantsText: Bool { inT && !inPhonetic }

    init(maxCount: Int) { self.maxCount = maxCount }

    mutating func start(_ name: ArraySlice<UInt8>, attributes: [(name: ArraySlice<UInt8>, value: String)]) throws {
        if name.is("si") { current = "" }
        else if name.is("t") { inT = true }
        else if name.is("rPh") { inPhonetic = true }
    }
    mutating func end(_ name: ArraySlice<UInt8>) throws {
        if name.is("si") {
            strings.append(current)
            if strings.count > maxCount { throw SheetError.corrupt("共享字符串过多") }
        } else if name.is("t") { inT = false }
        else if name.is("rPh") { inPhonetic = false }
    }
    mutating func text(_ text: String) throws { current += text }
}

/// The `<mergeCell ref="A2:A5"/>` ranges of a sheet.
struct MergedRange { var top: Int; var left: Int; var bottom: Int; var right: Int }

private struct MergedRanges: XMLScanHandler {
    var ranges: [MergedRange] = []
    var wantsText: Bool { false }
    mutating func start(_ name: ArraySlice<UInt8>, attributes: [(name: ArraySlice<UInt8>, value: String)]) throws {
        guard name.is("mergeCell"), let ref = attributes.first(where: { $0.name.is("ref") })?.value else { return }
        let parts = ref.split(separator: ":")
        guard parts.count == 2, let a = cellReference(String(parts[0])), let b = cellReference(String(parts[1])) else { return }
        ranges.append(MergedRange(top: min(a.row, b.row), left: min(a.column, b.column), bottom: max(a.row, b.row), right: max(a.column, b.column)))
        if ranges.count > 100_000 { throw SheetError.corrupt("合并单元格过多") }
    }
    mutating func end(_ name: ArraySlice<UInt8>) throws {}
    mutating func text(_ text: String) throws {}
}

/// The cells of a worksheet, assembled into rows. A merged range's value (kept by Excel in its
/// top-left cell only) is given to every cell of the range, so a 户号 merged over a household's rows
/// reads as that 户号 on each of them.
private struct SheetCells: XMLScanHandler {
    let strings: [String]
    let merges: [MergedRange]
    let limits: SheetLimits
    let emit: (SheetRow) throws -> Void

    var row = SheetRow(number: 0, cells: [])
    var nextColumn = 0
    var column = 0
    var type = ""
    var value = ""
    var inline = ""
    var hasFormula = false
    var capture: Capture = .none
    var inCell = false
    /// Columns `<cols>` hides (zero-based), given to every row.
    var hiddenColumns: [Int] = []
    /// By style index: the width a zero-padded number format pads to (0: none).
    var padding: [Int] = []
    var style = 0
    enum Capture { case none, value, inline, formula }
    var wantsText: Bool { capture != .none }

    mutating func start(_ name: ArraySlice<UInt8>, attributes: [(name: ArraySlice<UInt8>, value: String)]) throws {
        if name.is("row") {
            let r = attributes.first { $0.name.is("r") }.flatMap { Int($0.value) } ?? row.number + 1
            if r > limits.maxRows { throw SheetError.tooManyRows(limits.maxRows) }
            row = SheetRow(number: r, cells: [])
            row.hidden = attributes.contains { $0.name.is("hidden") && ($0.value == "1" || $0.value == "true") }
            row.hiddenColumns = hiddenColumns
            nextColumn = 0
        } else if name.is("col") {
            // <col min="3" max="4" hidden="1"/>: one-based, inclusive.
            guard attributes.contains(where: { $0.name.is("hidden") && ($0.value == "1" || $0.value == "true") }),
                  let lo = attributes.first(where: { $0.name.is("min") }).flatMap({ Int($0.value) }),
                  let hi = attributes.first(where: { $0.name.is("max") }).flatMap({ Int($0.value) }), lo >= 1, hi >= lo else { return }
            for c in lo...min(hi, limits.maxColumns) where !hiddenColumns.contains(c - 1) { hiddenColumns.append(c - 1) }
        } else if name.is("c") {
            inCell = true
            column = attributes.first { $0.name.is("r") }.flatMap { cellReference($0.value)?.column } ?? nextColumn
            if column >= limits.maxColumns { throw SheetError.tooManyColumns(row: row.number, limit: limits.maxColumns) }
            type = attributes.first { $0.name.is("t") }?.value ?? ""
            style = attributes.first { $0.name.is("s") }.flatMap { Int($0.value) } ?? 0
            value = ""; inline = ""; hasFormula = false
        } else if inCell {
            if name.is("v") { capture = .value }
            else if name.is("t") { capture = .inline }
            else if name.is("f") { capture = .formula; hasFormula = true }
            else if name.is("rPh") { capture = .none }
        }
    }

    mutating func end(_ name: ArraySlice<UInt8>) throws {
        if name.is("v") || name.is("t") || name.is("f") {
            capture = .none
        } else if name.is("c") {
            inCell = false
            nextColumn = column + 1
            var text: String
            switch type {
            case "s": text = Int(value).flatMap { $0 >= 0 && $0 < strings.count ? strings[$0] : nil } ?? ""
            case "inlineStr": text = inline
            case "b": text = value == "1" ? "TRUE" : "FALSE"
            default: text = value
            }
            if text.count > limits.maxCellCharacters { throw SheetError.cellTooLong(row: row.number) }
            // No type, or "n": the cell holds a number (what Excel makes of 13812345678 or 0012 typed
            // into a General cell); the import decides per column whether that can be right.
            let numeric = (type.isEmpty || type == "n") && !value.isEmpty && !hasFormula
            if numeric, style < padding.count, padding[style] > text.utf8.count, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
                text = String(repeating: "0", count: padding[style] - text.utf8.count) + text
            }
            while row.cells.count < column { row.cells.append("") }
            if row.cells.count == column { row.cells.append(text) } else { row.cells[column] = text }
            if hasFormula { row.formulas.append(column) }
            if numeric { row.numeric.append(column) }
        } else if name.is("row") {
            applyMerges()
            try emit(row)
        }
    }

    mutating func text(_ text: String) throws {
        switch capture {
        case .value: value += text
        case .inline: inline += text
        case .formula, .none: break
        }
    }

    /// Merges sorted by their top row; the ones that cover the current row with their value.
    var nextMerge = 0
    var active: [(range: MergedRange, value: String?, numeric: Bool)] = []

    private mutating func applyMerges() {
        guard !merges.isEmpty else { return }
        active.removeAll { $0.range.bottom < row.number }
        while nextMerge < merges.count, merges[nextMerge].top <= row.number {
            let m = merges[nextMerge]
            nextMerge += 1
            if m.bottom >= row.number { active.append((m, m.top == row.number ? nil : "", false)) }
        }
        for i in active.indices {
            let m = active[i].range
            if active[i].value == nil {
                active[i].value = m.left < row.cells.count ? row.cells[m.left] : ""
                active[i].numeric = row.numeric.contains(m.left)
            }
            guard let v = active[i].value, !v.isEmpty else { continue }
            let right = min(m.right, limits.maxColumns - 1)
            while row.cells.count <= right { row.cells.append("") }
            for c in m.left...right where row.cells[c].isEmpty {
                row.cells[c] = v
                if active[i].numeric && !row.numeric.contains(c) { row.numeric.append(c) }
            }
        }
    }
}
