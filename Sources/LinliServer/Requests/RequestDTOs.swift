import Foundation
import LinliCore
import LinliData
import Vapor

/// Times on the wire: ISO 8601 in the district's time zone (+08:00), as Open311 clients expect too.
enum WireTime {
    /// China keeps one offset all year (no daylight saving), so the arithmetic is exact.
    static func string(_ seconds: Int64) -> String {
        let local = seconds + 8 * 3600
        let days = Int(local.floorDiv(86400)), secs = Int(local - Int64(days) * 86400)
        let date = CivilDate(dayNumber: days)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
        return "\(date.description)T\(two(secs / 3600)):\(two(secs / 60 % 60)):\(two(secs % 60))+08:00"
    }
    static func string(_ seconds: Int64?) -> String? { seconds.map(string) }
}

/// Names of categories, departments and divisions, looked up once per response.
struct RequestNames: Sendable {
    var categories: [String: RequestCategoryRecord]
    var departments: [String: String]

    static func load(_ q: RequestQueries) async throws -> RequestNames {
        RequestNames(categories: Dictionary(uniqueKeysWithValues: try await q.categories(includeInactive: true).map { ($0.code, $0) }),
                     departments: Dictionary(uniqueKeysWithValues: try await q.departments().map { ($0.code, $0.name) }))
    }

    func unitName(_ unit: String?, divisions: [String: String]) -> String? {
        guard let unit else { return nil }
        if unit.hasPrefix("dept:") { return departments[String(unit.dropFirst(5))] ?? unit }
        return divisions[unit] ?? unit
    }
}

struct RequestDTO: Encodable, Sendable {
    var id: UUID
    var number: String
    var categoryCode: String
    var categoryName: String
    var kind: String
    var description: String
    var status: String
    var statusLabel: String
    var level: String
    var levelLabel: String
    var areaCode: String
    var communityCode: String?
    var holderCode: String
    var handler: String?
    var handlerName: String?
    var channel: String
    var reporterName: String?
    var contactMasked: String?
    var address: String?
    var latitude: Double?
    var longitude: Double?
    var buildingId: UUID?
    var attributes: [String: String]
    var reportedAt: String
    var dueAt: String
    var resolvedAt: String?
    var closedAt: String?
    var card: String
    var cardLabel: String
    var escalations: Int
    var reopened: Int
    var rating: Int?
    var ratingComment: String?
    var version: Int
    var steps: [StepDTO]?
    /// The steps the caller may take now.
    var actions: [String]?
    /// Given once, to a reporter without an account: with the number it opens the request.
    var accessCode: String?

    struct StepDTO: Encodable, Sendable {
        var seq: Int
        var action: String
        var actionLabel: String
        var fromStatus: String?
        var toStatus: String
        var level: String
        var handler: String?
        var actor: String
        var actorRole: String
        var at: String
        /// Internal (staff only): absent for a resident.
        var note: String?
        /// The answer to the reporter (public).
        var reply: String?
        var photos: [String]
    }

    init(_ r: RequestRecord, names: RequestNames, divisions: [String: String] = [:], now: Int64) {
        let category = names.categories[r.categoryCode]
        id = r.id; number = r.number; categoryCode = r.categoryCode; categoryName = category?.name ?? r.categoryCode
        kind = category?.kind.rawValue ?? ""; description = r.description; status = r.status.rawValue; statusLabel = r.status.label
        level = r.level.rawValue; levelLabel = r.level.label; areaCode = r.areaCode; communityCode = r.communityCode; holderCode = r.holderCode
        handler = r.handler; handlerName = names.unitName(r.handler, divisions: divisions); channel = r.channel
        reporterName = r.reporterName; contactMasked = r.contactMasked; address = r.address; latitude = r.latitude; longitude = r.longitude
        buildingId = r.buildingId; attributes = r.attributeValues; reportedAt = WireTime.string(r.reportedAt); dueAt = WireTime.string(r.dueAt)
        resolvedAt = WireTime.string(r.resolvedAt); closedAt = WireTime.string(r.closedAt)
        let c = r.card(now: now)
        card = c.rawValue; cardLabel = c.label; escalations = r.escalations; reopened = r.reopened
        rating = r.rating; ratingComment = r.ratingComment; version = r.version
    }

