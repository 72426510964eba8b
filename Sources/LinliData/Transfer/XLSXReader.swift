import Foundation
import ZIPFoundation

/// Reads the first worksheet of an .xlsx workbook row by row, inflating its XML in chunks: memory holds
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

    public func rows(progress: (Int64, Int64) -> Void = { _, _ in }, _ body: (SheetRow) throws -> Void) throws {
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
        var budget = limits.maxInflatedBytes

        let sheetPath = try firstSheetPath(archive, budget: &budget)
        guard let sheet = archive[sheetPath] else { throw SheetError.corrupt("找不到工作表 \(sheetPath)") }
        var strings: [String] = []
        if let shared = archive["xl/sharedStrings.xml"] {
            var scanner = XMLScanner(SharedStrings(maxCount: limits.maxRows * 4))
            try inflate(shared, archive, budget: &budget) { try scanner.feed($0) }
            try scanner.finish()
            strings = scanner.handler.strings
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
                try merges.feed(window.subdata(in: at..<window.count))
            } else {
                tail = window.suffix(marker.count - 1)
            }
        }
        try merges.finish()

        let sorted = merges.handler.ranges.sorted { $0.top < $1.top }
        try withoutActuallyEscaping(body) { emit in
            var cells = XMLScanner(SheetCells(strings: strings, merges: sorted, limits: limits, emit: emit))
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

    private func firstSheetPath(_ archive: Archive, budget: inout Int64) throws -> String {
        guard let workbook = archive["xl/workbook.xml"] else {
            throw SheetError.corrupt(archive["word/document.xml"] != nil ? "这是 Word 文档" : "缺少 xl/workbook.xml")
        }
        var wb = XMLScanner(FirstElement(element: "sheet", attribute: "id"))
        try inflate(workbook, archive, budget: &budget) { try wb.feed($0) }
        guard let rid = wb.handler.value else { throw SheetError.corrupt("工作簿中没有工作表") }
        if let rels = archive["xl/_rels/workbook.xml.rels"] {
            var r = XMLScanner(Relationship(id: rid))
            try inflate(rels, archive, budget: &budget) { try r.feed($0) }
            if let target = r.handler.target {
                return target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
            }
        }
        return "xl/worksheets/sheet1.xml"
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

private struct FirstElement: XMLScanHandler {
    let element: StaticString
    let attribute: StaticString
    var value: String?
    var wantsText: Bool { false }
    mutating func start(_ name: ArraySlice<UInt8>, attributes: [(name: ArraySlice<UInt8>, value: String)]) throws {
        if value == nil, name.is(element) { value = attributes.first { $0.name.is(attribute) }?.value }
    }
    mutating func end(_ name: ArraySlice<UInt8>) throws {}
    mutating func text(_ text: String) throws {}
}

private struct Relationship: XMLScanHandler {
    let id: String
    var target: String?
    var wantsText: Bool { false }
    mutating func start(_ name: ArraySlice<UInt8>, attributes: [(name: ArraySlice<UInt8>, value: String)]) throws {
        if name.is("Relationship"), attributes.first(where: { $0.name.is("Id") })?.value == id {
            target = attributes.first { $0.name.is("Target") }?.value
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
    enum Capture { case none, value, inline, formula }
    var wantsText: Bool { capture != .none }

    mutating func start(_ name: ArraySlice<UInt8>, attributes: [(name: ArraySlice<UInt8>, value: String)]) throws {
        if name.is("row") {
            let r = attributes.first { $0.name.is("r") }.flatMap { Int($0.value) } ?? row.number + 1
            if r > limits.maxRows { throw SheetError.tooManyRows(limits.maxRows) }
            row = SheetRow(number: r, cells: [])
            nextColumn = 0
        } else if name.is("c") {
            inCell = true
            column = attributes.first { $0.name.is("r") }.flatMap { cellReference($0.value)?.column } ?? nextColumn
            if column >= limits.maxColumns { throw SheetError.tooManyColumns(row: row.number, limit: limits.maxColumns) }
            type = attributes.first { $0.name.is("t") }?.value ?? ""
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
            while row.cells.count < column { row.cells.append("") }
            if row.cells.count == column { row.cells.append(text) } else { row.cells[column] = text }
            if hasFormula { row.formulas.append(column) }
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
    var active: [(range: MergedRange, value: String?)] = []

    private mutating func applyMerges() {
        guard !merges.isEmpty else { return }
        active.removeAll { $0.range.bottom < row.number }
        while nextMerge < merges.count, merges[nextMerge].top <= row.number {
            let m = merges[nextMerge]
            nextMerge += 1
            if m.bottom >= row.number { active.append((m, m.top == row.number ? nil : "")) }
        }
        for i in active.indices {
            let m = active[i].range
            if active[i].value == nil { active[i].value = m.left < row.cells.count ? row.cells[m.left] : "" }
            guard let v = active[i].value, !v.isEmpty else { continue }
            let right = min(m.right, limits.maxColumns - 1)
            while row.cells.count <= right { row.cells.append("") }
            for c in m.left...right where row.cells[c].isEmpty { row.cells[c] = v }
        }
    }
}
