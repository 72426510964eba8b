import FluentKit
import Foundation
import LinliCore
import SQLKit

/// A capability's part of the measure catalogue of report-once (一表通): the measures it can answer for a
/// form's automatic field, and their values per community. Declared by the capability (`Capability.measures`);
/// the catalogue is the union over `Capabilities.all`. See `MeasureDefinition`.
public protocol MeasureSource: Sendable {
    /// Its measures; ids start with the capability's name.
    var definitions: [MeasureDefinition] { get }

    /// A count or sum measure's value for each of `communities` (村/社区 division codes) as of `context.date`,
    /// in one pass over the data (grouped by community), not one query per community. Filters are already
    /// checked against the definition (`MeasureRules.check`). A community with nothing may be absent (0).
    func values(of measure: MeasureDefinition, filters: [String: String], communities: [String],
                context: MeasureContext) async throws -> [String: Int64]

    /// A list measure's rows for one community, each in the order of `measure.columns`. Sensitive columns
    /// come masked unless `reveal` (the caller has checked the permission and audits the full list).
    func rows(of measure: MeasureDefinition, filters: [String: String], community: String, reveal: Bool,
              context: MeasureContext) async throws -> [[String]]
}

extension MeasureSource {
    public func rows(of measure: MeasureDefinition, filters: [String: String], community: String, reveal: Bool,
                     context: MeasureContext) async throws -> [[String]] { [] }
}

/// What a measure is computed with: the database, the reference date (ages, periods and "as of" are taken on
/// it), and the cipher for a revealed list's numbers.
public struct MeasureContext: Sendable {
    public let db: any Database
    public let date: CivilDate
    public let cipher: PersonalDataCipher

    public init(db: any Database, date: CivilDate, cipher: PersonalDataCipher) {
        self.db = db
        self.date = date
        self.cipher = cipher
    }
}

extension MeasureContext {
    /// `SUBSTR(column, 1, 12)`: the community of a grid code (the first 12 digits), on both databases.
    public static func community(of column: String, table: String? = nil) -> any SQLExpression {
        SQLFunction("SUBSTR", args: SQLColumn(column, table: table), SQLLiteral.numeric("1"), SQLLiteral.numeric("12"))
    }

    /// The longest prefix the codes share: one range scan of a grid-code index covers them all.
    public static func commonPrefix(_ codes: [String]) -> String {
        guard var p = codes.first else { return "" }
        for c in codes.dropFirst() { while !c.hasPrefix(p) { p.removeLast() } }
        return p
    }
}