    mutating func attach(steps: [RequestStepRecord], photoBase: String, internalNotes: Bool) {
        self.steps = steps.map { s in
            StepDTO(seq: s.seq, action: s.action.rawValue, actionLabel: s.action.label, fromStatus: s.fromStatus?.rawValue,
                    toStatus: s.toStatus.rawValue, level: s.level.rawValue, handler: s.handler, actor: s.actor, actorRole: s.actorRole, at: WireTime.string(s.at),
                    note: internalNotes ? s.note : nil, reply: s.reply, photos: s.photos.map { "\(photoBase)/photos/\($0.uuidString.lowercased())" })
        }
    }
}

/// What anyone holding a request's number and access code sees: no names, no contacts, no actors.
struct TrackedRequestDTO: Encodable, Sendable {
    var number: String
    var categoryName: String
    var status: String
    var statusLabel: String
    var reportedAt: String
    var dueAt: String
    var resolvedAt: String?
    var rating: Int?
    var canRate: Bool
    var canReopen: Bool
    var steps: [Step]

    struct Step: Encodable, Sendable {
        var action: String
        var actionLabel: String
        var toStatus: String
        var statusLabel: String
        var at: String
        /// The staff's answer to the reporter; internal notes never come here.
        var reply: String?
    }

    init(_ r: RequestRecord, steps: [RequestStepRecord], names: RequestNames, now: Int64) {
        number = r.number; categoryName = names.categories[r.categoryCode]?.name ?? r.categoryCode
        status = r.status.rawValue; statusLabel = r.status.label; reportedAt = WireTime.string(r.reportedAt); dueAt = WireTime.string(r.dueAt)
        resolvedAt = WireTime.string(r.resolvedAt); rating = r.rating
        canRate = r.resolvedAt != nil && r.rating == nil
        canReopen = RequestWorkflow.next(from: r.status, by: .reopen) != nil
            && (r.resolvedAt ?? r.closedAt).map { now - $0 <= Int64(RequestWorkflow.reopenWindowDays) * 86400 } == true
        self.steps = steps.map {
            Step(action: $0.action.rawValue, actionLabel: $0.action.label, toStatus: $0.toStatus.rawValue,
                 statusLabel: $0.toStatus.label, at: WireTime.string($0.at),
                 reply: $0.reply)
        }
    }
}

struct CategoryDTO: Encodable, Sendable {
    var code: String
    var name: String
    var kind: String
    var kindLabel: String
    var parentCode: String?
    var limitHours: Int
    var level: String
    var departmentCode: String?
    var attributes: [CategoryAttribute]
    var active: Bool
    var version: Int
    var children: [CategoryDTO]?

    init(_ c: RequestCategoryRecord) {
        code = c.code; name = c.name; kind = c.kind.rawValue; kindLabel = c.kind.label; parentCode = c.parentCode
        limitHours = c.limitHours; level = c.level.rawValue; departmentCode = c.departmentCode; attributes = c.attributeList; active = c.active
        version = c.version
    }

    /// Groups with their leaves.
    static func tree(_ all: [RequestCategoryRecord]) -> [CategoryDTO] {
        all.filter { $0.parentCode == nil }.map { g in
            var dto = CategoryDTO(g)
            dto.children = all.filter { $0.parentCode == g.code }.map(CategoryDTO.init)
            return dto
        }
    }
}

extension Int64 {
    func floorDiv(_ d: Int64) -> Int64 { self >= 0 ? self / d : -((-self + d - 1) / d) }
}
