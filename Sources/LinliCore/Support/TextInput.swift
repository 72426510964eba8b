/// The one rule for the characters any text input may hold, applied to every JSON body, form, query
/// string and multipart field before a handler sees it.
///
/// Refused: the C0 control characters other than tab, line feed and carriage return, DEL and the C1
/// controls (no field needs them, PostgreSQL cannot store NUL, and a terminal or a spreadsheet may act on
/// them), and the Unicode noncharacters (U+FDD0–U+FDEF and the last two of every plane, U+FFFE and
/// U+FFFF among them), which XML 1.0 cannot carry: one of them stored in a description would make the
/// Open311 XML feed unreadable for everyone.
public enum TextInput {
    public static func isAllowed(_ u: Unicode.Scalar) -> Bool {
        let v = u.value
        switch v {
        case 0x09, 0x0A, 0x0D: return true
        case 0..<0x20, 0x7F...0x9F: return false
        case 0xFDD0...0xFDEF: return false
        default: return v & 0xFFFE != 0xFFFE
        }
    }

    /// The first character of `s` that no input may hold.
    public static func firstRefused(in s: some StringProtocol) -> Unicode.Scalar? {
        for u in s.unicodeScalars where !isAllowed(u) { return u }
        return nil
    }

    /// A field error naming the character by its code point (it may not be visible on screen).
    public static func check(_ s: some StringProtocol, field: String) -> FieldError? {
        guard let u = firstRefused(in: s) else { return nil }
        return FieldError(field, message(for: u))
    }

    public static func message(for u: Unicode.Scalar) -> String {
        let hex = String(u.value, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        return "含有不允许的字符（\(code)，控制字符或非字符），请删除后重试"
    }
}
