import FluentKit
import Foundation
import LinliCore
import SQLKit

/// A capability's part of the indicator computation: it adds its counts of the scope to the tally.
public protocol IndicatorSource: Sendable {
    func count(into tally: inout IndicatorTally, on db: any Database) async throws
}

/// The counts of every division of a scope while the sources add to them.
public struct IndicatorTally: Sendable {
    public let scope: RegistryScope
    public let today: CivilDate
    /// The divisions of the scope, from the top down (district, streets, communities, grids).
    public let divisions: [IndicatorDivision]
    public private(set) var counts: [String: IndicatorCounts] = [:]

    public init(scope: RegistryScope, today: CivilDate, divisions: [IndicatorDivision]) {
        self.scope = scope
        self.today = today
        self.divisions = divisions
        for d in divisions {
            var c = IndicatorCounts()
            if d.level != .grid { c.requests = RequestCounts(); c.communities = 0 }
            counts[d.code] = c
        }
    }

    /// Adds another tally of the same divisions, division by division (each already summed up its tree).
    public mutating func merge(_ other: IndicatorTally) {
        for (code, c) in other.counts { counts[code]?.add(c) }
    }

    /// Adds to the division `code` and to each enclosing division, as far as the scope reaches.
    public mutating func add(_ code: String, _ change: (inout IndicatorCounts) -> Void) {
        var delta = IndicatorCounts()
        change(&delta)
        var d = try? DivisionCode(code)
        while let c = d {
            counts[c.value]?.add(delta)
            d = c.parent
        }
    }
}
