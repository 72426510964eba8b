import FluentKit
import Foundation
import LinliCore
import SQLKit

/// 社区生活's reads: venues, their bookings and monthly tallies, activities and sign-ups. Reads take the
/// caller's `RegistryScope`; a grid worker sees the venues of the community their grid belongs to.
public struct LifeQueries: Sendable {
    let db: any Database
    let today: CivilDate
    let now: @Sendable () -> Date

    public init(_ db: any Database, today: CivilDate, now: @escaping @Sendable () -> Date = { Date() }) {
        self.db = db
        self.today = today
        self.now = now
    }

    var sql: any SQLDatabase { SQLHelpers.sql(db) }
    var sqlite: Bool { db.isSQLite }
    var nowSeconds: Int64 { Int64(now().timeIntervalSince1970) }
    /// The local day now (bookings run on the clock, not on the configured working day).
    public var localToday: CivilDate { LifeTime.local(nowSeconds).day }

    /// Whether a record of `community` is visible in `scope` (a grid's scope sees its community's).
    public static func sees(_ scope: RegistryScope, community: String) -> Bool {
        scope.contains(code: community) || (scope.prefix.count > community.count && scope.prefix.hasPrefix(community))
    }

    static func communityPrefix(_ scope: RegistryScope) -> String { scope.prefix.count > 12 ? String(scope.prefix.prefix(12)) : scope.prefix }

    func table(_ name: String, _ alias: String) -> SQLAlias { SQLAlias(SQLIdentifier(name), as: SQLIdentifier(alias)) }

    func withCommunityName(_ q: SQLSelectBuilder, _ alias: String) -> SQLSelectBuilder {
        q.column(SQLColumn("name", table: "d"), as: "community_name")
            .join(table(Division.schema, "d"), method: SQLJoinMethod.left, on: SQLColumn("code", table: "d"), .equal, SQLColumn("community_code", table: alias))
    }

    var venueSelect: SQLSelectBuilder {
        var q = sql.select()
        for c in ["id", "community_code", "name", "owner", "unit_name", "address", "capacity", "free", "fee", "hours", "facility_id", "open", "version", "updated_at"] {
            q = q.column(SQLColumn(c, table: "v"))
        }
        return withCommunityName(q.from(table("life_venues", "v")), "v")
    }

    public func venues(in scope: RegistryScope, page: PageRequest) async throws -> ResultPage<VenueRecord> {
        let prefix = Self.communityPrefix(scope)
        let items = try await venueSelect.wherePrefix("v.community_code", prefix, sqlite: sqlite)
            .orderBy(SQLColumn("community_code", table: "v")).orderBy(SQLColumn("name", table: "v"))
            .limit(page.perPage).offset(page.offset).all().map { try $0.decodeRecord(VenueRecord.self) }
        let total = try await SQLHelpers.count(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(table("life_venues", "v")).wherePrefix("v.community_code", prefix, sqlite: sqlite))
        return ResultPage(items: items, total: total, page: page.page, perPage: page.perPage)
    }

    /// The open venues of a community, for the portal and the screens (nothing personal on a venue).
    public func publicVenues(community: String) async throws -> [VenueRecord] {
        try await venueSelect.where(SQLColumn("community_code", table: "v"), .equal, SQLBind(community))
            .where(SQLColumn("open", table: "v"), .equal, SQLBind(true)).orderBy(SQLColumn("name", table: "v")).all()
            .map { try $0.decodeRecord(VenueRecord.self) }
    }

    /// A venue by id; `scope` nil reads it as the portal does (open venues only).
    public func venue(_ id: UUID, in scope: RegistryScope?) async throws -> VenueRecord? {
        guard let v = try await venueSelect.where(SQLColumn("id", table: "v"), .equal, SQLBind(id)).first()?.decodeRecord(VenueRecord.self) else { return nil }
        guard let scope else { return v.open ? v : nil }
        return Self.sees(scope, community: v.communityCode) ? v : nil
    }

