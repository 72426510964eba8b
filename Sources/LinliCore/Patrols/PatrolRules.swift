import Foundation

/// What a visit found: nothing, or something that becomes a grid event (网格事件) in the requests workflow.
public enum PatrolFinding: String, Codable, Sendable, CaseIterable {
    case nothing = "none"
    case event

    public var label: String { self == .nothing ? "未发现问题" : "发现问题，已上报网格事件" }
}

/// A round as walked: open until its grid worker ends it.
public enum RoundStatus: String, Codable, Sendable, CaseIterable {
    case open, ended
    public var label: String { self == .open ? "巡查中" : "已结束" }
}

/// A visit as typed, before any database is asked: a building of the grid or a point, and what was found.
public struct VisitInput: Sendable, Equatable {
    public var buildingID: UUID?
    public var latitude: Double?
    public var longitude: Double?
    public var finding: PatrolFinding?
    public var note: String?
    /// For a finding: the grid event's category (a leaf of the tree) and description.
    public var categoryCode: String?
    public var description: String?

    public init(buildingID: UUID? = nil, latitude: Double? = nil, longitude: Double? = nil, finding: PatrolFinding? = nil, note: String? = nil,
                categoryCode: String? = nil, description: String? = nil) {
        self.buildingID = buildingID; self.latitude = latitude; self.longitude = longitude; self.finding = finding; self.note = note
        self.categoryCode = categoryCode; self.description = description
    }
}

/// Where a grid lies, for checking a point: its boundary ring ([longitude, latitude] pairs) when it has one, else
/// the box around its buildings' points widened by `PatrolRules.boxMarginDegrees`.
public struct GridExtent: Sendable, Equatable {
    public var ring: [[Double]]?
    public var buildingPoints: [GeoPoint]
    public init(ring: [[Double]]?, buildingPoints: [GeoPoint]) { self.ring = ring; self.buildingPoints = buildingPoints }
}

/// The rules of patrol rounds (巡查), pure.
public enum PatrolRules {
    public static let noteLimit = 200
    public static let descriptionLimit = 2000
    /// Around a grid without a boundary, its buildings' box is widened by about 150 m.
    public static let boxMarginDegrees = 0.0015
    /// The norm the district may set: rounds per grid per week.
    public static let normBounds = 1...21
    public static let defaultNorm = 5
    /// A round counts toward the week's norm when it has at least this many visits.
    public static let minimumVisits = 1
    /// At most this many visits in one round (a round is a walk, not a register).
    public static let maxVisits = 200

    /// Errors of a visit's fields, each at its field; a point is checked against the grid separately.
    public static func check(_ v: VisitInput) -> [FieldError] {
        var errors = FieldErrors()
        let hasPoint = v.latitude != nil || v.longitude != nil
        if v.buildingID == nil && !hasPoint { errors.add("building_id", "请选择巡查的楼栋，或给出巡查点的经纬度") }
        if v.buildingID != nil && hasPoint { errors.add("latitude", "楼栋与经纬度只填一项") }
        if hasPoint {
            if let lat = v.latitude, !(lat.isFinite && (-90...90).contains(lat)) { errors.add("latitude", "纬度应在-90至90之间") }
            if let lon = v.longitude, !(lon.isFinite && (-180...180).contains(lon)) { errors.add("longitude", "经度应在-180至180之间") }
            if v.latitude == nil { errors.add("latitude", "经纬度须成对提供") }
            if v.longitude == nil { errors.add("longitude", "经纬度须成对提供") }
        }
        if let n = v.note, n.count > noteLimit { errors.add("note", "巡查记录不能超过\(noteLimit)个字") }
        switch v.finding {
        case nil: errors.add("finding", "请选择巡查结果：未发现问题或发现问题")
        case .nothing?:
            if v.categoryCode?.isEmpty == false { errors.add("category_code", "未发现问题时不填事件类别") }
        case .event?:
            if (v.categoryCode ?? "").isEmpty { errors.add("category_code", "发现问题时请选择网格事件的类别") }
            let d = (v.description ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if d.isEmpty { errors.add("description", "发现问题时请描述问题") } else if d.count > descriptionLimit {
                errors.add("description", "问题描述不能超过\(descriptionLimit)个字")
            }
        }
        return errors.errors
    }

    /// Whether a point lies in the grid: inside its boundary, or, for a grid without one, inside its buildings' box.
    /// A grid with neither cannot place a point.
    public static func contains(_ extent: GridExtent, latitude: Double, longitude: Double) -> Bool {
        if let ring = extent.ring, ring.count >= 3 { return Geo.contains(ring: ring, latitude: latitude, longitude: longitude) }
        guard let first = extent.buildingPoints.first else { return false }
        var lo = first, hi = first
        for p in extent.buildingPoints {
            lo = GeoPoint(latitude: min(lo.latitude, p.latitude), longitude: min(lo.longitude, p.longitude))
            hi = GeoPoint(latitude: max(hi.latitude, p.latitude), longitude: max(hi.longitude, p.longitude))
        }
        let m = boxMarginDegrees
        return (lo.latitude - m...hi.latitude + m).contains(latitude) && (lo.longitude - m...hi.longitude + m).contains(longitude)
    }

    /// The error of a point outside the grid, at the field named in the API.
    public static func outside(gridName: String) -> FieldError { FieldError("latitude", "巡查点不在“\(gridName)”范围内") }

    /// The norm as the district types it.
    public static func checkNorm(_ norm: Int?) -> [FieldError] {
        guard let norm else { return [FieldError("weekly_norm", "请填写每个网格每周的巡查次数")] }
        return normBounds.contains(norm) ? [] : [FieldError("weekly_norm", "每周巡查次数应为\(normBounds.lowerBound)至\(normBounds.upperBound)次")]
    }

    /// Whether an ended round counts toward its week's norm.
    public static func counts(visits: Int) -> Bool { visits >= minimumVisits }

    /// Whether a grid's week met the norm.
    public static func met(rounds: Int, norm: Int) -> Bool { rounds >= norm }

    /// The rounds still needed this week (0 when met).
    public static func shortfall(rounds: Int, norm: Int) -> Int { max(0, norm - rounds) }
}
