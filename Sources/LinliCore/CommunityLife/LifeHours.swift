/// A venue's opening hours: for each weekday it opens, one span from–to (minutes after midnight, on the half
/// hour). Written one weekday a line, "1 08:30-21:00" (1 Monday … 7 Sunday); stored the same way.
public struct WeeklyHours: Codable, Sendable, Equatable {
    public struct Span: Codable, Sendable, Equatable {
        public var weekday: Int
        public var from: Int
        public var to: Int
        public init(weekday: Int, from: Int, to: Int) { self.weekday = weekday; self.from = from; self.to = to }
    }

    public var spans: [Span]
    public init(_ spans: [Span]) { self.spans = spans.sorted { $0.weekday < $1.weekday } }

    public func span(on weekday: Int) -> Span? { spans.first { $0.weekday == weekday } }

    /// "1 08:30-21:00", a line per weekday.
    public var text: String { spans.map { "\($0.weekday) \(LifeTime.clock($0.from))-\(LifeTime.clock($0.to))" }.joined(separator: "\n") }

    /// "周一 08:30–21:00；周二 …".
    public var label: String {
        spans.isEmpty ? "不开放" : spans.map { "\(LifeTime.weekdayLabel($0.weekday)) \(LifeTime.clock($0.from))–\(LifeTime.clock($0.to))" }.joined(separator: "；")
    }

    /// Every weekday the same hours: the form's shortcut.
    public static func daily(from: Int, to: Int, weekdays: ClosedRange<Int> = 1...7) -> WeeklyHours {
        WeeklyHours(weekdays.map { Span(weekday: $0, from: from, to: to) })
    }

    /// Parses the text form; errors name `field`. Each line "<weekday 1–7> HH:MM-HH:MM".
    public static func parse(_ text: String?, field: String = "hours") -> (WeeklyHours?, [FieldError]) {
        let lines = (text ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard lines.count <= 7 else { return (nil, [FieldError(field, "开放时间每个星期几一行，最多7行")]) }
        var spans: [Span] = []
        for line in lines {
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            let times = parts.count == 2 ? parts[1].replacingOccurrences(of: "–", with: "-").split(separator: "-").map(String.init) : []
            guard parts.count == 2, line.count <= 20, let day = Int(parts[0]), times.count == 2,
                  let from = LifeTime.minute(times[0]), let to = LifeTime.minute(times[1]) else {
                return (nil, [FieldError(field, "开放时间的格式应为“星期几(1–7) 开始-结束”，如“1 08:30-21:00”")])
            }
            spans.append(Span(weekday: day, from: from, to: to))
        }
        let hours = WeeklyHours(spans)
        let errors = hours.check(field: field)
        return errors.isEmpty ? (hours, []) : (nil, errors)
    }

    /// Each weekday 1–7 at most once, from before to, on the half hour; at least one day open.
    public func check(field: String = "hours") -> [FieldError] {
        if spans.isEmpty { return [FieldError(field, "请填写开放时间（至少一天）")] }
        if spans.count > 7 { return [FieldError(field, "开放时间每个星期几一行，最多7行")] }
        var seen = Set<Int>()
        for s in spans {
            guard (1...7).contains(s.weekday) else { return [FieldError(field, "星期几应为1（周一）到7（周日）")] }
            guard seen.insert(s.weekday).inserted else { return [FieldError(field, "\(LifeTime.weekdayLabel(s.weekday))填写了两次")] }
            guard (0...1440).contains(s.from), (0...1440).contains(s.to), s.from < s.to else {
                return [FieldError(field, "\(LifeTime.weekdayLabel(s.weekday))的开始时间应早于结束时间")]
            }
            guard s.from % 30 == 0, s.to % 30 == 0 else { return [FieldError(field, "开放时间以半小时为单位（如 08:00、08:30）")] }
        }
        return []
    }
}