    func requireVenue(_ id: UUID, in scope: RegistryScope?) async throws -> VenueRecord {
        guard let v = try await venue(id, in: scope) else { throw RegistryError.notFound("场地") }
        return v
    }

    var bookingSelect: SQLSelectBuilder {
        var q = sql.select()
        for c in ["id", "venue_id", "community_code", "day", "start_min", "end_min", "starts_at", "purpose", "resident_id", "activity_id", "note",
                  "status", "booked_by", "via", "created_at"] { q = q.column(SQLColumn(c, table: "b")) }
        return q.column(SQLColumn("name", table: "v"), as: "venue_name").column(SQLColumn("name", table: "r"), as: "resident_name")
            .from(table("life_bookings", "b"))
            .join(table("life_venues", "v"), method: SQLJoinMethod.inner, on: SQLColumn("id", table: "v"), .equal, SQLColumn("venue_id", table: "b"))
            .join(table(Resident.schema, "r"), method: SQLJoinMethod.left, on: SQLColumn("id", table: "r"), .equal, SQLColumn("resident_id", table: "b"))
    }

    /// A venue's bookings of days `from`…`to` (inclusive), in time order; `activeOnly` leaves out cancellations.
    public func bookings(of venue: UUID, from: CivilDate, to: CivilDate, activeOnly: Bool = false) async throws -> [BookingRecord] {
        var q = bookingSelect.where(SQLColumn("venue_id", table: "b"), .equal, SQLBind(venue))
            .where(SQLColumn("day", table: "b"), .greaterThanOrEqual, SQLBind(from.description))
            .where(SQLColumn("day", table: "b"), .lessThanOrEqual, SQLBind(to.description))
        if activeOnly { q = q.where(SQLColumn("status", table: "b"), .notEqual, SQLBind(BookingStatus.cancelled.rawValue)) }
        return try await q.orderBy(SQLColumn("day", table: "b")).orderBy(SQLColumn("start_min", table: "b")).limit(2000).all()
            .map { try $0.decodeRecord(BookingRecord.self) }
    }

