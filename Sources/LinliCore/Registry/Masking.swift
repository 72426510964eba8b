/// Masks personal numbers for lists, exports and logs (PIPL: show the minimum).
public enum Masking {
    /// `321203199001011234` → `321203********1234`: the region code and the last four stay.
    public static func citizenID(_ id: String) -> String {
        let c = Array(id)
        guard c.count == 18 else { return String(repeating: "*", count: c.count) }
        return String(c[0..<6]) + String(repeating: "*", count: 8) + String(c[14..<18])
    }

    /// `13812345678` → `138****5678`; other lengths keep the first and last quarter at most.
    public static func phone(_ phone: String) -> String {
        let c = Array(phone)
        if c.count == 11 { return String(c[0..<3]) + "****" + String(c[7..<11]) }
        guard c.count > 4 else { return String(repeating: "*", count: c.count) }
        let keep = c.count / 4
        return String(c[0..<keep]) + String(repeating: "*", count: c.count - 2 * keep) + String(c[(c.count - keep)...])
    }

    /// `张三丰` → `张**`: a name in a list export keeps its first character.
    public static func name(_ name: String) -> String {
        guard let first = name.first else { return "" }
        return String(first) + String(repeating: "*", count: name.count - 1)
    }
}
