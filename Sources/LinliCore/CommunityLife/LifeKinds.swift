/// 社区生活: venues opened to residents (the plan: "推进辖区单位文体科普设施向社区居民免费开放"), their bookings,
/// and the community's cultural, sports, science and legal-education (普法) activities.

/// Whose venue it is: the community's own, or a unit of the area (辖区单位) that opens it to residents.
public enum VenueOwner: String, Codable, Sendable, CaseIterable {
    case community
    case unit

    public var label: String { self == .community ? "社区自有" : "辖区单位开放" }
}

/// A booking's state: booked, cancelled by the booker (or a worker) before it began, or not used (爽约).
public enum BookingStatus: String, Codable, Sendable, CaseIterable {
    case booked
    case cancelled
    case noShow = "no_show"

    public var label: String {
        switch self {
        case .booked: return "已预约"
        case .cancelled: return "已取消"
        case .noShow: return "爽约"
        }
    }
}

/// What a booking is for: a resident's own use, or a community activity booked by a worker.
public enum BookingPurpose: String, Codable, Sendable, CaseIterable {
    case resident
    case activity

    public var label: String { self == .resident ? "居民预约" : "社区活动" }
}

/// The kinds of activity the plan names: culture and sports, science (科普), legal education (普法).
public enum ActivityKind: String, Codable, Sendable, CaseIterable {
    case culture
    case sports
    case science
    case legal

    public var label: String {
        switch self {
        case .culture: return "文化活动"
        case .sports: return "体育健身"
        case .science: return "科普活动"
        case .legal: return "社区普法"
        }
    }
}

/// An activity's state: open for sign-up, held (attendance recorded), or cancelled.
public enum ActivityStatus: String, Codable, Sendable, CaseIterable {
    case planned
    case held
    case cancelled

    public var label: String {
        switch self {
        case .planned: return "报名中"
        case .held: return "已举办"
        case .cancelled: return "已取消"
        }
    }
}
