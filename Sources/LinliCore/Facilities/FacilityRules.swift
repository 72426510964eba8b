import Foundation

/// A facility as typed, before it is checked.
public struct FacilityInput: Sendable {
    public var name: String?
    public var kind: String?
    public var communityCode: String?
    public var address: String?
    public var latitude: Double?
    public var longitude: Double?
    public var openingHours: String?
    public var operatorName: String?

    public init(name: String? = nil, kind: String? = nil, communityCode: String? = nil, address: String? = nil, latitude: Double? = nil,
                longitude: Double? = nil, openingHours: String? = nil, operatorName: String? = nil) {
        self.name = name; self.kind = kind; self.communityCode = communityCode; self.address = address
        self.latitude = latitude; self.longitude = longitude; self.openingHours = openingHours; self.operatorName = operatorName
    }
}

/// A facility that passed its checks.
public struct FacilityFields: Sendable, Equatable {
    public var name: String
    public var kind: FacilityKind
    public var address: String
    public var point: GeoPoint?
    public var openingHours: String
    public var operatorName: String
}

public enum FacilityRules {
    public static let nameMax = 50, addressMax = 100, operatorMax = 50

    /// Checks a facility; `area` bounds the point (the district's box). A point is required: a facility without
    /// one covers nobody (only the register's copies of older records may lack one).
    public static func check(_ i: FacilityInput, area: (latitude: ClosedRange<Double>, longitude: ClosedRange<Double>),
                             requirePoint: Bool = true) -> Result<FacilityFields, ValidationFailure> {
        var errors = FieldErrors()
        let name = (i.name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty || name.count > nameMax { errors.add("name", "请填写设施名称（1至\(nameMax)个字）") }
        let kind = i.kind.flatMap(FacilityKind.parse)
        if kind == nil { errors.add("kind", "设施类型应为 \(FacilityKind.allCases.map { "\($0.rawValue)（\($0.label)）" }.joined(separator: "、")) 之一") }
        let address = (i.address ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if address.isEmpty || address.count > addressMax { errors.add("address", "请填写地址（1至\(addressMax)个字）") }
        var point: GeoPoint?
        switch (i.latitude, i.longitude) {
        case let (lat?, lon?):
            let latOK = lat.isFinite && area.latitude.contains(lat), lonOK = lon.isFinite && area.longitude.contains(lon)
            let where_ = "（纬度\(area.latitude.lowerBound)–\(area.latitude.upperBound)，经度\(area.longitude.lowerBound)–\(area.longitude.upperBound)）"
            if !latOK { errors.add("latitude", "位置不在本区范围内" + where_) }
            if !lonOK { errors.add("longitude", "位置不在本区范围内" + where_) }
            if latOK && lonOK { point = GeoPoint(latitude: lat, longitude: lon) }
        case (nil, nil):
            if requirePoint { errors.add("latitude", "请填写设施位置（纬度、经度）") }
        case (nil, _): errors.add("latitude", "请同时填写纬度和经度")
        case (_, nil): errors.add("longitude", "请同时填写纬度和经度")
        }
        var hours = ""
        switch OpeningHours.parse(i.openingHours ?? "") {
        case .success(let h): hours = h.text
        case .failure(let e): errors.add(e)
        }
        let op = (i.operatorName ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if op.isEmpty || op.count > operatorMax { errors.add("operator_name", "请填写运营单位（1至\(operatorMax)个字）") }
        guard errors.isEmpty, let kind else { return .failure(ValidationFailure(errors.errors)) }
        return .success(FacilityFields(name: name, kind: kind, address: address, point: point, openingHours: hours, operatorName: op))
    }
}
