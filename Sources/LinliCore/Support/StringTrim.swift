extension String {
    /// Trimmed of spaces and line breaks; nil when nothing is left (an optional field left blank).
    public var trimmedOrNil: String? {
        let t = trimmingCharacters(in: .whitespacesAndNewlines)
        return t.isEmpty ? nil : t
    }
}
