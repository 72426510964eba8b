import Foundation

/// Local time of the district (China Standard Time, UTC+8 all year): a day and minutes after midnight, and
/// the instant they name. Bookings and activities are kept as a day and minutes so calendars read by index.
public enum LifeTime {
    public static let offsetSeconds: Int64 = 8 * 3600

    /// The instant (Unix seconds) of `minute` after midnight of `day`, local time.
    public static func epoch(_ day: CivilDate, minute: Int) -> Int64 {
        Int64(day.dayNumber) * 86_400 + Int64(minute) * 60 - offsetSeconds
    }

    /// The local day and minute of an instant.
    public static func local(_ epoch: Int64) -> (day: CivilDate, minute: Int) {
        let shifted = epoch + offsetSeconds
        let days = shifted >= 0 ? shifted / 86_400 : (shifted - 86_399) / 86_400
        return (CivilDate(dayNumber: Int(days)), Int((shifted - days * 86_400) / 60))
    }

    /// 1 Monday … 7 Sunday (1970-01-01 was a Thursday).
    public static func weekday(_ day: CivilDate) -> Int {
        let r = (day.dayNumber + 3) % 7
        return (r < 0 ? r + 7 : r) + 1
    }

    /// The Monday of the week of `day`.
    public static func monday(of day: CivilDate) -> CivilDate { day.adding(days: 1 - weekday(day)) }

    /// "08:30".
    public static func clock(_ minute: Int) -> String {
        let m = max(0, min(minute, 1440))
        return String(format: "%02d:%02d", m / 60, m % 60)
    }

    /// "08:30" → 510; nil unless HH:MM within 00:00…24:00.
    public static func minute(_ text: String) -> Int? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count <= 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
              (0...24).contains(h), (0...59).contains(m), h * 60 + m <= 1440 else { return nil }
        return h * 60 + m
    }

    public static let weekdayLabels = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
    public static func weekdayLabel(_ weekday: Int) -> String { (1...7).contains(weekday) ? weekdayLabels[weekday - 1] : "?" }
}
