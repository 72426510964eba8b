/// A resident identity card number (公民身份号码) after GB 11643-1999.
///
/// 18 characters: a 6-digit address code (GB/T 2260), the birth date `YYYYMMDD`, a 3-digit sequence
/// number (odd for men, even for women) and a check character computed with ISO 7064 MOD 11-2.
public struct CitizenID: Hashable, Sendable, CustomStringConvertible {
    public let value: String
    public let regionCode: String
    public let birthDate: CivilDate
    public let sex: Sex

    public var description: String { value }

    /// Why a text is not a valid citizen ID number; `message` is what the worker reads.
    public enum Problem: Error, Equatable, Sendable {
        case empty, length(Int), characters, region, birthDate, futureBirth, checkCharacter(expected: Character)

        public var message: String {
            switch self {
            case .empty: return "请填写公民身份号码"
            case .length(let n): return "公民身份号码应为18位，当前为\(n)位"
            case .characters: return "公民身份号码前17位应为数字，最后一位为数字或X"
            case .region: return "公民身份号码的地址码无效"
            case .birthDate: return "公民身份号码中的出生日期无效"
            case .futureBirth: return "公民身份号码中的出生日期晚于今天"
            case .checkCharacter(let expected): return "公民身份号码校验码错误（按前17位应为\(expected)）"
            }
        }
    }

    /// Weights of positions 1…17: 2^(17-i) mod 11.
    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    static let checkCharacters: [Character] = ["1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2"]

    /// Province-level prefixes in use (GB/T 2260), so that a random 18-digit string with a right check
    /// character is still refused.
    static let provinces: Set<String> = [
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
        "71", "81", "82", "83",
    ]

    /// The check character for the first 17 digits.
    public static func checkCharacter<S: Sequence>(for first17: S) -> Character where S.Element == UInt8 {
        var sum = 0
        for (i, d) in first17.enumerated() { sum += Int(d) * weights[i] }
        return checkCharacters[sum % 11]
    }

    /// Validates `text` (spaces trimmed, a lower-case x accepted). `today` bounds the birth date.
    public init(_ text: String, today: CivilDate? = nil) throws(Problem) {
        let t = text.trimmingASCIISpaces().uppercased()
        guard !t.isEmpty else { throw .empty }
        let chars = Array(t.utf8)
        guard chars.count == 18 else { throw .length(t.count) }
        var digits: [UInt8] = []
        digits.reserveCapacity(17)
        for c in chars.prefix(17) {
            guard c >= 48, c <= 57 else { throw .characters }
            digits.append(c - 48)
        }
        let last = chars[17]
        guard (last >= 48 && last <= 57) || last == UInt8(ascii: "X") else { throw .characters }
        let region = String(decoding: chars[0..<6], as: UTF8.self)
        guard CitizenID.provinces.contains(String(region.prefix(2))) else { throw .region }
        guard let birth = CivilDate(String(decoding: chars[6..<14], as: UTF8.self)), birth.year >= 1850 else {
            throw .birthDate
        }
        if let today, today < birth { throw .futureBirth }
        let expected = CitizenID.checkCharacter(for: digits)
        guard Character(Unicode.Scalar(last)) == expected else { throw .checkCharacter(expected: expected) }
        self.value = t
        self.regionCode = region
        self.birthDate = birth
        self.sex = digits[16] % 2 == 1 ? .male : .female
    }

    /// Builds a valid number from its parts (used by the demo district generator).
    public static func make(region: String, birth: CivilDate, sequence: Int) -> String {
        precondition(region.count == 6 && (0...999).contains(sequence))
        let seq = String(sequence)
        let body = region + String(birth.description.filter { $0 != "-" }) + String(repeating: "0", count: 3 - seq.count) + seq
        let check = checkCharacter(for: body.utf8.map { $0 - 48 })
        return body + String(check)
    }
}

/// 性别.
public enum Sex: String, Codable, Sendable, CaseIterable {
    case male, female
    public var label: String { self == .male ? "男" : "女" }
}

extension String {
    func trimmingASCIISpaces() -> String {
        // By scalars, not Characters: this runs on every cell of an imported file, and comparing
        // Characters costs a grapheme break and a normalisation each.
        let scalars = unicodeScalars
        func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{3000}" }
        var start = scalars.startIndex, end = scalars.endIndex
        while start < end, isSpace(scalars[start]) { start = scalars.index(after: start) }
        while end > start, isSpace(scalars[scalars.index(before: end)]) { end = scalars.index(before: end) }
        if start == scalars.startIndex && end == scalars.endIndex { return self }
        return String(scalars[start..<end])
    }
}
