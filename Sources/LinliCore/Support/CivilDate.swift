/// A calendar date without time or time zone (出生日期, 迁入日期 …), stored as `YYYY-MM-DD`.
///
/// Registry dates are civil dates: a birth on 1 March is 1 March everywhere, so they are never
/// converted through `Date` and a time zone.
public struct CivilDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Returns nil when the date does not exist (2023-02-29, month 13 …).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= CivilDate.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD` (or `YYYYMMDD`).
    public init?(_ text: some StringProtocol) {
        // The stored form, read on every record: straight from the bytes.
        let u = Array(text.utf8)
        if u.count == 10, u[4] == 45, u[7] == 45 {
            var v = [Int]()
            for i in [0, 1, 2, 3, 5, 6, 8, 9] {
                guard u[i] >= 48, u[i] <= 57 else { return nil }
                v.append(Int(u[i] - 48))
            }
            self.init(year: v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3], month: v[4] * 10 + v[5], day: v[6] * 10 + v[7])
            return
        }
        let digits = String(text.filter { $0 != "-" })
        guard digits.count == 8, digits.allSatisfy(\.isASCIIDigit),
              text.count == 8 || (text.count == 10 && Array(text)[4] == "-" && Array(text)[7] == "-"),
              let y = Int(digits.prefix(4)), let m = Int(digits.dropFirst(4).prefix(2)), let d = Int(digits.suffix(2))
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// `YYYY-MM-DD`, which also sorts correctly as text.
    public var description: String {
        func pad(_ v: Int, _ n: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, n - s.count)) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public static func < (a: CivilDate, b: CivilDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    /// Whole years completed on `date` (周岁).
    public func age(on date: CivilDate) -> Int {
        var years = date.year - year
        if (date.month, date.day) < (month, day) { years -= 1 }
        return years
    }

    /// The same day `years` earlier; 29 February falls back to 28 February in common years.
    public func yearsEarlier(_ years: Int) -> CivilDate {
        let y = year - years
        return CivilDate(year: y, month: month, day: min(day, CivilDate.daysIn(month: month, year: y)))!
    }

    /// Days since 1970-01-01 (proleptic Gregorian), for arithmetic.
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public init(dayNumber z0: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self.year = y
        self.month = m
        self.day = d
    }

    public func adding(days: Int) -> CivilDate { CivilDate(dayNumber: dayNumber + days) }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
