import FluentKit
import Foundation
import LinliCore
import SQLKit

/// Where a reported location lies: the building given, the grid whose boundary holds a point, or the
/// building or community an address names.
public struct RequestLocation: Sendable, Equatable {
    /// A grid, a community, or the district (an address that matched nothing).
    public var areaCode: String
    public var buildingID: UUID?
    public var latitude: Double?
    public var longitude: Double?
    public var address: String?

    public init(areaCode: String, buildingID: UUID?, latitude: Double?, longitude: Double?, address: String?) {
        self.areaCode = areaCode; self.buildingID = buildingID; self.latitude = latitude; self.longitude = longitude; self.address = address
    }
}

struct RequestLocator {
    let db: any Database
    /// How far from the nearest building a point outside every grid may be and still count as in the district.
    static let nearBuildingMetres = 300.0

    func locate(buildingID: UUID?, latitude: Double?, longitude: Double?, address: String?, errors: inout FieldErrors) async throws -> RequestLocation? {
        let sql = SQLHelpers.sql(db)
        // Kept as typed (runs of whitespace made one space); matched against names without any.
        let address = address.map { RequestLocator.normalize($0, squeeze: false) }.flatMap { $0.isEmpty ? nil : $0 }
        let key = address.map { RequestLocator.normalize($0) }
        if let address, address.count > 200 { errors.add("address_string", "地址不能超过200个字"); return nil }
        if let id = buildingID {
            guard let b = try await BuildingQueries(db).find(id: id, in: .everything) else {
                errors.add("building_id", "楼栋不存在")
                return nil
            }
            return RequestLocation(areaCode: b.gridCode, buildingID: b.id, latitude: b.latitude, longitude: b.longitude,
                                   address: address ?? "\(b.address) \(b.name)")
        }
        if latitude != nil || longitude != nil {
            guard let lat = latitude, let lon = longitude, (-90...90).contains(lat), (-180...180).contains(lon) else {
                errors.add("lat", "经纬度须成对提供，纬度-90至90，经度-180至180")
                return nil
            }
            for row in try await sql.select().columns("code", "boundary").from(Division.schema)
                .where("level", .equal, SQLBind(DivisionLevel.grid.rawValue)).where(SQLColumn("boundary"), .isNot, SQLLiteral.null)
                .where("retired_on", .is, SQLLiteral.null).all() {
                guard let text = try row.decode(column: "boundary", as: String?.self), let ring = RequestLocator.outerRing(text) else { continue }
                if Geo.contains(ring: ring, latitude: lat, longitude: lon) {
                    return RequestLocation(areaCode: try row.decode(column: "code", as: String.self), buildingID: nil, latitude: lat, longitude: lon,
                                           address: address)
                }
            }
            // Between grids (roads, rivers): the nearest building, if it is close.
            let box = 0.005
            var nearest: (code: String, metres: Double)?
            for row in try await sql.select().columns("grid_code", "latitude", "longitude").from(Building.schema)
                .where("latitude", .greaterThanOrEqual, SQLBind(lat - box)).where("latitude", .lessThanOrEqual, SQLBind(lat + box))
                .where("longitude", .greaterThanOrEqual, SQLBind(lon - box)).where("longitude", .lessThanOrEqual, SQLBind(lon + box)).all() {
                let d = Geo.distance((lat, lon), (try row.decode(column: "latitude", as: Double.self), try row.decode(column: "longitude", as: Double.self)))
                if d <= RequestLocator.nearBuildingMetres, d < (nearest?.metres ?? .infinity) { nearest = (try row.decode(column: "grid_code", as: String.self), d) }
            }
            if let n = nearest { return RequestLocation(areaCode: n.code, buildingID: nil, latitude: lat, longitude: lon, address: address) }
            errors.add("lat", "该位置不在本区范围内")
            return nil
        }
        guard let address else {
            errors.add("address_string", "请提供位置：楼栋、经纬度或地址")
            return nil
        }
        // The building whose name the address contains (the longest such name), else the community it names.
        let instr = db.isSQLite ? "instr" : "strpos"
        if let b = try await sql.raw("""
            SELECT id, grid_code, latitude, longitude FROM buildings WHERE \(unsafeRaw: instr)(\(bind: key), name) > 0
            ORDER BY length(name) DESC, id LIMIT 1
            """).first() {
            return RequestLocation(areaCode: try b.decode(column: "grid_code", as: String.self), buildingID: try b.decode(column: "id", as: UUID.self),
                                   latitude: try b.decode(column: "latitude", as: Double.self), longitude: try b.decode(column: "longitude", as: Double.self),
                                   address: address)
        }
        if let c = try await sql.raw("""
            SELECT code FROM divisions WHERE level = 'community' AND retired_on IS NULL AND \(unsafeRaw: instr)(\(bind: key), name) > 0 ORDER BY length(name) DESC LIMIT 1
            """).first() {
            return RequestLocation(areaCode: try c.decode(column: "code", as: String.self), buildingID: nil, latitude: nil, longitude: nil, address: address)
        }
        let district = try await sql.select().column("code").from(Division.schema).where("level", .equal, SQLBind(DivisionLevel.district.rawValue))
            .first()?.decode(column: "code", as: String.self)
        guard let district else { errors.add("address_string", "尚未建立区划，无法受理"); return nil }
        return RequestLocation(areaCode: district, buildingID: nil, latitude: nil, longitude: nil, address: address)
    }

    /// Full-width digits and letters to ASCII, control characters dropped, and whitespace squeezed out
    /// (`squeeze`, to match names: addresses are typed many ways) or each run of it made one space.
    static func normalize(_ s: String, squeeze: Bool = true) -> String {
        var out = String.UnicodeScalarView()
        var space = false
        for u in s.unicodeScalars {
            if u.properties.isWhitespace { space = true; continue }
            if u.value < 0x20 { continue }
            if space && !squeeze && !out.isEmpty { out.append(" ") }
            space = false
            out.append((0xFF01...0xFF5E).contains(u.value) ? Unicode.Scalar(u.value - 0xFEE0)! : u)
        }
        return String(out)
    }

    /// The outer ring of a GeoJSON Polygon geometry.
    static func outerRing(_ geojson: String) -> [[Double]]? {
        struct Polygon: Decodable { var coordinates: [[[Double]]] }
        return (try? JSONDecoder().decode(Polygon.self, from: Data(geojson.utf8)))?.coordinates.first
    }
}
