import Foundation

/// Pinyin of Chinese personal names, for search: `张三` → full `zhangsan`, initials `zs`.
///
/// Surnames are read with ICU's `Han-Latin/Names` transform, which knows the surname readings of
/// polyphonic characters (单 shàn, 曾 zēng, 解 xiè, 仇 qiú); the given name character by character.
/// ü is written `v`, as pinyin keyboards type it (吕 → lv).
public enum Pinyin {
    public struct Reading: Equatable, Sendable {
        /// One syllable per character, lower case, without tones.
        public var syllables: [String]
        public var full: String { syllables.joined() }
        public var initials: String { String(syllables.compactMap(\.first)) }
    }

    /// The reading of a whole name whose first character is the surname.
    public static func reading(ofName name: String) -> Reading {
        let chars = Array(name.filter { !$0.isWhitespace && $0 != "·" && $0 != "•" })
        guard let first = chars.first else { return Reading(syllables: []) }
        // Compound surnames (欧阳, 司马, 诸葛 …) are read well enough character by character; only the
        // first character has surname-specific readings that differ from the common one.
        var syllables = [cache.syllable(for: first, asSurname: true)]
        for c in chars.dropFirst() { syllables.append(cache.syllable(for: c, asSurname: false)) }
        return Reading(syllables: syllables.filter { !$0.isEmpty })
    }

    /// Lower-cases a search text and writes ü as v, so that it compares with stored readings.
    public static func normalizeQuery(_ text: String) -> String {
        text.lowercased().replacingOccurrences(of: "ü", with: "v").filter { $0.isLetter && $0.isASCII }
    }

    private static let cache = SyllableCache()

    private final class SyllableCache: @unchecked Sendable {
        private let lock = NSLock()
        private var common: [Character: String] = [:]
        private var surname: [Character: String] = [:]

        func syllable(for c: Character, asSurname: Bool) -> String {
            lock.lock()
            if let hit = asSurname ? surname[c] : common[c] { lock.unlock(); return hit }
            lock.unlock()
            let value = Pinyin.transliterate(c, asSurname: asSurname)
            lock.lock()
            if asSurname { surname[c] = value } else { common[c] = value }
            lock.unlock()
            return value
        }
    }

    static func transliterate(_ c: Character, asSurname: Bool) -> String {
        if c.isASCII { return c.isLetter ? c.lowercased() : "" }
        let transform = asSurname ? StringTransform("Han-Latin/Names") : StringTransform.mandarinToLatin
        guard let latin = String(c).applyingTransform(transform, reverse: false) else { return "" }
        // ü carries a tone mark too (ǚ): decompose, write u + diaeresis as v, then drop the tone marks.
        var scalars: [Unicode.Scalar] = []
        for s in latin.decomposedStringWithCanonicalMapping.unicodeScalars {
            if s == "\u{308}", scalars.last == "u" { scalars[scalars.count - 1] = "v"; continue }
            if s.properties.generalCategory == .nonspacingMark { continue }
            scalars.append(s)
        }
        let plain = String(String.UnicodeScalarView(scalars))
        let letters = plain.lowercased().filter { $0.isASCII && $0.isLetter }
        return letters
    }
}
