/// The period a measure may be asked over (`period` filter): 本季度 or 本年度, up to the reference date.
public enum MeasurePeriod {
    public static let filter = MeasureFilter("period", "统计期", .choice([MeasureChoice("quarter", "本季度"), MeasureChoice("year", "本年度")]))

    /// The first day of the period the filters name (the year when none is named) and the day after the
    /// reference date: a period is [start, end).
    public static func days(_ filters: [String: String], on date: CivilDate) -> (start: CivilDate, end: CivilDate) {
        let month = filters["period"] == "quarter" ? (date.month - 1) / 3 * 3 + 1 : 1
        return (CivilDate(year: date.year, month: month, day: 1) ?? date, date.adding(days: 1))
    }

    /// The same period in Unix seconds, days taken in the district's time (UTC+8).
    public static func seconds(_ filters: [String: String], on date: CivilDate) -> (start: Int64, end: Int64) {
        let d = days(filters, on: date)
        return (Int64(d.start.dayNumber) * 86_400 - 8 * 3600, Int64(d.end.dayNumber) * 86_400 - 8 * 3600)
    }
}
