import Foundation
import LinliCore
import SQLKit

/// A request as the data layer hands it out. Contact details appear masked only.
public struct RequestRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var seq: Int64
    public var categoryCode: String
    public var status: RequestStatus
    public var level: HandlingLevel
    public var areaCode: String
    public var communityCode: String?
    public var holderCode: String
    public var handler: String?
    public var channel: String
    public var reporterAccountId: UUID?
    public var reporterName: String?
    public var contactMasked: String?
    public var description: String
    public var address: String?
    public var latitude: Double?
    public var longitude: Double?
    public var buildingId: UUID?
    public var attributes: String?
    public var reportedAt: Int64
    public var dueAt: Int64
    public var resolvedAt: Int64?
    public var closedAt: Int64?
    public var escalations: Int
    public var rating: Int?
    public var ratingComment: String?
    public var reopened: Int
    public var version: Int
    public var updatedAt: Int64

    /// The number residents quote and Open311 calls `service_request_id`.
    public var number: String { String(seq) }
    public func card(now: Int64) -> DeadlineCard {
        DeadlineCard.of(reportedAt: reportedAt, dueAt: dueAt, now: now, open: status.isOpen)
    }
    public var attributeValues: [String: String] {
        guard let a = attributes, let v = try? JSONDecoder().decode([String: String].self, from: Data(a.utf8)) else { return [:] }
        return v
    }

    static let columns = ["id", "seq", "category_code", "status", "level", "area_code", "community_code", "holder_code", "handler",
                          "channel", "reporter_account_id", "reporter_name", "contact_masked", "description", "address", "latitude",
                          "longitude", "building_id", "attributes", "reported_at", "due_at", "resolved_at", "closed_at", "escalations",
                          "rating", "rating_comment", "reopened", "version", "updated_at"]
}

/// One step of a request's trail.
public struct RequestStepRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var seq: Int
    public var action: RequestStepAction
    public var fromStatus: RequestStatus?
    public var toStatus: RequestStatus
    public var level: HandlingLevel
    public var handler: String?
    public var actor: String
    public var actorRole: String
    public var at: Int64
    /// For the staff only, never shown to the reporter or the public.
    public var note: String?
    /// What the reporter is told: shown on the tracking page and in Open311.
    public var reply: String?
    public var photos: [UUID]
}

/// What a step of the trail records: the report that opened the request, or an action taken on it.
public enum RequestStepAction: RawRepresentable, Codable, Sendable, Equatable {
    case report
    case action(RequestAction)

    public init?(rawValue: String) {
        if rawValue == "report" { self = .report } else if let a = RequestAction(rawValue: rawValue) { self = .action(a) } else { return nil }
    }

    public var rawValue: String {
        switch self {
        case .report: return "report"
        case .action(let a): return a.rawValue
        }
    }

    public var label: String {
        switch self {
        case .report: return "上报"
        case .action(let a): return a.label
        }
    }
}

public struct RequestPhotoRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var requestId: UUID
    public var stepId: UUID
    public var contentType: String
    public var size: Int
    public var sha256: String
}

/// Which requests a caller sees. Built from the account: officers and workers their area, a department
/// what is dispatched to it, a resident what they reported.
public enum RequestScope: Sendable, Equatable {
    case area(prefix: String)
    case department(String)
    case reporter(UUID)
    case nothing

    public static let everything = RequestScope.area(prefix: "")

    func apply<B: SQLPredicateBuilder>(_ b: B, sqlite: Bool) -> B {
        switch self {
        case .area(let prefix): return b.wherePrefix("area_code", prefix, sqlite: sqlite)
        case .department(let code): return b.where("handler", .equal, SQLBind("dept:" + code))
        case .reporter(let id): return b.where("reporter_account_id", .equal, SQLBind(id))
        case .nothing: return b.where(SQLLiteral.boolean(false))
        }
    }

    /// The scope as the tallies (kept per community) can count it: a community or more. A grid's scope has
    /// none: its community's tallies hold requests of other grids and of the community itself, which the
    /// grid's list does not show, so a grid's figures are counted from its own requests.
    var communityPrefix: String? {
        guard case .area(let prefix) = self, prefix.count <= 12 else { return nil }
        return prefix
    }
}

/// A new request as submitted. The location is a building, a point, or an address (at least one).
public struct RequestDraft: Sendable {
    public var categoryCode: String?
    public var description: String?
    public var buildingID: UUID?
    public var latitude: Double?
    public var longitude: Double?
    public var address: String?
    public var attributes: [String: String]
    public var reporterName: String?
    public var phone: String?
    public var email: String?
    public var channel: String

    public init(categoryCode: String?, description: String?, buildingID: UUID? = nil, latitude: Double? = nil, longitude: Double? = nil,
                address: String? = nil, attributes: [String: String] = [:], reporterName: String? = nil, phone: String? = nil,
                email: String? = nil, channel: String) {
        self.categoryCode = categoryCode; self.description = description; self.buildingID = buildingID
        self.latitude = latitude; self.longitude = longitude; self.address = address; self.attributes = attributes
        self.reporterName = reporterName; self.phone = phone; self.email = email; self.channel = channel
    }
}

/// A photo as uploaded, checked by `RequestPhotos.check` before anything is stored.
public struct PhotoUpload: Sendable {
    public var data: [UInt8]
    public var filename: String
    public init(data: [UInt8], filename: String) {
        self.data = data
        self.filename = filename
    }
}

/// A step someone takes.
public struct RequestStepInput: Sendable {
    public var action: RequestAction
    /// An internal note (staff only).
    public var note: String?
    /// The answer to the reporter (public).
    public var reply: String?
    /// For `dispatch`: a division code or `dept:CODE`.
    public var handler: String?
    public var version: Int
    public var photos: [PhotoUpload]

    public init(action: RequestAction, note: String? = nil, reply: String? = nil, handler: String? = nil, version: Int, photos: [PhotoUpload] = []) {
        self.action = action; self.note = note; self.reply = reply; self.handler = handler; self.version = version; self.photos = photos
    }
}

/// Filters of the request lists.
public struct RequestFilter: Sendable {
    public var statuses: [RequestStatus] = []
    public var category: String?
    public var level: HandlingLevel?
    public var area: String?
    public var card: DeadlineCard?
    public var reportedFrom: Int64?
    public var reportedTo: Int64?
    /// Open311: by numbers, by several categories, open or closed.
    public var numbers: [Int64] = []
    public var categories: [String] = []
    public var isOpen: Bool?
    public init() {}
}
