/// Cleaning what communities type into their rosters (花名册) where the meaning is certain, and the
/// rules for cells a spreadsheet stored as numbers. Pure functions: the import calls them per cell.

/// Text as typed: full-width forms and odd spaces.
public enum RosterText {
    /// Full-width ASCII forms (U+FF01–FF5E: ０-９, Ａ-Ｚ, ｘ …) become ASCII; the ideographic space (全角空格
    /// U+3000), the no-break space and the other Unicode spaces become a space; zero-width spaces and a
    /// stray byte-order mark are dropped.
    public static func halfWidth(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { $0.value >= 0x80 }) else { return s }
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            switch u.value {
            case 0xFF01...0xFF5E: out.append(Unicode.Scalar(u.value - 0xFEE0)!)
            case 0x3000, 0x00A0, 0x2000...0x200A, 0x202F, 0x205F: out.append(" ")
            case 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF: continue
            default: out.append(u)
            }
        }
        return String(out)
    }

    static func isSpace(_ u: Unicode.Scalar) -> Bool {
        u == " " || u == "\t" || u == "\n" || u == "\r" || u == "\u{3000}" || u == "\u{00A0}"
    }

    /// Leading and trailing spaces of any kind removed (tabs and line breaks included).
    public static func trimmed(_ s: String) -> String {
        let scalars = s.unicodeScalars
        var start = scalars.startIndex, end = scalars.endIndex
        while start < end, isSpace(scalars[start]) { start = scalars.index(after: start) }
        while end > start, isSpace(scalars[scalars.index(before: end)]) { end = scalars.index(before: end) }
        if start == scalars.startIndex && end == scalars.endIndex { return s }
        return String(scalars[start..<end])
    }

    /// An identifier (ID number, phone, 户号, a code): half-width, no spaces anywhere (a number typed
    /// in groups, "3212 0319…", means the same number), letters upper-cased (a 身份证号 ending in x).
    public static func code(_ s: String) -> String {
        if s.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x61 || ($0 > 0x7A && $0 < 0x80) }) { return s }
        var out = String.UnicodeScalarView()
        for u in halfWidth(s).unicodeScalars where !isSpace(u) {
            out.append(u.value >= 0x61 && u.value <= 0x7A ? Unicode.Scalar(u.value - 0x20)! : u)
        }
        return String(out)
    }

    /// A person's name: trimmed; full-width letters made ASCII; a space next to a Chinese character or
    /// the middle dot (间隔号) removed — "张 三" is 张三, "阿依古丽 · 买买提" is 阿依古丽·买买提 — while a
    /// run of spaces between two Latin letters ("Anna  Li") becomes one space. The dot itself is kept
    /// as typed (a registered name is compared as it is stored).
    public static func name(_ s: String) -> String {
        let scalars = Array(trimmed(halfWidth(s)).unicodeScalars)
        func latin(_ u: Unicode.Scalar) -> Bool { u.value < 0x0250 && u.properties.isAlphabetic }
        var out = String.UnicodeScalarView()
        var i = 0
        while i < scalars.count {
            guard isSpace(scalars[i]) else { out.append(scalars[i]); i += 1; continue }
            var j = i
            while j < scalars.count, isSpace(scalars[j]) { j += 1 }
            // Inside a trimmed string a run of spaces has a character on both sides.
            if latin(scalars[i - 1]) && latin(scalars[j]) { out.append(" ") }
            i = j
        }
        return String(out)
    }
}

/// Why a cell's value is refused before its column's own rule runs.
public struct CellRefusal: Error, Equatable, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

/// A number as a spreadsheet stored it (`13812345678`, `1.3812345678E10`, `3.21271199001011E+17`, `12.0`).
public struct StoredNumber: Equatable, Sendable {
    /// The integer the number denotes, in decimal digits without leading zeros.
    public var digits: String
    /// Digits the file actually holds, leading and trailing zeros left out: Excel keeps 15.
    public var significantDigits: Int
    /// Written as plain digits (no exponent, no decimal point).
    public var plain: Bool

    /// nil when the text is not a non-negative whole number.
    public init?(_ stored: String) {
        let t = Array(stored.utf8)
        var i = 0
        if i < t.count && t[i] == UInt8(ascii: "+") { i += 1 }
        var mantissa: [UInt8] = []
        var point: Int?
        while i < t.count, (t[i] >= 48 && t[i] <= 57) || (t[i] == UInt8(ascii: ".") && point == nil) {
            if t[i] == UInt8(ascii: ".") { point = mantissa.count } else { mantissa.append(t[i]) }
            i += 1
        }
        guard !mantissa.isEmpty, mantissa.count <= 40 else { return nil }
        var exponent = 0
        if i < t.count && (t[i] == UInt8(ascii: "e") || t[i] == UInt8(ascii: "E")) {
            i += 1
            var negative = false
            if i < t.count && (t[i] == UInt8(ascii: "+") || t[i] == UInt8(ascii: "-")) { negative = t[i] == UInt8(ascii: "-"); i += 1 }
            var e = 0, any = false
            while i < t.count, t[i] >= 48, t[i] <= 57, e < 1000 { e = e * 10 + Int(t[i] - 48); i += 1; any = true }
            guard any else { return nil }
            exponent = negative ? -e : e
        }
        guard i == t.count, exponent <= 30 else { return nil }
        let integerCount = (point ?? mantissa.count) + exponent
        guard integerCount >= 0 else { return nil }
        // Everything after the decimal point must be zero.
        if integerCount < mantissa.count, mantissa[integerCount...].contains(where: { $0 != 48 }) { return nil }
        var whole = Array(mantissa.prefix(integerCount))
        if integerCount > mantissa.count { whole += [UInt8](repeating: 48, count: integerCount - mantissa.count) }
        while whole.count > 1 && whole[0] == 48 { whole.removeFirst() }
        if whole.isEmpty { whole = [48] }
        digits = String(decoding: whole, as: UTF8.self)
        var significant = mantissa
        while significant.first == 48 { significant.removeFirst() }
        while significant.last == 48 { significant.removeLast() }
        significantDigits = significant.count
        plain = point == nil && exponent == 0 && stored.first != "+"
    }
}

