import Foundation
import LinliCore
import Vapor

/// `TextInput`'s rule and bounds on the shape of a JSON body, in one pass over its bytes before the decoder
/// sees it. The decoder's work grows with the number of values and the depth (`[[[[…` 100,000 deep, or
/// 60,000 keys, cost it hundreds of milliseconds); no input of the API has more than a few dozen values.
enum JSONText {
    struct Refused: Equatable {
        var field: String
        var message: String
    }

    static let maxDepth = 32
    static let maxValues = 1_000

    /// The first thing wrong with the body, naming the field: the last key before the string at fault.
    /// A body that is not JSON is left to the decoder, whose message names the syntax error.
    static func firstRefused(in body: ByteBuffer) -> Refused? {
        body.withUnsafeReadableBytes { firstRefused(in: $0) }
    }

    static func firstRefused(in bytes: UnsafeRawBufferPointer) -> Refused? {
        var depth = 0, values = 1, i = 0
        // Keys are kept as ranges and read only for a refusal's message: most bodies pass.
        var lastString: Range<Int>?, lastKeyRange: Range<Int>?
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            switch b {
            case UInt8(ascii: "\""):
                let start = i + 1
                var j = start, special = false
                while j < n, bytes[j] != UInt8(ascii: "\"") {
                    if bytes[j] == UInt8(ascii: "\\") { special = true; j += 1 } else if bytes[j] >= 0x7F { special = true }
                    j += 1
                }
                guard j < n else { return nil }
                lastString = start..<j
                if special, let u = refusedScalar(UnsafeRawBufferPointer(rebasing: bytes[start..<j])) {
                    let lastKey = lastKeyRange.map { String(decoding: UnsafeRawBufferPointer(rebasing: bytes[$0]), as: UTF8.self) }
                    let field = lastKey ?? "body"
                    return Refused(field: field, message: (lastKey.map { "「\($0)」" } ?? "") + TextInput.message(for: u))
                }
                i = j
            case UInt8(ascii: ":"):
                lastKeyRange = lastString
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                guard depth <= maxDepth else { return Refused(field: "body", message: "JSON 嵌套层数过多（最多 \(maxDepth) 层）") }
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth -= 1
            case UInt8(ascii: ","):
                values += 1
                guard values <= maxValues else { return Refused(field: "body", message: "JSON 中的值过多（最多 \(maxValues) 个）") }
            default: break
            }
            i += 1
        }
        return nil
    }

    /// The first refused character of a JSON string's contents (escapes decoded, surrogate pairs joined).
    static func refusedScalar(_ raw: UnsafeRawBufferPointer) -> Unicode.Scalar? {
        var plain: [UInt8] = []
        plain.reserveCapacity(raw.count)
        var i = 0
        func hex4(_ at: Int) -> UInt32? {
            guard at + 4 <= raw.count else { return nil }
            var v: UInt32 = 0
            for k in at..<at + 4 {
                let c = raw[k]
                switch c {
                case 0x30...0x39: v = v << 4 | UInt32(c - 0x30)
                case 0x41...0x46: v = v << 4 | UInt32(c - 0x41 + 10)
                case 0x61...0x66: v = v << 4 | UInt32(c - 0x61 + 10)
                default: return nil
                }
            }
            return v
        }
        while i < raw.count {
            guard raw[i] == UInt8(ascii: "\\"), i + 1 < raw.count else { plain.append(raw[i]); i += 1; continue }
            guard raw[i + 1] == UInt8(ascii: "u"), var v = hex4(i + 2) else { i += 2; continue }  // \n, \" …: allowed
            i += 6
            if (0xD800...0xDBFF).contains(v), i + 6 <= raw.count, raw[i] == UInt8(ascii: "\\"), raw[i + 1] == UInt8(ascii: "u"),
               let low = hex4(i + 2), (0xDC00...0xDFFF).contains(low) {
                v = 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00)
                i += 6
            }
            // A lone surrogate is the decoder's to refuse.
            if let u = Unicode.Scalar(v), !TextInput.isAllowed(u) { return u }
        }
        return TextInput.firstRefused(in: String(decoding: plain, as: UTF8.self))
    }
}

/// Vapor's multipart decoder, after `TextInput`'s rule over every field that is not a file.
struct CheckedFormDataDecoder: ContentDecoder {
    let inner = FormDataDecoder()

    func decode<D: Decodable>(_ decodable: D.Type, from body: ByteBuffer, headers: HTTPHeaders) throws -> D {
        try decode(D.self, from: body, headers: headers, userInfo: [:])
    }