    /// The bookings of the area on one day, in time order: the console's day list.
    public func bookings(in scope: RegistryScope, day: CivilDate, page: PageRequest) async throws -> ResultPage<BookingRecord> {
        let prefix = Self.communityPrefix(scope)
        func narrowed(_ q: SQLSelectBuilder) -> SQLSelectBuilder {
            q.wherePrefix("b.community_code", prefix, sqlite: sqlite).where(SQLColumn("day", table: "b"), .equal, SQLBind(day.description))
        }
        let items = try await narrowed(bookingSelect).orderBy(SQLColumn("start_min", table: "b")).orderBy(SQLColumn("venue_id", table: "b"))
            .limit(page.perPage).offset(page.offset).all().map { try $0.decodeRecord(BookingRecord.self) }
        let total = try await SQLHelpers.count(narrowed(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table("life_bookings", "b"))))
        return ResultPage(items: items, total: total, page: page.page, perPage: page.perPage)
    }

    public func booking(_ id: UUID) async throws -> BookingRecord? {
        try await bookingSelect.where(SQLColumn("id", table: "b"), .equal, SQLBind(id)).first()?.decodeRecord(BookingRecord.self)
    }

    /// A resident's own bookings, newest first.
    public func ownBookings(of resident: UUID, limit: Int = 50) async throws -> [BookingRecord] {
        try await bookingSelect.where(SQLColumn("resident_id", table: "b"), .equal, SQLBind(resident))
            .orderBy(SQLOrderBy(expression: SQLColumn("day", table: "b"), direction: SQLDirection.descending))
            .orderBy(SQLOrderBy(expression: SQLColumn("start_min", table: "b"), direction: SQLDirection.descending))
            .limit(limit).all().map { try $0.decodeRecord(BookingRecord.self) }
    }

    /// Until when a resident may not book after no-shows (nil: they may).
    public func bookingPause(of resident: UUID) async throws -> CivilDate? {
        let today = localToday
        let rows = try await sql.select().column("day").from("life_bookings").where("resident_id", .equal, SQLBind(resident))
            .where("status", .equal, SQLBind(BookingStatus.noShow.rawValue))
            .where("day", .greaterThanOrEqual, SQLBind(today.adding(days: -LifeRules.noShowWindow).description)).all()
        return LifeRules.bookingPause(noShows: try rows.compactMap { CivilDate(try $0.decode(column: "day", as: String.self)) }, today: today)
    }

    var activitySelect: SQLSelectBuilder {
        var q = sql.select()
        for c in ["id", "community_code", "kind", "title", "venue_id", "place", "day", "start_min", "end_min", "starts_at", "capacity", "signed_up",
                  "attended", "status", "description", "report", "version"] { q = q.column(SQLColumn(c, table: "a")) }
        return withCommunityName(q.from(table("life_activities", "a")), "a")
    }

    /// The activities of the area, newest first; `upcoming` keeps those from today on, soonest first.
    public func activities(in scope: RegistryScope, upcoming: Bool = false, page: PageRequest) async throws -> ResultPage<ActivityRecord> {
        let prefix = Self.communityPrefix(scope), day = localToday.description
        func narrowed(_ q: SQLSelectBuilder) -> SQLSelectBuilder {
            let q = q.wherePrefix("a.community_code", prefix, sqlite: sqlite)
            return upcoming ? q.where(SQLColumn("day", table: "a"), .greaterThanOrEqual, SQLBind(day))
                .where(SQLColumn("status", table: "a"), .equal, SQLBind(ActivityStatus.planned.rawValue)) : q
        }
        let order = upcoming ? SQLDirection.ascending : SQLDirection.descending
        let items = try await narrowed(activitySelect).orderBy(SQLOrderBy(expression: SQLColumn("day", table: "a"), direction: order))
            .orderBy(SQLOrderBy(expression: SQLColumn("start_min", table: "a"), direction: order))
            .limit(page.perPage).offset(page.offset).all().map { try $0.decodeRecord(ActivityRecord.self) }
        let total = try await SQLHelpers.count(narrowed(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table("life_activities", "a"))))
        return ResultPage(items: items, total: total, page: page.page, perPage: page.perPage)
    }

    /// A community's planned activities from today on, soonest first: the portal and the screens.
    public func upcomingActivities(community: String, limit: Int = 20) async throws -> [ActivityRecord] {
        try await activities(in: RegistryScope(prefix: community), upcoming: true, page: PageRequest(page: 1, perPage: limit)).items
    }

    public func activity(_ id: UUID, in scope: RegistryScope?) async throws -> ActivityRecord? {
        guard let a = try await activitySelect.where(SQLColumn("id", table: "a"), .equal, SQLBind(id)).first()?.decodeRecord(ActivityRecord.self) else { return nil }
        guard let scope else { return a }
        return Self.sees(scope, community: a.communityCode) ? a : nil
    }

    func requireActivity(_ id: UUID, in scope: RegistryScope?) async throws -> ActivityRecord {
        guard let a = try await activity(id, in: scope) else { throw RegistryError.notFound("活动") }
        return a
    }

    public func signups(of activity: UUID) async throws -> [SignupRecord] {
        try await sql.select().column(SQLColumn("resident_id", table: "s")).column(SQLColumn("name", table: "r"), as: "resident_name")
            .column(SQLColumn("via", table: "s")).column(SQLColumn("attended", table: "s")).column(SQLColumn("created_at", table: "s"))
            .from(table("life_signups", "s"))
            .join(table(Resident.schema, "r"), method: SQLJoinMethod.inner, on: SQLColumn("id", table: "r"), .equal, SQLColumn("resident_id", table: "s"))
            .where(SQLColumn("activity_id", table: "s"), .equal, SQLBind(activity)).orderBy(SQLColumn("created_at", table: "s")).limit(10_000).all()
            .map { try $0.decodeRecord(SignupRecord.self) }
    }

    /// The activities a resident signed up for, newest first.
    public func ownActivities(of resident: UUID) async throws -> Set<UUID> {
        Set(try await sql.select().column("activity_id").from("life_signups").where("resident_id", .equal, SQLBind(resident)).limit(500).all()
            .map { try $0.decode(column: "activity_id", as: UUID.self) })
    }

    /// Per community of the area: venues, units' venues, minutes booked this month and this year (from the
    /// monthly tallies), activities held this year with their attendance, 普法 events.
    public func summary(in scope: RegistryScope, year: Int, month: Int) async throws -> [LifeCommunityFigures] {
        let prefix = Self.communityPrefix(scope)
        let communities = try await DivisionQueries(db).all(in: RegistryScope(prefix: prefix), level: .community)
        var figures: [String: LifeCommunityFigures] = [:]
        for c in communities {
            figures[c.code] = LifeCommunityFigures(communityCode: c.code, communityName: c.name, venues: 0, unitVenues: 0, minutesMonth: 0, minutesYear: 0,
                                                   activitiesHeld: 0, attendance: 0, legalEvents: 0)
        }
        for row in try await sql.raw("""
            SELECT community_code, owner, COUNT(*) AS n FROM life_venues WHERE open = \(bind: true) AND community_code LIKE \(bind: prefix + "%")
            GROUP BY community_code, owner
            """).all() {
            let code = try row.decode(column: "community_code", as: String.self), n = try row.decode(column: "n", as: Int.self)
            figures[code]?.venues += n
            if try row.decode(column: "owner", as: String.self) == VenueOwner.unit.rawValue { figures[code]?.unitVenues += n }
        }
        let yearText = String(format: "%04d", year), monthText = String(format: "%04d-%02d", year, month)
        for row in try await sql.raw("""
            SELECT community_code, month, CAST(SUM(minutes) AS BIGINT) AS m FROM life_venue_months
            WHERE community_code LIKE \(bind: prefix + "%") AND month >= \(bind: yearText + "-01") AND month <= \(bind: yearText + "-12")
            GROUP BY community_code, month
            """).all() {
            let code = try row.decode(column: "community_code", as: String.self), m = try row.decode(column: "m", as: Int64.self)
            figures[code]?.minutesYear += m
            if try row.decode(column: "month", as: String.self) == monthText { figures[code]?.minutesMonth += m }
        }
        for row in try await sql.raw("""
            SELECT community_code, kind, COUNT(*) AS n, CAST(SUM(attended) AS BIGINT) AS people FROM life_activities
            WHERE community_code LIKE \(bind: prefix + "%") AND status = \(bind: ActivityStatus.held.rawValue)
              AND day >= \(bind: yearText + "-01-01") AND day <= \(bind: yearText + "-12-31")
            GROUP BY community_code, kind
            """).all() {
            let code = try row.decode(column: "community_code", as: String.self), n = try row.decode(column: "n", as: Int.self)
            figures[code]?.activitiesHeld += n
            figures[code]?.attendance += Int(try row.decode(column: "people", as: Int64?.self) ?? 0)
            if try row.decode(column: "kind", as: String.self) == ActivityKind.legal.rawValue { figures[code]?.legalEvents += n }
        }
        return communities.compactMap { figures[$0.code] }
    }
}

extension LifeQueries {
    /// Today's bookings (not cancelled) and activities in the area: the home page's tile.
    public func todayCounts(in scope: RegistryScope) async throws -> (bookings: Int, activities: Int) {
        let prefix = Self.communityPrefix(scope), day = localToday.description
        let bookings = try await SQLHelpers.count(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("life_bookings")
            .wherePrefix("community_code", prefix, sqlite: sqlite).where("day", .equal, SQLBind(day))
            .where("status", .notEqual, SQLBind(BookingStatus.cancelled.rawValue)))
        let activities = try await SQLHelpers.count(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("life_activities")
            .wherePrefix("community_code", prefix, sqlite: sqlite).where("day", .equal, SQLBind(day))
            .where("status", .notEqual, SQLBind(ActivityStatus.cancelled.rawValue)))
        return (bookings, activities)
    }
}
