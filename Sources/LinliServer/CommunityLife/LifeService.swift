import Foundation
import LinliCore
import LinliData
import Vapor

extension Request {
    /// 社区生活's queries for this request.
    var life: LifeQueries {
        let linli = application.linli
        return LifeQueries(db, today: linli.today(), now: linli.now)
    }

    /// A worker's hand on the writes.
    var lifeActor: LifeActor {
        let p = principal?.role.permissions ?? []
        return LifeActor(audit: auditActor, scope: registryScope, mayManage: p.contains(.lifeManage), mayAward: p.contains(.lifeAwards))
    }

    /// A resident's own hand: their registry entry (实名核验), or 409 asking them to link their account first.
    func lifeResidentActor() async throws -> LifeActor {
        guard let me = try await linkedResident() else { throw RegistryError.conflictingState("请先在“志愿服务”页面完成实名核验（姓名和公民身份号码）") }
        return LifeActor(audit: auditActor, scope: .nothing, mayManage: false, resident: me.id)
    }
}

/// What the API and the console pages share: inputs as typed, turned into the data layer's calls.
enum LifeService {
    struct VenueBody: Decodable {
        var communityCode: String?
        var name: String?
        var owner: String?
        var unitName: String?
        var address: String?
        var capacity: Int?
        var free: Bool?
        var fee: String?
        /// One weekday a line, "1 08:30-21:00".
        var hours: String?
        var facilityId: UUID?
        var open: Bool?
        var version: Int?
    }

    struct BookingBody: Decodable {
        var venueId: UUID?
        var day: String?
        var start: String?
        var end: String?
        var purpose: String?
        var residentId: UUID?
        var note: String?
    }

    struct ActivityBody: Decodable {
        var communityCode: String?
        var kind: String?
        var title: String?
        var day: String?
        var start: String?
        var end: String?
        var venueId: UUID?
        var place: String?
        var capacity: Int?
        var description: String?
    }

    struct SignupBody: Decodable {
        var residentId: UUID?
        var activityId: UUID?
    }

    struct AttendanceBody: Decodable {
        var attended: [UUID]?
        var walkIns: Int?
        var report: String?
        var version: Int?
    }

    struct CampaignBody: Decodable {
        var year: Int?
        var kind: String?
    }

    struct NominationBody: Decodable {
        var householdId: UUID?
        var residentId: UUID?
        var communityCode: String?
        var reason: String?
    }

    struct NoticeBody: Decodable {
        var noticeFrom: String?
        var noticeTo: String?
        var version: Int?
    }

    struct DecisionBody: Decodable {
        var awarded: [UUID]?
        var version: Int?
    }

    static func awardKind(_ raw: String?) throws -> AwardKind? {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        guard let k = AwardKind(rawValue: raw) else {
            throw RegistryError.invalid([FieldError("kind", "评选类别可选：\(AwardKind.allCases.map { "\($0.rawValue)（\($0.label)）" }.joined(separator: "、"))")])
        }
        return k
    }

    static func nominee(_ b: NominationBody) -> LifeQueries.Nominee? {
        if let h = b.householdId { return .household(h) }
        if let r = b.residentId { return .resident(r) }
        if let c = b.communityCode?.trimmingCharacters(in: .whitespaces), !c.isEmpty, c.count <= 12 { return .community(c) }
        return nil
    }

    static func owner(_ raw: String?) throws -> VenueOwner? {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        guard let o = VenueOwner(rawValue: raw) else { throw RegistryError.invalid([FieldError("owner", "场地归属可选：community（社区自有）、unit（辖区单位开放）")]) }
        return o
    }

    static func kind(_ raw: String?) throws -> ActivityKind? {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        guard let k = ActivityKind(rawValue: raw) else {
            throw RegistryError.invalid([FieldError("kind", "活动类别可选：\(ActivityKind.allCases.map { "\($0.rawValue)（\($0.label)）" }.joined(separator: "、"))")])
        }
        return k
    }

    static func purpose(_ raw: String?) throws -> BookingPurpose {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return .resident }
        guard let p = BookingPurpose(rawValue: raw) else { throw RegistryError.invalid([FieldError("purpose", "用途可选：resident（居民预约）、activity（社区活动）")]) }
        return p
    }

    static func day(_ raw: String?, field: String = "day") throws -> CivilDate? {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        guard raw.count <= 10, let d = CivilDate(raw), (2000...2100).contains(d.year) else { throw RegistryError.invalid([FieldError(field, "日期应为 YYYY-MM-DD")]) }
        return d
    }

    static func minute(_ raw: String?, field: String) throws -> Int? {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        guard raw.count <= 5, let m = LifeTime.minute(raw) else { throw RegistryError.invalid([FieldError(field, "时间应为 HH:MM（如 09:30）")]) }
        return m
    }

    /// A version as sent, bounded before the data layer adds one to it.
    static func version(_ v: Int?) throws -> Int {
        let v = try requireVersion(v)
        guard v < 1_000_000_000 else { throw RegistryError.invalid([FieldError("version", "版本号不正确")]) }
        return v
    }

    static func venueInput(_ b: VenueBody) throws -> VenueInput {
        let owner = try Self.owner(b.owner)
        var hours: WeeklyHours?
        if let text = b.hours {
            let (h, errors) = WeeklyHours.parse(text)
            guard errors.isEmpty else { throw RegistryError.invalid(errors) }
            hours = h
        }
        return VenueInput(name: b.name, owner: owner, unitName: b.unitName, address: b.address, capacity: b.capacity, free: b.free ?? true, fee: b.fee,
                          hours: hours, open: b.open ?? true)
    }

    static func bookingRequest(_ b: BookingBody, resident: Bool) throws -> LifeQueries.BookingRequest {
        var errors: [FieldError] = []
        let d = try day(b.day), s = try minute(b.start, field: "start"), e = try minute(b.end, field: "end")
        if d == nil { errors.append(FieldError("day", "请选择预约日期")) }
        if s == nil { errors.append(FieldError("start", "请选择开始时间")) }
        if e == nil { errors.append(FieldError("end", "请选择结束时间")) }
        guard errors.isEmpty, let d, let s, let e else { throw RegistryError.invalid(errors) }
        return LifeQueries.BookingRequest(day: d, start: s, end: e, purpose: resident ? .resident : try purpose(b.purpose), resident: b.residentId, note: b.note)
    }

    static func activityInput(_ b: ActivityBody) throws -> ActivityInput {
        ActivityInput(title: b.title, kind: try kind(b.kind), day: try day(b.day), start: try minute(b.start, field: "start"), end: try minute(b.end, field: "end"),
                      place: b.place, capacity: b.capacity, description: b.description)
    }
}
