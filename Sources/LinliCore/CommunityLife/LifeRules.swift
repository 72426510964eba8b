/// The rules of venues, bookings and activities, as pure functions returning the fields at fault.

/// What a worker registers about a venue.
public struct VenueInput: Sendable, Equatable {
    public var name: String?
    public var owner: VenueOwner?
    /// The unit (辖区单位) that opens it, when `owner` is `.unit`.
    public var unitName: String?
    public var address: String?
    public var capacity: Int?
    public var free: Bool
    /// The fee when not free, as the venue states it ("每小时20元").
    public var fee: String?
    public var hours: WeeklyHours?
    public var open: Bool

    public init(name: String?, owner: VenueOwner?, unitName: String?, address: String?, capacity: Int?, free: Bool, fee: String?,
                hours: WeeklyHours?, open: Bool) {
        self.name = name; self.owner = owner; self.unitName = unitName; self.address = address; self.capacity = capacity
        self.free = free; self.fee = fee; self.hours = hours; self.open = open
    }
}

/// What a worker records about an activity.
public struct ActivityInput: Sendable, Equatable {
    public var title: String?
    public var kind: ActivityKind?
    public var day: CivilDate?
    public var start: Int?
    public var end: Int?
    public var place: String?
    public var capacity: Int?
    public var description: String?

    public init(title: String?, kind: ActivityKind?, day: CivilDate?, start: Int?, end: Int?, place: String?, capacity: Int?, description: String?) {
        self.title = title; self.kind = kind; self.day = day; self.start = start; self.end = end; self.place = place
        self.capacity = capacity; self.description = description
    }
}

public enum LifeRules {
    /// A booking lasts at least half an hour and at most four.
    public static let shortest = 30
    public static let longest = 240
    /// How far ahead a slot may be booked.
    public static let aheadDays = 60
    /// No-shows that stop a resident booking: this many within `noShowWindow` days …
    public static let noShowLimit = 3
    public static let noShowWindow = 90
    /// … for this many days after the last one.
    public static let noShowPause = 30

    public static func text(_ s: String?) -> String { s?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "" }

    public static func check(_ v: VenueInput) -> [FieldError] {
        var e: [FieldError] = []
        let name = text(v.name)
        if name.isEmpty { e.append(FieldError("name", "请填写场地名称")) } else if name.count > 60 { e.append(FieldError("name", "场地名称不超过60字")) }
        if v.owner == nil { e.append(FieldError("owner", "请选择场地归属：社区自有或辖区单位开放")) }
        let unit = text(v.unitName)
        if v.owner == .unit, unit.isEmpty { e.append(FieldError("unit_name", "辖区单位开放的场地请填写单位名称")) }
        if unit.count > 60 { e.append(FieldError("unit_name", "单位名称不超过60字")) }
        let address = text(v.address)
        if address.isEmpty { e.append(FieldError("address", "请填写场地地点")) } else if address.count > 120 { e.append(FieldError("address", "地点不超过120字")) }
        if let c = v.capacity { if !(1...5000).contains(c) { e.append(FieldError("capacity", "容纳人数应在1到5000之间")) } } else {
            e.append(FieldError("capacity", "请填写容纳人数"))
        }
        if text(v.fee).count > 60 { e.append(FieldError("fee", "收费说明不超过60字")) }
        if !v.free, text(v.fee).isEmpty { e.append(FieldError("fee", "收费场地请写明收费标准")) }
        if let h = v.hours { e += h.check() } else { e.append(FieldError("hours", "请填写开放时间（至少一天）")) }
        return e
    }

    /// A slot of a venue: on the half hour, 30 minutes to 4 hours, within the venue's hours that weekday,
    /// starting after `now` and at most `aheadDays` ahead. Times are minutes after local midnight.
    public static func checkSlot(day: CivilDate, start: Int, end: Int, hours: WeeklyHours, now: Int64) -> [FieldError] {
        guard (0...1440).contains(start), (0...1440).contains(end) else { return [FieldError("start", "时间应在 00:00 到 24:00 之间")] }
        if start % 30 != 0 || end % 30 != 0 { return [FieldError("start", "预约以半小时为单位（如 09:00、09:30）")] }
        if end - start < shortest { return [FieldError("end", "结束时间应晚于开始时间，至少预约半小时")] }
        if end - start > longest { return [FieldError("end", "一次最多预约4小时")] }
        let weekday = LifeTime.weekday(day)
        guard let span = hours.span(on: weekday) else { return [FieldError("day", "场地\(LifeTime.weekdayLabel(weekday))不开放")] }
        if start < span.from || end > span.to {
            return [FieldError("start", "请在开放时间内预约（\(LifeTime.weekdayLabel(weekday)) \(LifeTime.clock(span.from))–\(LifeTime.clock(span.to))）")]
        }
        if LifeTime.epoch(day, minute: start) <= now { return [FieldError("start", "不能预约已经过去的时间")] }
        let today = LifeTime.local(now).day
        if day.dayNumber - today.dayNumber > aheadDays { return [FieldError("day", "最多可预约\(aheadDays)天内的时段")] }
        return []
    }

