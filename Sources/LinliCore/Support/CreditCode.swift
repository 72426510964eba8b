/// 统一社会信用代码 (GB 32100-2015): 18 characters from `alphabet` — 登记管理部门 (1), 机构类别 (1), 登记管理机关
/// 行政区划码 (6 digits), 主体标识码 (9, the organization code of GB 11714) and a check character computed over the
/// first 17 with the standard's weights (3^i mod 31), so that the weighted sum of all 18 is 0 mod 31.
/// Input is read leniently (lower case, spaces and hyphens are accepted and normalized); what is stored is `normalized`.
public enum CreditCode {
    /// The 31 characters the standard uses: digits and upper-case letters less I, O, Z, S, V.
    public static let alphabet: [Character] = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
    static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    /// Upper case, without spaces or hyphens: the form that is checked and stored.
    public static func normalized(_ raw: String) -> String {
        String(raw.uppercased().filter { $0 != " " && $0 != "-" && $0 != "\u{3000}" })
    }

    /// The check character of the first 17 characters, or nil when one of them is not in the alphabet.
    public static func checkCharacter(_ first17: some Sequence<Character>) -> Character? {
        let chars = Array(first17)
        guard chars.count == 17 else { return nil }
        var sum = 0
        for (c, w) in zip(chars, weights) {
            guard let v = alphabet.firstIndex(of: c) else { return nil }
            sum += v * w
        }
        return alphabet[(31 - sum % 31) % 31]
    }

    /// Nil when `raw` (once normalized) is a well-formed code; else the message, at `field`.
    public static func check(_ raw: String, field: String = "credit_code") -> FieldError? {
        let code = normalized(raw)
        let chars = Array(code)
        guard chars.count == 18 else { return FieldError(field, "统一社会信用代码应为18位（现为\(chars.count)位）") }
        if let bad = chars.first(where: { !alphabet.contains($0) }) {
            return FieldError(field, "统一社会信用代码不能含“\(bad)”（只用数字和除 I、O、Z、S、V 以外的大写字母）")
        }
        guard chars[2..<8].allSatisfy({ $0.isASCII && $0.isNumber }) else {
            return FieldError(field, "统一社会信用代码第3至8位是登记管理机关的行政区划码，应为数字")
        }
        let expected = checkCharacter(chars[0..<17])!
        guard chars[17] == expected else {
            return FieldError(field, "统一社会信用代码的校验码不符（第18位应为\(expected)），请核对证书")
        }
        return nil
    }

    public static func isValid(_ raw: String) -> Bool { check(raw) == nil }

    /// A code built from its first 17 characters and the check character (for demo data and tests).
    public static func complete(_ first17: String) -> String? { checkCharacter(first17).map { first17 + String($0) } }
}
