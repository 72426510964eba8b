import LinliCore
import Testing

/// A calendar date the test relies on; a date that does not exist fails the test instead of crashing the run.
func civil(_ year: Int, _ month: Int, _ day: Int, sourceLocation: SourceLocation = #_sourceLocation) throws -> CivilDate {
    try #require(CivilDate(year: year, month: month, day: day), "\(year)-\(month)-\(day) is no date", sourceLocation: sourceLocation)
}

/// A date written as text (YYYY-MM-DD).
func civil(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> CivilDate {
    try #require(CivilDate(text), "\(text) is no date", sourceLocation: sourceLocation)
}