    /// Whether two spans of the same day overlap (touching ends do not).
    public static func overlaps(_ a: (start: Int, end: Int), _ b: (start: Int, end: Int)) -> Bool { a.start < b.end && b.start < a.end }

    /// The day until which a resident may not book (exclusive), after `noShowLimit` no-shows within
    /// `noShowWindow` days before `today`; nil when they may book.
    public static func bookingPause(noShows: [CivilDate], today: CivilDate) -> CivilDate? {
        let recent = noShows.filter { $0 <= today && today.dayNumber - $0.dayNumber < noShowWindow }
        guard recent.count >= noShowLimit, let last = recent.max() else { return nil }
        let until = last.adding(days: noShowPause)
        return until > today ? until : nil
    }

    /// A no-show is marked once the slot has begun, and only on a booking still `booked`.
    public static func mayMarkNoShow(status: BookingStatus, startsAt: Int64, now: Int64) -> FieldError? {
        if status != .booked { return FieldError("status", "只有“已预约”的预约可以标记爽约（现为\(status.label)）") }
        if startsAt > now { return FieldError("status", "预约时段开始后才能标记爽约") }
        return nil
    }

    /// A cancellation comes before the slot begins.
    public static func mayCancel(status: BookingStatus, startsAt: Int64, now: Int64) -> FieldError? {
        if status != .booked { return FieldError("status", "这条预约已是“\(status.label)”") }
        if startsAt <= now { return FieldError("status", "预约时段已开始，不能再取消") }
        return nil
    }

    public static func check(_ a: ActivityInput, now: Int64) -> [FieldError] {
        var e: [FieldError] = []
        let title = text(a.title)
        if title.isEmpty { e.append(FieldError("title", "请填写活动名称")) } else if title.count > 80 { e.append(FieldError("title", "活动名称不超过80字")) }
        if a.kind == nil { e.append(FieldError("kind", "请选择活动类别")) }
        if let c = a.capacity { if !(1...10_000).contains(c) { e.append(FieldError("capacity", "名额应在1到10000之间")) } } else {
            e.append(FieldError("capacity", "请填写名额"))
        }
        if text(a.place).count > 120 { e.append(FieldError("place", "地点不超过120字")) }
        if text(a.description).count > 2000 { e.append(FieldError("description", "活动介绍不超过2000字")) }
        guard let day = a.day else { e.append(FieldError("day", "请填写活动日期")); return e }
        guard let start = a.start, let end = a.end, (0...1440).contains(start), (0...1440).contains(end) else {
            e.append(FieldError("start", "请填写开始和结束时间（HH:MM）")); return e
        }
        if end <= start { e.append(FieldError("end", "结束时间应晚于开始时间")) }
        if LifeTime.epoch(day, minute: start) <= now { e.append(FieldError("day", "活动时间已过，请填写将要举办的活动")) }
        return e
    }

    /// A sign-up comes before the activity begins, while it is planned.
    public static func maySignUp(status: ActivityStatus, startsAt: Int64, now: Int64) -> FieldError? {
        if status != .planned { return FieldError("activity", "活动\(status.label)，不能报名") }
        if startsAt <= now { return FieldError("activity", "活动已开始，报名已截止") }
        return nil
    }

    /// Attendance is recorded once the activity has begun.
    public static func mayRecordAttendance(status: ActivityStatus, startsAt: Int64, now: Int64) -> FieldError? {
        if status == .cancelled { return FieldError("activity", "活动已取消") }
        if startsAt > now { return FieldError("activity", "活动开始后才能登记签到") }
        return nil
    }
}

extension LifeRules {
    /// The free parts of a day's opening span once `booked` spans are taken out, in order.
    public static func freeSpans(from: Int, to: Int, booked: [(start: Int, end: Int)]) -> [(start: Int, end: Int)] {
        var free: [(start: Int, end: Int)] = []
        var at = from
        for b in booked.sorted(by: { $0.start < $1.start }) where b.end > at {
            if b.start > at { free.append((at, min(b.start, to))) }
            at = max(at, b.end)
            if at >= to { break }
        }
        if at < to { free.append((at, to)) }
        return free.filter { $0.end > $0.start }
    }
}
