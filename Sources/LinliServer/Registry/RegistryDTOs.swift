import Foundation
import LinliCore
import LinliData

// Response and request bodies of the registry API. Keys become snake_case on the wire.

struct DivisionNodeDTO: Encodable, Sendable {
    var code: String
    var name: String
    var level: String
    var kind: String?
    var parks: [String]
    var children: [DivisionNodeDTO]?
}

struct DivisionDTO: Encodable, Sendable {
    var code: String
    var name: String
    var level: String
    var levelLabel: String
    var kind: String?
    var parentCode: String?
    var parks: [String]
    var boundary: GeoJSONPolygon?
    var version: Int

    init(_ r: DivisionRecord, parks: [String]) {
        code = r.code
        name = r.name
        level = r.level.rawValue
        levelLabel = r.level.label
        kind = r.kind?.rawValue
        parentCode = r.parentCode
        self.parks = parks
        boundary = r.boundary.flatMap { try? JSONDecoder().decode(GeoJSONPolygon.self, from: Data($0.utf8)) }
        version = r.version
    }
}

/// A GeoJSON Polygon geometry (RFC 7946): rings of [longitude, latitude] positions, the first ring the outline.
struct GeoJSONPolygon: Codable, Sendable, Equatable {
    var type: String
    var coordinates: [[[Double]]]

    /// Checks the shape a grid boundary must have and that it lies in the district.
    func validate(field: String = "boundary") -> [FieldError] {
        var errors: [FieldError] = []
        if type != "Polygon" { errors.append(FieldError(field, "边界须为 GeoJSON Polygon")) }
        guard let ring = coordinates.first, ring.count >= 4 else {
            return errors + [FieldError(field, "边界至少需要4个坐标点（首尾相同）")]
        }
        if coordinates.count > 50 || ring.count > 10_000 { errors.append(FieldError(field, "边界坐标点过多")) }
        if ring.first != ring.last { errors.append(FieldError(field, "边界首尾坐标须相同（闭合）")) }
        for ring in coordinates {
            for p in ring {
                guard p.count == 2 else { errors.append(FieldError(field, "每个坐标应为 [经度, 纬度]")); return errors }
                if !DistrictArea.longitude.contains(p[0]) || !DistrictArea.latitude.contains(p[1]) {
                    errors.append(FieldError(field, "边界坐标不在本区范围内"))
                    return errors
                }
            }
        }
        return errors
    }

    var json: String { String(decoding: try! JSONEncoder.sorted.encode(self), as: UTF8.self) }
}

struct DivisionCreateInput: Decodable {
    var code: String?
    var name: String?
    var kind: String?
    var parks: [String]?
    var boundary: GeoJSONPolygon?
}

struct DivisionUpdateInput: Decodable {
    var name: String?
    var boundary: GeoJSONPolygon?
    var version: Int?
}

struct BuildingDTO: Encodable, Sendable {
    var id: UUID
    var gridCode: String
    var name: String
    var address: String
    var latitude: Double
    var longitude: Double
    var floors: Int?
    var version: Int

    init(_ r: BuildingRecord) {
        id = r.id; gridCode = r.gridCode; name = r.name; address = r.address
        latitude = r.latitude; longitude = r.longitude; floors = r.floors; version = r.version
    }
}

struct BuildingInput: Decodable {
    var gridCode: String?
    var name: String?
    var address: String?
    var latitude: Double?
    var longitude: Double?
    var floors: Int?
    var version: Int?
}

struct HouseholdDTO: Encodable, Sendable {
    var id: UUID
    var number: String
    var buildingId: UUID
    var buildingName: String
    var gridCode: String
    var room: String
    var version: Int
    var members: [ResidentDTO]?

    init(_ r: HouseholdRecord, members: [ResidentDTO]? = nil) {
        id = r.id; number = r.number; buildingId = r.buildingId; buildingName = r.buildingName
        gridCode = r.gridCode; room = r.room; version = r.version; self.members = members
    }
}

struct HouseholdInput: Decodable {
    var number: String?
    var buildingId: UUID?
    var room: String?
    var version: Int?
}

struct ResidentDTO: Encodable, Sendable, SnakeCaseKeyed {
    var id: UUID
    var name: String
    var namePinyin: String
    /// Masked: the full number is never in a list or an ordinary read.
    var idNumberMasked: String
    var birthDate: String
    var age: Int
    var sex: String
    var phoneMasked: String?
    var householdId: UUID
    var householdNumber: String
    var relation: String
    var residenceStatus: String
    var lifeStatus: String
    var gridCode: String
    /// Recorded tags plus those that follow from age (elderly, oldest_old).
    var tags: [String]
    var version: Int

    /// `partyVisible`: whether the reader may see 党员 (`party.members`); without it the tag is left out.
    init(_ r: ResidentRecord, today: CivilDate, partyVisible: Bool = true) {
        let birth = CivilDate(r.birthDate) ?? today
        id = r.id; name = r.name; namePinyin = r.namePinyin; idNumberMasked = r.idMasked
        birthDate = r.birthDate; age = birth.age(on: today); sex = r.sex.rawValue; phoneMasked = r.phoneMasked
        householdId = r.householdId; householdNumber = r.householdNumber; relation = r.relation.rawValue
        residenceStatus = r.residenceStatus.rawValue; lifeStatus = r.lifeStatus.rawValue; gridCode = r.gridCode
        tags = ResidentTag.shown(ResidentTag.effective(recorded: r.recordedTags, birthDate: birth, today: today), partyMembers: partyVisible).map(\.rawValue)
        version = r.version
    }

