import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Text encodings a community's CSV files come in: UTF-8 (with or without BOM) from newer tools,
/// GB18030 (a superset of GBK and GB2312) from Excel on a Chinese Windows.
public enum TextEncoding: String, Sendable {
    case utf8 = "UTF-8"
    case gb18030 = "GB18030"

    /// Decides from the first bytes of a file: UTF-8 if they are valid UTF-8 (a sequence cut at the
    /// end of the sample is allowed), else GB18030.
    static func detect(_ sample: ArraySlice<UInt8>) -> TextEncoding {
        var s = sample
        // Drop a UTF-8 sequence cut off by the end of the sample.
        var back = 0
        while back < 3, let last = s.last, last & 0xC0 == 0x80 { s = s.dropLast(); back += 1 }
        if let last = s.last, last >= 0xC0 { s = s.dropLast() }
        return String(validating: s, as: UTF8.self) != nil ? .utf8 : .gb18030
    }
}

/// Decodes GB18030 bytes with the C library's iconv (Foundation on Linux has no GB18030 converter).
final class GB18030Decoder {
    private let cd: iconv_t
    private var out = [UInt8](repeating: 0, count: 4096)

    init() {
        cd = iconv_open("UTF-8", "GB18030")
        precondition(cd != iconv_t(bitPattern: -1), "iconv has no GB18030 converter")
    }

    deinit { iconv_close(cd) }

    /// nil when the bytes are not GB18030.
    func decode(_ bytes: ArraySlice<UInt8>) -> String? {
        if out.count < bytes.count * 4 + 16 { out = [UInt8](repeating: 0, count: bytes.count * 4 + 16) }
        var input = Array(bytes)
        let produced: Int? = input.withUnsafeMutableBufferPointer { inBuf in
            out.withUnsafeMutableBufferPointer { outBuf in
                var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuf.baseAddress!).assumingMemoryBound(to: CChar.self)
                var inLeft = inBuf.count
                var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuf.baseAddress!).assumingMemoryBound(to: CChar.self)
                var outLeft = outBuf.count
                iconv(cd, nil, nil, nil, nil)
                let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                if r == -1 || inLeft != 0 { return nil }
                return outBuf.count - outLeft
            }
        }
        guard let produced else { return nil }
        return String(decoding: out[0..<produced], as: UTF8.self)
    }
}

/// A streaming CSV reader (RFC 4180: commas, double-quoted fields with doubled quotes, CRLF or LF):
/// reads the file in 1 MiB chunks, so memory does not grow with the file.
public struct CSVReader {
    let path: String
    let limits: SheetLimits

    public init(path: String, limits: SheetLimits = SheetLimits()) {
        self.path = path
        self.limits = limits
    }

    public func rows(progress: (Int64, Int64) -> Void = { _, _ in }, _ body: (SheetRow) throws -> Void) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw SheetError.notFound(path) }
        defer { try? handle.close() }
        let total = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)??.int64Value ?? 0
        var parser = CSVParser(limits: limits)
        var done: Int64 = 0
        var first = true
        while true {
            let chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            if chunk.isEmpty { break }
            var bytes = [UInt8](chunk)
            if first {
                first = false
                if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) { throw SheetError.utf16 }
                if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
                    bytes.removeFirst(3)
                    parser.encoding = .utf8
                } else {
                    parser.encoding = TextEncoding.detect(bytes[...])
                }
            }
            try parser.feed(bytes[...], body)
            done += Int64(chunk.count)
            progress(done, total)
        }
        try parser.finish(body)
    }
}

/// The CSV state machine over bytes. Field separators and quotes are ASCII, and in both UTF-8 and
/// GB18030 no byte of a multi-byte character is below 0x40, so splitting on bytes is safe.
struct CSVParser {
    let limits: SheetLimits
    var encoding: TextEncoding = .utf8
    private var gb: GB18030Decoder?
    private var fields: [ArraySlice<UInt8>] = []
    private var field: [UInt8] = []
    private var inQuotes = false
    private var quoteSeen = false
    private var lastWasCR = false
    private var rowNumber = 0
    private var fieldBytes = 0

    init(limits: SheetLimits) { self.limits = limits }

