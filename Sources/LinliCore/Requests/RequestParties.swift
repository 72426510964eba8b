import Foundation

/// Who is acting on a request, as the workflow's rules see them.
public struct RequestParty: Sendable, Equatable {
    public var role: Role?
    /// The account's division (12 or 15 digits); empty for an anonymous reporter.
    public var division: String
    public var department: String?
    /// The person who reported it (by their account, or by the access code they were given).
    public var isReporter: Bool

    public init(role: Role?, division: String, department: String? = nil, isReporter: Bool = false) {
        self.role = role
        self.division = division
        self.department = department
        self.isReporter = isReporter
    }

    /// The unit this party handles for: `dept:CODE` for a department user, else their division.
    public var unit: String? {
        switch role {
        case .department: return department.map { "dept:" + $0 }
        case .communityWorker, .streetOfficer, .districtOfficer: return division
        default: return nil
        }
    }
}

/// Which party may take which action on a request; pure, so every case is unit-tested.
public enum RequestRules {
    public static func allows(_ action: RequestAction, by party: RequestParty, holder: String, handler: String?, area: String) -> Bool {
        let isHolder = party.unit == holder && [.communityWorker, .streetOfficer, .districtOfficer].contains(party.role)
        let isHandler = handler != nil && party.unit == handler
        let worksInArea = [.gridWorker, .communityWorker].contains(party.role)
            && (try? DivisionCode(party.division)).map { area.hasPrefix($0.scopePrefix) } == true
        switch action.actor {
        case .holder: return isHolder
        case .handler: return isHandler
        case .verifier: return party.isReporter || worksInArea
        case .reporter: return party.isReporter
        case .anyone: return isHolder || isHandler || worksInArea || party.isReporter
        }
    }

    /// The division that holds a request at `level` when it lies in `area` (a grid, community or district code).
    public static func holder(at level: HandlingLevel, area: String) -> String {
        guard var code = try? DivisionCode(area) else { return area }
        while let parent = code.parent, HandlingLevel(division: code.level) < level || code.level == .grid {
            code = parent
        }
        return code.value
    }

    /// Where the holder may send a request: itself, a division below it, or a department.
    public static func mayDispatch(to handler: String, holder: String) -> Bool {
        if handler.hasPrefix("dept:") { return true }
        guard let h = try? DivisionCode(handler), let own = try? DivisionCode(holder) else { return false }
        return h.level != .grid && own.contains(h)
    }
}

/// Points and polygons in WGS 84 degrees, for placing a reported location in a grid.
public enum Geo {
    /// Ray casting over a ring of [longitude, latitude] pairs.
    public static func contains(ring: [[Double]], latitude: Double, longitude: Double) -> Bool {
        var inside = false
        var j = ring.count - 1
        for i in 0..<ring.count {
            let (xi, yi, xj, yj) = (ring[i][0], ring[i][1], ring[j][0], ring[j][1])
            if (yi > latitude) != (yj > latitude), longitude < (xj - xi) * (latitude - yi) / (yj - yi) + xi { inside.toggle() }
            j = i
        }
        return inside
    }

    /// Metres between two points (haversine).
    public static func distance(_ a: (lat: Double, lon: Double), _ b: (lat: Double, lon: Double)) -> Double {
        let r = 6_371_000.0, rad = Double.pi / 180
        let dLat = (b.lat - a.lat) * rad, dLon = (b.lon - a.lon) * rad
        let h = sin(dLat / 2) * sin(dLat / 2) + cos(a.lat * rad) * cos(b.lat * rad) * sin(dLon / 2) * sin(dLon / 2)
        return 2 * r * asin(min(1, sqrt(h)))
    }
}