    /// The same JSON as `Codable` gives, written directly: this is the body of the most frequent read.
    func json() -> [UInt8] {
        var out = JSONBytes()
        out.open()
        out.field("id", id.uuidString); out.field("name", name); out.field("name_pinyin", namePinyin)
        out.field("id_number_masked", idNumberMasked); out.field("birth_date", birthDate); out.field("age", age)
        out.field("sex", sex)
        if let phoneMasked { out.field("phone_masked", phoneMasked) }
        out.field("household_id", householdId.uuidString); out.field("household_number", householdNumber)
        out.field("relation", relation); out.field("residence_status", residenceStatus); out.field("life_status", lifeStatus)
        out.field("grid_code", gridCode); out.field("tags", tags); out.field("version", version)
        out.close()
        return out.bytes
    }

    enum CodingKeys: String, CodingKey {
        case id, name, namePinyin = "name_pinyin", idNumberMasked = "id_number_masked", birthDate = "birth_date", age, sex
        case phoneMasked = "phone_masked", householdId = "household_id", householdNumber = "household_number", relation
        case residenceStatus = "residence_status", lifeStatus = "life_status", gridCode = "grid_code", tags, version
    }
}

struct ResidentCreateInput: Decodable {
    var name: String?
    var idNumber: String?
    var phone: String?
    var householdId: UUID?
    var relation: String?
    var residenceStatus: String?
    var tags: [String]?
    var origin: String?
    var occurredOn: String?
    var note: String?
}

struct ResidentUpdateInput: Decodable {
    var name: String?
    var idNumber: String?
    /// Absent: unchanged; null or "": cleared.
    var phone: String??
    var relation: String?
    var residenceStatus: String?
    var tags: [String]?
    var note: String?
    var version: Int?

    enum CodingKeys: String, CodingKey {
        case name, idNumber, phone, relation, residenceStatus, tags, note, version
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        idNumber = try c.decodeIfPresent(String.self, forKey: .idNumber)
        phone = c.contains(.phone) ? .some(try c.decodeIfPresent(String.self, forKey: .phone)) : nil
        relation = try c.decodeIfPresent(String.self, forKey: .relation)
        residenceStatus = try c.decodeIfPresent(String.self, forKey: .residenceStatus)
        tags = try c.decodeIfPresent([String].self, forKey: .tags)
        note = try c.decodeIfPresent(String.self, forKey: .note)
        version = try c.decodeIfPresent(Int.self, forKey: .version)
    }
}

struct ResidentEventInput: Decodable {
    var kind: String?
    var occurredOn: String?
    var toHouseholdId: UUID?
    var relation: String?
    var note: String?
    var version: Int?
}

struct ResidentEventDTO: Encodable, Sendable {
    var id: UUID
    var kind: String
    var kindLabel: String
    var occurredOn: String
    var fromHouseholdId: UUID?
    var toHouseholdId: UUID?
    var changes: [String: [String: String?]]?
    var note: String?
    var recordedAt: Date

    init(_ r: ResidentEventRecord) {
        id = r.id; kind = r.kind.rawValue; kindLabel = r.kind.label
        occurredOn = r.occurredOn; fromHouseholdId = r.fromHouseholdId; toHouseholdId = r.toHouseholdId
        changes = r.changes.flatMap { try? JSONDecoder().decode([String: [String: String?]].self, from: Data($0.utf8)) }
        note = r.note; recordedAt = r.recordedAt
    }
}

/// A required `version` for an edit.
func requireVersion(_ v: Int?) throws -> Int {
    guard let v else { throw RegistryError.invalid([FieldError("version", "请提供记录的版本号 version（读取记录时返回）")]) }
    guard v >= 1 else { throw RegistryError.invalid([FieldError("version", "版本号应为正整数")]) }
    return v
}

/// A minimal JSON object writer for hot paths (strings escaped per RFC 8259).
struct JSONBytes {
    var bytes: [UInt8] = []
    private var first = true

    init() { bytes.reserveCapacity(512) }

    mutating func open() { bytes.append(UInt8(ascii: "{")) }
    mutating func close() { bytes.append(UInt8(ascii: "}")) }

    mutating func key(_ k: String) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        string(k)
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func field(_ k: String, _ v: String) { key(k); string(v) }
    mutating func field(_ k: String, _ v: Int) { key(k); bytes.append(contentsOf: String(v).utf8) }
    mutating func field(_ k: String, _ v: [String]) {
        key(k)
        bytes.append(UInt8(ascii: "["))
        for (i, s) in v.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            string(s)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// Bytes that are JSON already (a number, a bracket).
    mutating func raw(_ s: String) { bytes.append(contentsOf: s.utf8) }

    mutating func string(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [92, 34])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [92, 92])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [92, UInt8(ascii: "u"), 48, 48, hex[Int(b >> 4)], hex[Int(b & 15)]])
            default: bytes.append(b)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