    mutating func feed(_ bytes: ArraySlice<UInt8>, _ body: (SheetRow) throws -> Void) throws {
        for b in bytes {
            if inQuotes {
                if quoteSeen {
                    quoteSeen = false
                    if b == 0x22 { field.append(0x22); continue }
                    inQuotes = false
                    // fall through: the byte after a closing quote is read as outside quotes
                } else if b == 0x22 {
                    quoteSeen = true
                    continue
                } else {
                    field.append(b)
                    if field.count > limits.maxCellCharacters * 4 { throw SheetError.cellTooLong(row: rowNumber + 1) }
                    continue
                }
            }
            switch b {
            case 0x2C:
                endField()
            case 0x0A:
                if lastWasCR { lastWasCR = false; continue }
                try endRow(body)
            case 0x0D:
                try endRow(body)
                lastWasCR = true
                continue
            case 0x22 where field.isEmpty:
                inQuotes = true
            default:
                field.append(b)
                if field.count > limits.maxCellCharacters * 4 { throw SheetError.cellTooLong(row: rowNumber + 1) }
            }
            lastWasCR = false
        }
    }

    mutating func finish(_ body: (SheetRow) throws -> Void) throws {
        if quoteSeen { quoteSeen = false; inQuotes = false }
        if !field.isEmpty || !fields.isEmpty || inQuotes { try endRow(body) }
    }

    private mutating func endField() {
        fields.append(field[...])
        field = []
        if fields.count > limits.maxColumns { fields.removeLast() }
    }

    private mutating func endRow(_ body: (SheetRow) throws -> Void) throws {
        let columnCount = fields.count + 1
        endField()
        rowNumber += 1
        if rowNumber > limits.maxRows { throw SheetError.tooManyRows(limits.maxRows) }
        if columnCount > limits.maxColumns + 1 { throw SheetError.tooManyColumns(row: rowNumber, limit: limits.maxColumns) }
        var row = SheetRow(number: rowNumber, cells: [])
        row.cells.reserveCapacity(fields.count)
        for (i, f) in fields.enumerated() {
            if let s = decode(f) { row.cells.append(s) } else { row.cells.append(""); row.undecodable.append(i) }
        }
        fields.removeAll(keepingCapacity: true)
        inQuotes = false
        try body(row)
    }

    static func isCJK(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x2E80...0x9FFF, 0xF900...0xFAFF, 0xFF00...0xFFEF, 0x20000...0x2FA1F: return true
        default: return false
        }
    }

    private mutating func decode(_ f: ArraySlice<UInt8>) -> String? {
        if f.allSatisfy({ $0 < 0x80 }) { return String(decoding: f, as: UTF8.self) }
        switch encoding {
        case .utf8:
            return String(validating: f, as: UTF8.self)
        case .gb18030:
            // Chinese text in GB18030 is almost never valid UTF-8 that decodes to Chinese characters: a field
            // that does was written as UTF-8, and the file mixes encodings. (A short GB18030 field may be
            // valid UTF-8 by chance — 女 is C5 AE, "Ů" — but then not as CJK text.)
            if let s = String(validating: f, as: UTF8.self),
               s.unicodeScalars.allSatisfy({ $0.isASCII || CSVParser.isCJK($0) }) { return nil }
            if gb == nil { gb = GB18030Decoder() }
            return gb!.decode(f)
        }
    }
}

/// Writes CSV: UTF-8 with a BOM (so that Excel on Windows opens it as UTF-8), CRLF line ends, fields
/// quoted when they need it. A cell that a spreadsheet would run as a formula (=, +, -, @ first) gets
/// a leading single quote, so that opening an export never runs anything (CSV injection).
public final class CSVWriter {
    private let handle: FileHandle
    private var buffer: [UInt8] = []

    public init(path: String) throws {
        PrivateFiles.create(path)
        guard let h = FileHandle(forWritingAtPath: path) else { throw SheetError.notFound(path) }
        handle = h
        buffer = [0xEF, 0xBB, 0xBF]
    }

    public func write(_ cells: [String]) throws {
        for (i, cell) in cells.enumerated() {
            if i > 0 { buffer.append(0x2C) }
            var c = cell
            if let f = c.utf8.first, f == UInt8(ascii: "=") || f == UInt8(ascii: "+") || f == UInt8(ascii: "@")
                || (f == UInt8(ascii: "-") && c.count > 1 && Double(c) == nil) {
                c = "'" + c
            }
            if c.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) {
                buffer.append(0x22)
                for b in c.utf8 { if b == 0x22 { buffer.append(0x22) }; buffer.append(b) }
                buffer.append(0x22)
            } else {
                buffer.append(contentsOf: c.utf8)
            }
        }
        buffer.append(contentsOf: [0x0D, 0x0A])
        if buffer.count >= 1 << 20 { try flush() }
    }

    private func flush() throws {
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    public func close() throws {
        try flush()
        try handle.close()
    }
}
