import Foundation
import LinliCore
import ZIPFoundation

/// One cell to write: text stays text (an ID number is never turned into 3.2e17), numbers are numbers.
public enum XLSXCell: Sendable, Equatable {
    case text(String)
    case number(Double)
    case empty
}

/// Writes a workbook of one worksheet (Office Open XML, SpreadsheetML): a bold, frozen header row,
/// column widths, inline strings. Rows stream to a temporary file and are zipped at `close()`, so
/// memory does not grow with the row count. Files are reproducible: every part carries a fixed date.
public final class XLSXWriter {
    let path: String
    let sheetName: String
    let widths: [Double]
    private let sheetTemp: String
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var rowNumber = 0
    private var closed = false
    static let fixedDate = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01

    public init(path: String, sheetName: String, columnWidths: [Double]) throws {
        self.path = path
        self.sheetName = sheetName
        self.widths = columnWidths
        sheetTemp = path + ".sheet-\(UUID().uuidString).tmp"
        PrivateFiles.create(sheetTemp)
        guard let h = FileHandle(forWritingAtPath: sheetTemp) else { throw SheetError.notFound(sheetTemp) }
        handle = h
        let cols = columnWidths.enumerated().map { #"<col min="\#($0.offset + 1)" max="\#($0.offset + 1)" width="\#($0.element)" customWidth="1"/>"# }.joined()
        append("""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
            <sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>\
            </sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>\
            \(cols.isEmpty ? "" : "<cols>\(cols)</cols>")<sheetData>
            """)
    }

    deinit {
        if !closed { try? handle.close(); try? FileManager.default.removeItem(atPath: sheetTemp) }
    }

    /// The header row, in bold.
    public func header(_ titles: [String]) throws {
        try write(titles.map { .text($0) }, style: 1)
    }

    public func row(_ cells: [XLSXCell]) throws {
        try write(cells, style: 0)
    }

    /// A row of text cells.
    public func row(text cells: [String]) throws {
        try write(cells.map { $0.isEmpty ? .empty : .text($0) }, style: 0)
    }

    private func write(_ cells: [XLSXCell], style: Int) throws {
        rowNumber += 1
        append("<row r=\"\(rowNumber)\">")
        let s = style == 0 ? "" : " s=\"\(style)\""
        for (i, cell) in cells.enumerated() {
            let ref = XLSXWriter.columnName(i) + String(rowNumber)
            switch cell {
            case .empty: continue
            case .number(let n):
                let text = n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
                append("<c r=\"\(ref)\"\(s)><v>\(text)</v></c>")
            case .text(let t):
                append("<c r=\"\(ref)\"\(s) t=\"inlineStr\"><is><t xml:space=\"preserve\">")
                appendEscaped(t)
                append("</t></is></c>")
            }
        }
        append("</row>")
        if buffer.count >= 1 << 20 { try flush() }
    }

    public func close() throws {
        append("</sheetData></worksheet>")
        try flush()
        try handle.close()
        closed = true
        defer { try? FileManager.default.removeItem(atPath: sheetTemp) }
        // An empty archive (only the end-of-central-directory record) made 0600 first, then filled in:
        // ZIPFoundation's own `.create` would make it with the umask's mode.
        let emptyArchive = Data([0x50, 0x4B, 0x05, 0x06] + [UInt8](repeating: 0, count: 18))
        guard PrivateFiles.create(path, contents: emptyArchive) else { throw SheetError.notFound(path) }
        let archive: Archive
        do { archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .update) } catch {
            throw SheetError.notFound(path)
        }
        for (name, text) in parts() {
            let data = Data(text.utf8)
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), modificationDate: XLSXWriter.fixedDate,
                                 compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        let size = (try FileManager.default.attributesOfItem(atPath: sheetTemp)[.size] as? NSNumber)?.int64Value ?? 0
        guard let reader = FileHandle(forReadingAtPath: sheetTemp) else { throw SheetError.notFound(sheetTemp) }
        defer { try? reader.close() }
        try archive.addEntry(with: "xl/worksheets/sheet1.xml", type: .file, uncompressedSize: size, modificationDate: XLSXWriter.fixedDate,
                             compressionMethod: .deflate, bufferSize: 1 << 16) { position, chunk in
            try reader.seek(toOffset: UInt64(position))
            return try reader.read(upToCount: chunk) ?? Data()
        }
    }

    private func append(_ s: String) { buffer.append(contentsOf: s.utf8) }

    private func appendEscaped(_ s: String) {
        // C1 controls (C2 80–9F) and the noncharacters (EF B7 …, EF BF BE/BF, and the planes' last two)
        // would make the sheet unreadable: such a string goes through the exact rule.
        if s.utf8.contains(where: { $0 == 0xC2 || $0 == 0xEF || $0 >= 0xF0 || $0 == 0x7F }),
           TextInput.firstRefused(in: s) != nil {
            return appendEscaped(String(String.UnicodeScalarView(s.unicodeScalars.filter(TextInput.isAllowed))))
        }
        for u in s.utf8 {
            switch u {
            case UInt8(ascii: "&"): append("&amp;")
            case UInt8(ascii: "<"): append("&lt;")
            case UInt8(ascii: ">"): append("&gt;")
            // XML 1.0 cannot carry these control characters at all.
            case 0..<0x20 where u != 0x09 && u != 0x0A && u != 0x0D: continue
            default: buffer.append(u)
            }
        }
    }

    private func flush() throws {
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// `0` → A, `25` → Z, `26` → AA.
    public static func columnName(_ index: Int) -> String {
        var n = index + 1, s = ""
        while n > 0 {
            let r = (n - 1) % 26
            s = String(UnicodeScalar(UInt8(65 + r))) + s
            n = (n - 1) / 26
        }
        return s
    }

    private func parts() -> [(String, String)] {
        let header = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
        let name = sheetName.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
        return [
            ("[Content_Types].xml", header + """
                <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
                <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
                <Default Extension="xml" ContentType="application/xml"/>\
                <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
                <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
                <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
                </Types>
                """),
            ("_rels/.rels", header + """
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
                <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
                </Relationships>
                """),
            ("xl/workbook.xml", header + """
                <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
                xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
                <sheets><sheet name="\(name)" sheetId="1" r:id="rId1"/></sheets></workbook>
                """),
            ("xl/_rels/workbook.xml.rels", header + """
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
                <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>\
                <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
                </Relationships>
                """),
            ("xl/styles.xml", header + """
                <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
                <fonts count="2"><font><sz val="11"/><name val="等线"/></font><font><b/><sz val="11"/><name val="等线"/></font></fonts>\
                <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
                <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
                <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
                <cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
                <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>\
                <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
                </styleSheet>
                """),
        ]
    }
}
