import Foundation

/// An ISO 8601 week (Monday to Sunday), the period the patrol norm is counted in. Its `code` is
/// `year × 100 + week` (202649), the key of the weekly tally.
public struct PatrolWeek: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let week: Int

    public init?(year: Int, week: Int) {
        guard (1...PatrolWeek.weeks(in: year)).contains(week) else { return nil }
        self.year = year
        self.week = week
    }

    /// The week a day falls in (the ISO year is the year of the week's Thursday).
    public init(containing day: CivilDate) {
        let monday = day.dayNumber - PatrolWeek.weekday(day)
        let thursday = CivilDate(dayNumber: monday + 3)
        let jan1 = CivilDate(year: thursday.year, month: 1, day: 1)!
        year = thursday.year
        week = (thursday.dayNumber - jan1.dayNumber) / 7 + 1
    }

    /// The week of an instant (Unix seconds), in China Standard Time.
    public init(seconds: Int64) { self.init(containing: PatrolWeek.day(of: seconds)) }

    public init?(code: Int) { self.init(year: code / 100, week: code % 100) }

    public var code: Int { year * 100 + week }

    /// 0 for Monday … 6 for Sunday (1970-01-01 was a Thursday).
    public static func weekday(_ day: CivilDate) -> Int { ((day.dayNumber % 7) + 7 + 3) % 7 }

    /// The day of an instant in China Standard Time (UTC+8, no daylight saving).
    public static func day(of seconds: Int64) -> CivilDate {
        let local = seconds + 8 * 3600
        return CivilDate(dayNumber: Int(local >= 0 ? local / 86_400 : (local - 86_399) / 86_400))
    }

    /// 52 or 53: a year has 53 ISO weeks when 28 December's week is its 53rd.
    public static func weeks(in year: Int) -> Int {
        guard let dec28 = CivilDate(year: year, month: 12, day: 28) else { return 52 }
        let monday = dec28.dayNumber - weekday(dec28)
        let jan1 = CivilDate(year: year, month: 1, day: 1)!
        return (monday + 3 - jan1.dayNumber) / 7 + 1
    }

    public var monday: CivilDate {
        let jan4 = CivilDate(year: year, month: 1, day: 4)!
        return CivilDate(dayNumber: jan4.dayNumber - PatrolWeek.weekday(jan4) + (week - 1) * 7)
    }

    public var sunday: CivilDate { monday.adding(days: 6) }
    public var previous: PatrolWeek { PatrolWeek(containing: monday.adding(days: -7)) }
    public var next: PatrolWeek { PatrolWeek(containing: monday.adding(days: 7)) }

    /// The first instant of the week and of the week after (Unix seconds, China Standard Time).
    public var bounds: (start: Int64, end: Int64) {
        (Int64(monday.dayNumber) * 86_400 - 8 * 3600, Int64(monday.dayNumber + 7) * 86_400 - 8 * 3600)
    }

    /// The `count` weeks that ended before `day`'s week, oldest first.
    public static func completed(_ count: Int, before day: CivilDate) -> [PatrolWeek] {
        var w = PatrolWeek(containing: day)
        var out: [PatrolWeek] = []
        for _ in 0..<count { w = w.previous; out.append(w) }
        return out.reversed()
    }

    /// 2026年第49周（12月7日至12月13日）
    public var label: String { "\(year)年第\(week)周（\(monday.month)月\(monday.day)日至\(sunday.month)月\(sunday.day)日）" }
    public var description: String { String(format: "%04d-W%02d", year, week) }
    public static func < (a: PatrolWeek, b: PatrolWeek) -> Bool { a.code < b.code }
}
