import Foundation
import LinliCore
import LinliData
import Vapor

/// A venue's week as a list of days (a phone reads it top to bottom): each day's opening hours, what is
/// booked and what is free. Shared by the console (bookers masked, with the worker's actions) and the portal
/// (only "已约" — nothing personal).
enum LifeCalendar {
    static func week(_ v: VenueRecord, monday: CivilDate, bookings: [BookingRecord], today: CivilDate,
                     booked: (BookingRecord) -> Markup) -> Markup {
        let hours = v.weeklyHours
        var days: [Markup] = []
        for i in 0..<7 {
            let day = monday.adding(days: i), weekday = LifeTime.weekday(day)
            let label = "\(LifeTime.weekdayLabel(weekday)) \(String(day.description.dropFirst(5)))"
            guard let span = hours.span(on: weekday) else {
                days.append("<li><b>\(label)</b> <span class=\"muted\">不开放</span></li>")
                continue
            }
            let mine = bookings.filter { $0.day == day.description }
            let active = mine.filter { $0.status != .cancelled }
            let free = LifeRules.freeSpans(from: span.from, to: span.to, booked: active.map { ($0.startMin, $0.endMin) })
            let freeText: Markup = day < today ? "" : free.isEmpty ? "<span class=\"badge red\">已约满</span>"
                : "空闲：\(free.map { "\(LifeTime.clock($0.start))–\(LifeTime.clock($0.end))" }.joined(separator: "、"))"
            let items = mine.map { b -> Markup in "<li>\(LifeTime.clock(b.startMin))–\(LifeTime.clock(b.endMin)) \(booked(b))</li>" }
            days.append("""
                <li\(day == today ? " class=\"today\"" : "")><b>\(label)</b> 开放 \(LifeTime.clock(span.from))–\(LifeTime.clock(span.to))<br>\(freeText)
                \(items.isEmpty ? Markup.empty : "<ul>\(items)</ul>")</li>
                """)
        }
        return "<ul class=\"timeline\">\(days)</ul>"
    }

    /// Links to the weeks before and after.
    static func weekNav(_ path: String, monday: CivilDate) -> Markup {
        """
        <p><a href="\(path)?week=\(monday.adding(days: -7).description)">上一周</a> · \(monday.description) 至 \(monday.adding(days: 6).description) · <a href="\(path)?week=\(monday.adding(days: 7).description)">下一周</a></p>
        """
    }

    static func status(_ b: BookingRecord) -> Markup {
        switch b.status {
        case .booked: return "<span class=\"badge\">已预约</span>"
        case .cancelled: return "<span class=\"badge yellow\">已取消</span>"
        case .noShow: return "<span class=\"badge red\">爽约</span>"
        }
    }

    /// The week asked for (`week`, any day of it), this week by default; a malformed date is this week.
    static func monday(_ req: Request) -> CivilDate {
        let asked = req.formQuery("week").flatMap { $0.count <= 10 ? CivilDate($0) : nil }.flatMap { (2000...2100).contains($0.year) ? $0 : nil }
        return LifeTime.monday(of: asked ?? req.life.localToday)
    }
}
