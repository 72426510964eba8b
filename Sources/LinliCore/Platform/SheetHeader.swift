/// Finding the header row of a sheet as communities make them: a title (“XX社区居民花名册”), a note
/// (“填表说明：…”) and an empty row or two above the column names. Any import calls `find` with its
/// own column matcher.
public enum SheetHeader {
    /// How many non-empty rows from the top are searched for the header.
    public static let searchRows = 20
    /// A row with fewer recognised columns is not taken for a header.
    public static let minimumColumns = 2

    /// A header cell as typed: half-width, spaces of any kind removed, the required-field star (*, ＊,
    /// ★, ※), anything from a parenthesis on (“（必填）”, “(18位)”) and a trailing colon left out.
    public static func normalize(_ cell: String) -> String {
        var out = String.UnicodeScalarView()
        for u in RosterText.halfWidth(cell).unicodeScalars {
            if u == "(" || u == "（" || u == "[" || u == "【" { break }
            if RosterText.isSpace(u) || u == "*" || u == "★" || u == "※" || u == "\u{2731}" { continue }
            out.append(u)
        }
        var h = String(out)
        while h.hasSuffix(":") || h.hasSuffix("：") { h.removeLast() }
        return h
    }

    /// The header found: its index among the rows searched and the column of each recognised name
    /// (the first column when a name appears twice).
    public struct Found<Column: Hashable & Sendable>: Sendable {
        public var index: Int
        public var columns: [Column: Int]
    }

    /// Among the first `searchRows` rows given, the one that names the most columns (at least
    /// `minimumColumns`; the first such row on a tie). `match` takes a raw header cell.
    public static func find<Column: Hashable & Sendable>(_ rows: [[String]], match: (String) -> Column?) -> Found<Column>? {
        var best: Found<Column>?
        for (index, cells) in rows.prefix(searchRows).enumerated() {
            var columns: [Column: Int] = [:]
            for (i, cell) in cells.enumerated() where !cell.isEmpty {
                if let c = match(cell), columns[c] == nil { columns[c] = i }
            }
            if columns.count >= minimumColumns && columns.count > (best?.columns.count ?? 0) {
                best = Found(index: index, columns: columns)
            }
        }
        return best
    }
}