    func decode<D: Decodable>(_ decodable: D.Type, from body: ByteBuffer, headers: HTTPHeaders,
                              userInfo: [CodingUserInfoKey: any Sendable]) throws -> D {
        if let boundary = headers.contentType?.parameters["boundary"], !boundary.isEmpty {
            guard Self.headerNamesAreASCII(in: body, boundary: boundary) else {
                throw ProblemError.badRequest("body", "表单格式无效：字段的头部名称只能是 ASCII 字符")
            }
            if let refused = try Self.firstRefused(in: body, boundary: boundary) { throw refused }
        }
        return try inner.decode(D.self, from: body, headers: headers, userInfo: userInfo)
    }

    /// No form of Linli has more parts than this (a step with six photos has ten); Vapor's decoder takes
    /// time quadratic in the parts of one name, as its URL-encoded one does in repeated keys.
    static let maxParts = 64

    /// Too many parts, or the first text field (a part without a file name) that is not UTF-8 or holds a
    /// refused character.
    static func firstRefused(in body: ByteBuffer, boundary: String) throws -> ProblemError? {
        // Counted first with a plain byte search: the parser's per-byte work on a body of a thousand tiny
        // parts costs more than refusing it should.
        if delimiters(of: boundary, in: body) > maxParts + 1 { return .badRequest("body", "表单字段过多（最多 \(maxParts) 个）") }
        let parser = MultipartParser(boundary: boundary)
        var name = "", isFile = false, text: [UInt8] = [], found: ProblemError?, parts = 0
        parser.onHeader = { field, value in
            guard field.lowercased() == "content-disposition" else { return }
            isFile = value.contains("filename=")
            name = value.split(separator: ";").lazy.map { $0.trimmingCharacters(in: .whitespaces) }
                .first { $0.hasPrefix("name=") }.map { String($0.dropFirst(5)).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) } ?? "body"
        }
        parser.onBody = { buffer in if !isFile { text.append(contentsOf: buffer.readableBytesView) } }
        parser.onPartComplete = {
            defer { text = []; isFile = false; name = "" }
            parts += 1
            if parts == maxParts + 1, found == nil { found = .badRequest("body", "表单字段过多（最多 \(maxParts) 个）") }
            guard found == nil, !isFile else { return }
            guard let s = String(validating: text, as: UTF8.self) else {
                found = .badRequest(name, "「\(name)」编码无效：须为 UTF-8")
                return
            }
            if let error = TextInput.check(s, field: name) { found = .badRequest(name, "「\(name)」" + error.message) }
        }
        // A body that does not parse is left to the decoder and its own message.
        do { try parser.execute(body) } catch { return nil }
        return found
    }

    /// Whether every part's header names are ASCII. The multipart parser looks each byte of a header name up in a
    /// 128-entry table, so a byte of 0x80 or above there would trap and stop the whole server; such a body is
    /// refused before any parser sees it. Checked after every `--boundary` (the parser's own delimiters are a
    /// subset of these), line by line up to the blank line that ends the headers, each name up to its colon.
    static func headerNamesAreASCII(in body: ByteBuffer, boundary: String) -> Bool {
        let needle = Array(("--" + boundary).utf8)
        let cr: UInt8 = 13, lf: UInt8 = 10, colon: UInt8 = 58, dash: UInt8 = 45
        return body.withUnsafeReadableBytes { bytes -> Bool in
            let n = bytes.count
            guard needle.count <= n else { return true }
            var i = 0
            while i <= n - needle.count {
                var k = 0
                while k < needle.count && bytes[i + k] == needle[k] { k += 1 }
                guard k == needle.count else { i += 1; continue }
                var j = i + needle.count
                i = j
                // The closing delimiter, or anything but CRLF after the delimiter (the parser refuses that itself).
                if j + 1 < n && bytes[j] == dash && bytes[j + 1] == dash { continue }
                guard j + 1 < n, bytes[j] == cr, bytes[j + 1] == lf else { continue }
                j += 2
                // Header lines until the blank line.
                while j < n && bytes[j] != cr {
                    var inName = true
                    while j < n && bytes[j] != cr {
                        if inName {
                            if bytes[j] == colon { inName = false } else if bytes[j] >= 0x80 { return false }
                        }
                        j += 1
                    }
                    j += 2  // CR LF
                }
            }
            return true
        }
    }

    /// How many times `--boundary` occurs in the body, stopping once past the limit.
    static func delimiters(of boundary: String, in body: ByteBuffer) -> Int {
        let needle = Array(("--" + boundary).utf8)
        return body.withUnsafeReadableBytes { bytes -> Int in
            guard needle.count <= bytes.count else { return 0 }
            var count = 0, i = 0
            let last = bytes.count - needle.count
            while i <= last {
                if bytes[i] == needle[0] {
                    var k = 1
                    while k < needle.count && bytes[i + k] == needle[k] { k += 1 }
                    if k == needle.count {
                        count += 1
                        if count > maxParts + 1 { return count }
                        i += needle.count
                        continue
                    }
                }
                i += 1
            }
            return count
        }
    }
}
