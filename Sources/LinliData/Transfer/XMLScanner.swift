import Foundation

/// What the scanner reports, in document order.
protocol XMLScanHandler {
    /// `name` without its namespace prefix.
    mutating func start(_ name: ArraySlice<UInt8>, attributes: [(name: ArraySlice<UInt8>, value: String)]) throws
    mutating func end(_ name: ArraySlice<UInt8>) throws
    /// Character data, entities already replaced. May come in several pieces.
    mutating func text(_ text: String) throws
    /// Whether character data is wanted now (decoding it is skipped otherwise).
    var wantsText: Bool { get }
}

/// A small streaming XML tokenizer for the parts of an .xlsx: fed in chunks as they are inflated, it
/// keeps only the unfinished token between chunks. It refuses DTDs (no entity expansion, no external
/// entities: billion laughs and XXE cannot happen) and knows only the five predefined entities and
/// character references.
struct XMLScanner<Handler: XMLScanHandler> {
    var handler: Handler
    private var pending: [UInt8] = []

    init(_ handler: Handler) { self.handler = handler }

    mutating func feed(_ data: Data) throws {
        pending.append(contentsOf: data)
        let consumed = try scan()
        if consumed > 0 { pending.removeFirst(consumed) }
        // A single token larger than this is not something an .xlsx contains.
        if pending.count > 16 << 20 { throw SheetError.corrupt("XML 单个元素过大") }
    }

    mutating func finish() throws {
        if pending.contains(where: { $0 == UInt8(ascii: "<") }) { throw SheetError.corrupt("XML 不完整") }
    }

    /// Scans whole tokens; returns how many bytes were consumed.
    private mutating func scan() throws -> Int {
        let b = pending
        let n = b.count
        var i = 0
        while i < n {
            if b[i] != 0x3C {  // text up to the next '<'
                var j = i
                while j < n, b[j] != 0x3C { j += 1 }
                if j == n { return i }  // the text may go on in the next chunk
                if handler.wantsText { try handler.text(XMLScanner.unescape(b[i..<j])) }
                i = j
                continue
            }
            guard i + 1 < n else { return i }
            let next = b[i + 1]
            if next == UInt8(ascii: "?") {
                guard let e = find(b, [0x3F, 0x3E], from: i + 2) else { return i }
                i = e + 2
            } else if next == UInt8(ascii: "!") {
                if starts(b, at: i, "<!--") {
                    guard let e = find(b, Array("-->".utf8), from: i + 4) else { return i }
                    i = e + 3
                } else if starts(b, at: i, "<![CDATA[") {
                    guard let e = find(b, Array("]]>".utf8), from: i + 9) else { return i }
                    if handler.wantsText { try handler.text(String(decoding: b[(i + 9)..<e], as: UTF8.self)) }
                    i = e + 3
                } else if i + 9 <= n {
                    throw SheetError.corrupt("含有 DTD 声明，已拒绝")
                } else {
                    return i
                }
            } else {
                // A tag: find its '>' outside quoted attribute values.
                var j = i + 1
                var quote: UInt8 = 0
                while j < n {
                    let c = b[j]
                    if quote != 0 { if c == quote { quote = 0 } } else if c == 0x22 || c == 0x27 { quote = c } else if c == 0x3E { break }
                    j += 1
                }
                if j == n { return i }
                try tag(b[(i + 1)..<j])
                i = j + 1
            }
        }
        return n
    }

    private mutating func tag(_ t: ArraySlice<UInt8>) throws {
        if t.first == UInt8(ascii: "/") {
            try handler.end(localName(t.dropFirst().prefix { !isSpace($0) }))
            return
        }
        let selfClosing = t.last == UInt8(ascii: "/")
        let body = selfClosing ? t.dropLast() : t
        let nameEnd = body.firstIndex(where: isSpace) ?? body.endIndex
        let name = localName(body[body.startIndex..<nameEnd])
        var attributes: [(name: ArraySlice<UInt8>, value: String)] = []
        var k = nameEnd
        let end = body.endIndex
        while k < end {
            while k < end, isSpace(body[k]) { k += 1 }
            let ns = k
            while k < end, body[k] != UInt8(ascii: "="), !isSpace(body[k]) { k += 1 }
            let an = body[ns..<k]
            while k < end, body[k] != 0x22, body[k] != 0x27 { k += 1 }
            guard k < end else { break }
            let q = body[k]
            k += 1
            let vs = k
            while k < end, body[k] != q { k += 1 }
            attributes.append((localName(an), XMLScanner.unescape(body[vs..<min(k, end)])))
            k += 1
        }
        try handler.start(name, attributes: attributes)
        if selfClosing { try handler.end(name) }
    }

    private func localName(_ n: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        if let colon = n.lastIndex(of: UInt8(ascii: ":")) { return n[(colon + 1)...] }
        return n
    }

    private func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 }

    private func starts(_ b: [UInt8], at i: Int, _ s: String) -> Bool {
        let p = Array(s.utf8)
        return i + p.count <= b.count && b[i..<(i + p.count)].elementsEqual(p)
    }

    private func find(_ b: [UInt8], _ p: [UInt8], from: Int) -> Int? {
        guard p.count <= b.count else { return nil }
        var i = from
        while i + p.count <= b.count {
            if b[i] == p[0], b[i..<(i + p.count)].elementsEqual(p) { return i }
            i += 1
        }
        return nil
    }

    static func unescape(_ s: ArraySlice<UInt8>) -> String {
        guard s.contains(UInt8(ascii: "&")) else { return String(decoding: s, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(s.count)
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            guard c == UInt8(ascii: "&"), let semi = s[i...].prefix(12).firstIndex(of: UInt8(ascii: ";")) else {
                out.append(c); i += 1; continue
            }
            let name = String(decoding: s[(i + 1)..<semi], as: UTF8.self)
            var scalar: Unicode.Scalar?
            switch name {
            case "amp": scalar = "&"
            case "lt": scalar = "<"
            case "gt": scalar = ">"
            case "quot": scalar = "\""
            case "apos": scalar = "'"
            default:
                if name.hasPrefix("#x") || name.hasPrefix("#X") { scalar = UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init) }
                else if name.hasPrefix("#") { scalar = UInt32(name.dropFirst()).flatMap(Unicode.Scalar.init) }
            }
            if let scalar {
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
                i = semi + 1
            } else {
                out.append(c); i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension ArraySlice where Element == UInt8 {
    /// Compares to an ASCII name without making a String.
    func `is`(_ name: StaticString) -> Bool {
        guard count == name.utf8CodeUnitCount else { return false }
        return name.withUTF8Buffer { self.elementsEqual($0) }
    }
}
