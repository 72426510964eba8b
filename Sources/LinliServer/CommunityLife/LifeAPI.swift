import Foundation
import LinliCore
import LinliData
import Vapor

/// `/api/v1/life`: 社区生活 — venues opened to residents and their bookings, activities with sign-ups and
/// attendance, the area's summary; a resident's own bookings and sign-ups under `me`.
struct LifeAPI {
    func boot(_ routes: Routes) {
        let l = routes.grouped("life")
        l.get("venues", needs: .permission(.lifeRead), use: venues)
        l.post("venues", needs: .permission(.lifeManage), use: createVenue)
        l.get("venues", ":id", needs: .permission(.lifeRead), use: venue)
        l.patch("venues", ":id", needs: .permission(.lifeManage), use: updateVenue)
        l.get("venues", ":id", "bookings", needs: .permission(.lifeRead), use: venueBookings)
        l.post("venues", ":id", "bookings", needs: .permission(.lifeManage), use: book)
        l.post("bookings", ":id", "cancel", needs: .permission(.lifeManage), use: cancel)
        l.post("bookings", ":id", "no-show", needs: .permission(.lifeManage), use: noShow)
        l.get("activities", needs: .permission(.lifeRead), use: activities)
        l.post("activities", needs: .permission(.lifeManage), use: createActivity)
        l.get("activities", ":id", needs: .permission(.lifeRead), use: activity)
        l.post("activities", ":id", "signups", needs: .permission(.lifeManage), use: signUp)
        l.post("activities", ":id", "attendance", needs: .permission(.lifeManage), use: attendance)
        l.post("activities", ":id", "cancel", needs: .permission(.lifeManage), use: cancelActivity)
        l.get("summary", needs: .permission(.lifeRead), use: summary)
        l.get("awards", needs: .permission(.lifeRead), use: campaigns)
        l.post("awards", needs: .permission(.lifeAwards), use: createCampaign)
        l.get("awards", ":id", needs: .permission(.lifeRead), use: campaign)
        l.post("awards", ":id", "nominations", needs: .permission(.lifeManage), use: nominate)
        l.post("awards", ":id", "notice", needs: .permission(.lifeAwards), use: notice)
        l.post("awards", ":id", "decision", needs: .permission(.lifeAwards), use: decide)
        l.get("me", "bookings", needs: .permission(.lifeOwn), use: myBookings)
        l.post("me", "bookings", needs: .permission(.lifeOwn), use: bookMine)
        l.post("me", "bookings", ":id", "cancel", needs: .permission(.lifeOwn), use: cancelMine)
        l.post("me", "signups", needs: .permission(.lifeOwn), use: signUpMine)
    }

    func venues(req: Request) async throws -> JSONBody<PageDTO<VenueDTO>> {
        JSONBody(PageDTO(try await req.life.venues(in: try req.narrowedScope(), page: try req.pageRequest()), VenueDTO.init))
    }

    func createVenue(req: Request) async throws -> JSONBody<VenueDTO> {
        let b = try req.decodeJSON(LifeService.VenueBody.self)
        let v = try await req.life.createVenue(community: b.communityCode, try LifeService.venueInput(b), facility: b.facilityId, by: req.lifeActor)
        return JSONBody(VenueDTO(v), status: .created)
    }

    func venue(req: Request) async throws -> JSONBody<VenueDTO> {
        guard let v = try await req.life.venue(try req.pathUUID(), in: req.registryScope) else { throw RegistryError.notFound("场地") }
        return JSONBody(VenueDTO(v))
    }

    func updateVenue(req: Request) async throws -> JSONBody<VenueDTO> {
        let id = try req.pathUUID()
        let b = try req.decodeJSON(LifeService.VenueBody.self)
        let v = try await req.life.updateVenue(id, try LifeService.venueInput(b), facility: b.facilityId, version: try LifeService.version(b.version), by: req.lifeActor)
        return JSONBody(VenueDTO(v))
    }

