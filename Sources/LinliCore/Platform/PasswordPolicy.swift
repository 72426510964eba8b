import Foundation

/// The password rules of GB/T 22239-2019 level 3 as the platform applies them: at least 10 characters,
/// three of the four character classes, not containing the username, not a commonly used password.
public enum PasswordPolicy {
    public static let minimumLength = 10

    public static func check(_ password: String, username: String, field: String = "password") -> [FieldError] {
        var errors: [String] = []
        if password.count < minimumLength { errors.append("密码至少\(minimumLength)位") }
        if password.count > 128 { errors.append("密码不能超过128位") }
        var classes = 0
        if password.contains(where: { $0.isASCII && $0.isLowercase }) { classes += 1 }
        if password.contains(where: { $0.isASCII && $0.isUppercase }) { classes += 1 }
        if password.contains(where: { $0.isASCII && $0.isNumber }) { classes += 1 }
        if password.contains(where: { !($0.isASCII && ($0.isLetter || $0.isNumber)) }) { classes += 1 }
        if classes < 3 { errors.append("密码须包含大写字母、小写字母、数字、符号中的至少三类") }
        let lower = password.lowercased()
        if !username.isEmpty && lower.contains(username.lowercased()) { errors.append("密码不能包含用户名") }
        if commonPasswords.contains(lower) { errors.append("该密码过于常见，请换一个") }
        return errors.map { FieldError(field, $0) }
    }

    /// Lower-cased. Shipped with the platform (Resources/common-passwords.txt).
    public static let commonPasswords: Set<String> = {
        guard let url = Bundle.module.url(forResource: "common-passwords", withExtension: "txt"),
              let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return Set(text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") })
    }()
}
