import Foundation

/// A column that stores a division code (a grid's, a community's, a street's or any level's), declared by the
/// capability whose table it is, so that a boundary change (区划调整) moves every such value in one transaction and a
/// table added later cannot be forgotten (a test lists every `*_code` column of the schema against the declarations).
public struct DivisionColumn: Sendable, Hashable {
    /// What a boundary change does to the column.
    public enum Use: Sendable, Hashable {
        /// The value follows its record: a retired code is replaced by its successor's.
        case follows
        /// The value is a figure measured for its division (a snapshot, a month's count): it stays with the division it
        /// was measured for, and the successor's trend is read from its predecessors.
        case measured
        /// The street of the row, kept beside the community or grid column named: set to the receiving street when a
        /// merge moves communities across streets.
        case street(of: String)
        /// Kept by another table's move (request_tallies follow the requests' own move, in the same transaction).
        case derived(by: String)
        /// A `*_code` column that holds no division code (a category, a department, a credit code).
        case unrelated
    }

    /// How a row belongs to a person, a household, a building, a dwelling or a rental: in a split or a move, rows follow them.
    public enum Link: Sendable, Hashable {
        case resident(String), household(String), building(String), dwelling(String), rental(String)
    }

    public let table: String
    public let column: String
    public let use: Use
    public let link: Link?
    /// A SQL condition (on the table's own columns) limiting which rows move: open requests only.
    public let only: String?
    /// The record kind kept in the division history (区划沿革) for each moved row, when the table has a uuid `id`.
    public let history: String?
    /// The other columns of a unique key the column is part of (empty: the column alone is unique), or nil. In a merge,
    /// the row of the first division that holds the key passes to the successor; the others stay on their retired
    /// code (one donation point per community: the successor keeps the first one's, the other's ledger stays readable).
    public let unique: [String]?

    public init(_ table: String, _ column: String, _ use: Use = .follows, link: Link? = nil, only: String? = nil, history: String? = nil,
                unique: [String]? = nil) {
        self.table = table; self.column = column; self.use = use; self.link = link; self.only = only; self.history = history
        self.unique = unique
    }

    public static func unrelated(_ table: String, _ columns: String...) -> [DivisionColumn] { columns.map { DivisionColumn(table, $0, .unrelated) } }

    /// True for a name that looks like it may hold a division code; `DivisionColumnsTests` checks every such column is declared.
    public static func looksLikeCode(_ column: String) -> Bool {
        column.hasSuffix("_code") || column.hasSuffix("_prefix") || column == "scope" || column == "division"
    }
}