    /// A venue's bookings of a week (`week`: any day of it, default this week), cancellations included.
    func venueBookings(req: Request) async throws -> JSONBody<[BookingDTO]> {
        let id = try req.pathUUID()
        guard try await req.life.venue(id, in: req.registryScope) != nil else { throw RegistryError.notFound("场地") }
        let week = try req.queryDate("week")
        if let week, !(2000...2100).contains(week.year) { throw ProblemError.badRequest("week", "参数 week 应为2000至2100年间的日期") }
        let monday = LifeTime.monday(of: week ?? req.life.localToday)
        return JSONBody(try await req.life.bookings(of: id, from: monday, to: monday.adding(days: 6)).map(BookingDTO.init))
    }

    func book(req: Request) async throws -> JSONBody<BookingDTO> {
        let id = try req.pathUUID()
        let r = try LifeService.bookingRequest(try req.decodeJSON(LifeService.BookingBody.self), resident: false)
        return JSONBody(BookingDTO(try await req.life.book(id, r, by: req.lifeActor)), status: .created)
    }

    func cancel(req: Request) async throws -> JSONBody<BookingDTO> {
        JSONBody(BookingDTO(try await req.life.cancel(try req.pathUUID(), by: req.lifeActor)))
    }

    func noShow(req: Request) async throws -> JSONBody<BookingDTO> {
        JSONBody(BookingDTO(try await req.life.markNoShow(try req.pathUUID(), by: req.lifeActor)))
    }

    func activities(req: Request) async throws -> JSONBody<PageDTO<ActivityDTO>> {
        let upcoming = try req.queryBool("upcoming") ?? false
        return JSONBody(PageDTO(try await req.life.activities(in: try req.narrowedScope(), upcoming: upcoming, page: try req.pageRequest()), ActivityDTO.init))
    }

    func createActivity(req: Request) async throws -> JSONBody<ActivityDTO> {
        let b = try req.decodeJSON(LifeService.ActivityBody.self)
        let a = try await req.life.createActivity(community: b.communityCode, try LifeService.activityInput(b), venue: b.venueId, by: req.lifeActor)
        return JSONBody(ActivityDTO(a), status: .created)
    }

    func activity(req: Request) async throws -> JSONBody<ActivityFileDTO> {
        guard let a = try await req.life.activity(try req.pathUUID(), in: req.registryScope) else { throw RegistryError.notFound("活动") }
        return JSONBody(ActivityFileDTO(activity: ActivityDTO(a), signups: try await req.life.signups(of: a.id).map(SignupDTO.init)))
    }

    func signUp(req: Request) async throws -> JSONBody<ActivityDTO> {
        let id = try req.pathUUID()
        let b = try req.decodeJSON(LifeService.SignupBody.self)
        return JSONBody(ActivityDTO(try await req.life.signUp(id, resident: b.residentId, by: req.lifeActor)), status: .created)
    }

    func attendance(req: Request) async throws -> JSONBody<ActivityDTO> {
        let id = try req.pathUUID()
        let b = try req.decodeJSON(LifeService.AttendanceBody.self)
        guard (b.attended?.count ?? 0) <= 10_000 else { throw RegistryError.invalid([FieldError("attended", "签到名单过长")]) }
        let a = try await req.life.recordAttendance(id, attended: Set(b.attended ?? []), walkIns: b.walkIns ?? 0, report: b.report,
                                                    version: try LifeService.version(b.version), by: req.lifeActor)
        return JSONBody(ActivityDTO(a))
    }

    func cancelActivity(req: Request) async throws -> JSONBody<ActivityDTO> {
        let id = try req.pathUUID()
        let b = try req.decodeJSON(LifeService.AttendanceBody.self)
        return JSONBody(ActivityDTO(try await req.life.cancelActivity(id, version: try LifeService.version(b.version), by: req.lifeActor)))
    }

    /// Per community of the area: venues, hours booked this month and year, activities held, attendance, 普法 events.
    func summary(req: Request) async throws -> JSONBody<[LifeFiguresDTO]> {
        let today = req.life.localToday
        return JSONBody(try await req.life.summary(in: try req.narrowedScope(), year: today.year, month: today.month).map(LifeFiguresDTO.init))
    }