/// The rule of each kind of column for a cell stored as a number, and the cleaning of one stored as
/// text. Each returns the text the column's own rule then checks, or why the cell cannot be right.
public enum RosterCell {
    public static let idLostDigits = "身份证号被存为数字，后三位已丢失，请将该列设为文本后重新填写"
    public static let idAsNumber = "身份证号被存为数字，请将该列设为文本后重新填写"
    public static let phoneLostZero = "联系电话被存为数字，开头的0已丢失，请将该列设为文本后重新填写"
    public static let phoneAsNumber = "联系电话被存为数字且不是11位手机号码，请将该列设为文本后重新填写"

    /// A 公民身份号码. Text: half-width, no spaces, x upper-cased. A number: a spreadsheet keeps 15
    /// significant digits, so an 18-digit number has lost its last three unless the file holds all 18
    /// as plain digits (written by a program, not typed into Excel) and the GB 11643 check digit agrees
    /// and they do not end in 000 (what a lost tail reads as); otherwise refused, never stored altered.
    public static func idNumber(_ raw: String, storedAsNumber: Bool) -> Result<String, CellRefusal> {
        guard storedAsNumber else { return .success(RosterText.code(raw)) }
        guard let n = StoredNumber(RosterText.code(raw)) else { return .failure(CellRefusal(idAsNumber)) }
        if n.digits.count == 18 {
            if n.plain, !n.digits.hasSuffix("000"), (try? CitizenID(n.digits)) != nil { return .success(n.digits) }
            return .failure(CellRefusal(idLostDigits))
        }
        if n.digits.count > 15 { return .failure(CellRefusal(idLostDigits)) }
        return .failure(CellRefusal(idAsNumber))
    }

    /// A 联系电话. Text: half-width, no spaces. A number: an 11-digit mobile number is exact (a double
    /// holds 15 digits) and taken as its digits; a number of 9 to 11 digits not starting with 1 is a
    /// landline whose leading 0 was dropped; anything else is not a phone number.
    public static func phone(_ raw: String, storedAsNumber: Bool) -> Result<String, CellRefusal> {
        guard storedAsNumber else { return .success(RosterText.code(raw)) }
        guard let n = StoredNumber(RosterText.code(raw)) else { return .failure(CellRefusal(phoneAsNumber)) }
        if n.digits.count == 11 && n.digits.hasPrefix("1") { return .success(n.digits) }
        if (9...11).contains(n.digits.count) { return .failure(CellRefusal(phoneLostZero)) }
        return .failure(CellRefusal(phoneAsNumber))
    }

    /// A code typed as text that a spreadsheet may have turned into a number (户号, 网格编码): a whole
    /// number is taken as its digits (up to 15, which a double holds exactly); a fraction or more digits
    /// cannot be a code. Whether leading zeros were lost is decided against the other codes (see
    /// `lostLeadingZeros`).
    public static func code(_ raw: String, storedAsNumber: Bool, column: String) -> Result<String, CellRefusal> {
        let text = RosterText.code(raw)
        guard storedAsNumber else { return .success(text) }
        // A number the workbook shows with a zero-padded format (“0000”) reads as shown: the reader
        // gives 0012 for 12 so formatted, and what the worker sees is what was meant.
        if zeroStripped(text) != nil { return .success(text) }
        guard let n = StoredNumber(text), n.digits.count <= 15 else {
            return .failure(CellRefusal("\(column)被存为数字且已被改变，请将该列设为文本后重新填写"))
        }
        return .success(n.digits)
    }

    /// A code stored as a number (`12`) that is another code of the same column with its leading zeros
    /// dropped (`0012`): the zeros were lost, and which code was meant cannot be told.
    public static func lostLeadingZeros(_ digits: String, among texts: [String: String]) -> String? {
        texts[digits]
    }

    /// The key under which a code typed as text with leading zeros is found by its number: `0012` → `12`;
    /// nil for a code without leading zeros or not all digits.
    public static func zeroStripped(_ code: String) -> String? {
        guard code.count > 1, code.hasPrefix("0"), code.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        let rest = code.drop { $0 == "0" }
        return rest.isEmpty ? "0" : String(rest)
    }

    public static func leadingZerosMessage(column: String, number: String, original: String, at: String) -> String {
        "\(column)被存为数字（\(number)），开头的0已丢失（\(at)为“\(original)”），请将该列设为文本后重新填写"
    }
}
