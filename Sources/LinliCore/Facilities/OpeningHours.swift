import Foundation

/// Opening hours as validated text with a weekly schedule behind it: segments separated by "；", each a day or
/// range of days (周一 … 周日, 周一至周五, 每天) followed by one or more times "08:30-11:30"; or "24小时".
/// For example "周一至周五 08:30-17:30；周六 09:00-12:00". The text is what residents read; the schedule is what
/// `isOpen` answers from.
public struct OpeningHours: Sendable, Equatable {
    /// Minutes of the day open, per weekday (0 = 周一 … 6 = 周日).
    public private(set) var days: [[ClosedRange<Int>]] = Array(repeating: [], count: 7)
    public let text: String

    static let dayNames = ["一", "二", "三", "四", "五", "六", "日"]
    public static let maxLength = 100

    /// The schedule of `text`, or the message saying what is wrong with it.
    public static func parse(_ raw: String) -> Result<OpeningHours, FieldError> {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        func fail(_ m: String) -> Result<OpeningHours, FieldError> { .failure(FieldError("opening_hours", m)) }
        guard !text.isEmpty else { return fail("请填写开放时间，如“周一至周五 08:30-17:30；周六 09:00-12:00”") }
        guard text.count <= maxLength else { return fail("开放时间不能超过\(maxLength)个字") }
        var hours = OpeningHours(text: text)
        if text == "24小时" || text == "全天" {
            hours.days = Array(repeating: [0...1440], count: 7)
            return .success(hours)
        }
        for segment in text.split(whereSeparator: { $0 == "；" || $0 == ";" }) {
            let parts = segment.split(whereSeparator: { $0 == " " || $0 == "　" }).map(String.init)
            guard parts.count >= 2 else { return fail("“\(segment)”应写作“周一至周五 08:30-17:30”") }
            guard let dayRange = weekdays(parts[0]) else { return fail("“\(parts[0])”不是星期，可写“周一”“周一至周五”或“每天”") }
            var ranges: [ClosedRange<Int>] = []
            for t in parts.dropFirst().joined(separator: ",").split(whereSeparator: { $0 == "," || $0 == "，" || $0 == "、" }) {
                guard let r = times(String(t)) else { return fail("“\(t)”应为时间段，如 08:30-17:30（开始早于结束）") }
                ranges.append(r)
            }
            for d in dayRange {
                if hours.days[d].contains(where: { old in ranges.contains { $0.overlaps(old) } }) {
                    return fail("周\(dayNames[d])的时间段重叠")
                }
                hours.days[d] += ranges
            }
        }
        return .success(hours)
    }

    static func weekday(_ s: Substring) -> Int? {
        let t = s.hasPrefix("周") ? s.dropFirst() : s.hasPrefix("星期") ? s.dropFirst(2) : s
        if t == "天" || t == "七" { return 6 }
        return dayNames.firstIndex(of: String(t))
    }

    static func weekdays(_ s: String) -> ClosedRange<Int>? {
        if s == "每天" || s == "每日" { return 0...6 }
        let ends = s.components(separatedBy: "至").flatMap { $0.components(separatedBy: "-") }
        if ends.count == 1 { return weekday(Substring(s)).map { $0...$0 } }
        guard ends.count == 2, let a = weekday(Substring(ends[0])), let b = weekday(Substring(ends[1])), a <= b else { return nil }
        return a...b
    }

    static func minute(_ s: Substring) -> Int? {
        let hm = s.split(separator: ":")
        guard hm.count == 2, hm[1].count == 2, let h = Int(hm[0]), let m = Int(hm[1]), (0...24).contains(h), (0...59).contains(m) else { return nil }
        let v = h * 60 + m
        return v <= 1440 ? v : nil
    }

    static func times(_ s: String) -> ClosedRange<Int>? {
        let ends = s.split(whereSeparator: { $0 == "-" || $0 == "—" || $0 == "~" })
        guard ends.count == 2, let a = minute(ends[0]), let b = minute(ends[1]), a < b else { return nil }
        return a...b
    }

    /// Open on `weekday` (0 = 周一) at `minute` of the day.
    public func isOpen(weekday: Int, minute: Int) -> Bool {
        guard (0...6).contains(weekday) else { return false }
        return days[weekday].contains { $0.lowerBound <= minute && minute < $0.upperBound }
    }

    /// Hours open in a week (for the register's figures).
    public var weeklyMinutes: Int { days.joined().reduce(0) { $0 + $1.upperBound - $1.lowerBound } }
}