    func myBookings(req: Request) async throws -> JSONBody<[BookingDTO]> {
        let me = try await req.lifeResidentActor()
        return JSONBody(try await req.life.ownBookings(of: me.resident ?? UUID()).map(BookingDTO.init))
    }

    func bookMine(req: Request) async throws -> JSONBody<BookingDTO> {
        let b = try req.decodeJSON(LifeService.BookingBody.self)
        guard let venue = b.venueId else { throw RegistryError.invalid([FieldError("venue_id", "请选择场地")]) }
        let r = try LifeService.bookingRequest(b, resident: true)
        return JSONBody(BookingDTO(try await req.life.book(venue, r, by: try await req.lifeResidentActor())), status: .created)
    }

    func cancelMine(req: Request) async throws -> JSONBody<BookingDTO> {
        let id = try req.pathUUID()
        return JSONBody(BookingDTO(try await req.life.cancel(id, by: try await req.lifeResidentActor())))
    }

    func signUpMine(req: Request) async throws -> JSONBody<ActivityDTO> {
        let b = try req.decodeJSON(LifeService.SignupBody.self)
        guard let activity = b.activityId else { throw RegistryError.invalid([FieldError("activity_id", "请选择活动")]) }
        return JSONBody(ActivityDTO(try await req.life.signUp(activity, resident: nil, by: try await req.lifeResidentActor())), status: .created)
    }

    func campaigns(req: Request) async throws -> JSONBody<[AwardCampaignDTO]> {
        JSONBody(try await req.life.campaigns(in: req.registryScope).map(AwardCampaignDTO.init))
    }

    func createCampaign(req: Request) async throws -> JSONBody<AwardCampaignDTO> {
        let b = try req.decodeJSON(LifeService.CampaignBody.self)
        return JSONBody(AwardCampaignDTO(try await req.life.createCampaign(year: b.year, kind: try LifeService.awardKind(b.kind), by: req.lifeActor)), status: .created)
    }

    func campaign(req: Request) async throws -> JSONBody<AwardCampaignFileDTO> {
        guard let c = try await req.life.campaign(try req.pathUUID(), in: req.registryScope) else { throw RegistryError.notFound("评选") }
        let nominations = try await req.life.nominations(of: c.id, in: req.registryScope)
        return JSONBody(AwardCampaignFileDTO(campaign: AwardCampaignDTO(c), nominations: nominations.map(AwardNominationDTO.init)))
    }

    func nominate(req: Request) async throws -> JSONBody<AwardNominationDTO> {
        let id = try req.pathUUID()
        let b = try req.decodeJSON(LifeService.NominationBody.self)
        return JSONBody(AwardNominationDTO(try await req.life.nominate(id, LifeService.nominee(b), reason: b.reason, by: req.lifeActor)), status: .created)
    }

    func notice(req: Request) async throws -> JSONBody<AwardCampaignDTO> {
        let id = try req.pathUUID()
        let b = try req.decodeJSON(LifeService.NoticeBody.self)
        let from = try LifeService.day(b.noticeFrom, field: "notice_from"), to = try LifeService.day(b.noticeTo, field: "notice_to")
        return JSONBody(AwardCampaignDTO(try await req.life.startNotice(id, from: from, to: to, version: try LifeService.version(b.version), by: req.lifeActor)))
    }

    func decide(req: Request) async throws -> JSONBody<AwardCampaignDTO> {
        let id = try req.pathUUID()
        let b = try req.decodeJSON(LifeService.DecisionBody.self)
        guard (b.awarded?.count ?? 0) <= 2000 else { throw RegistryError.invalid([FieldError("awarded", "名单过长")]) }
        return JSONBody(AwardCampaignDTO(try await req.life.decide(id, awarded: Set(b.awarded ?? []), version: try LifeService.version(b.version), by: req.lifeActor)))
    }
}
