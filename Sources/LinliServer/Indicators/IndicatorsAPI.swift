import Foundation
import LinliCore
import LinliData
import Vapor

/// `/api/v1/indicators`: the plan's targets for a division of one's area, their series, and the table as a file.
struct IndicatorsAPI {
    func boot(_ routes: Routes) {
        let indicators = routes.grouped("indicators")
        indicators.get(needs: .permission(.indicatorsRead), use: list)
        indicators.get("export", needs: .permission(.indicatorsRead), use: export)
        indicators.get(":indicator", "series", needs: .permission(.indicatorsRead), use: series)
    }

    func list(req: Request) async throws -> JSONBody<IndicatorsDTO> {
        let (table, division) = try await IndicatorService.table(req)
        return JSONBody(IndicatorsDTO(table, division: division))
    }

    func series(req: Request) async throws -> JSONBody<SeriesDTO> {
        try req.require(.indicatorsRead)
        guard let code = req.parameters.get("indicator"), let definition = Capabilities.indicatorCatalog.definition(code) else {
            throw RegistryError.notFound("指标")
        }
        let division = try await IndicatorService.division(req)
        let points = try await IndicatorQueries(req.db).series(indicator: code, division: division.code)
        return JSONBody(SeriesDTO(indicator: IndicatorDTO(definition), division: division, points: points))
    }

    func export(req: Request) async throws -> Response {
        try await IndicatorService.export(req, format: try ListExport.format(req))
    }
}

/// What the API and the dashboard share: the division asked for (inside one's area), the table, the file.

struct IndicatorDTO: Encodable, Sendable {
    var code: String
    var name: String
    var group: String
    var numerator: String
    var denominator: String?
    var unit: String
    var target: Double?
    var direction: String?
    var clause: String
    var measured: Bool
    var needs: String?

    init(_ d: IndicatorDefinition) {
        code = d.code; name = d.name; group = d.group; numerator = d.numerator; denominator = d.denominator; unit = d.unit
        target = d.target?.value; direction = d.target?.direction.rawValue; clause = d.clause; measured = d.measured; needs = d.needs
    }
}

struct IndicatorValueDTO: Encodable, Sendable {
    var indicator: IndicatorDTO
    var value: Double?
    var numerator: Double?
    var denominator: Double?
    var gap: Double?
    var status: IndicatorStatus
    var statusLabel: String

    init(_ v: IndicatorValue) {
        indicator = IndicatorDTO(v.definition)
        value = v.reading?.value; numerator = v.reading?.numerator; denominator = v.reading?.denominator
        gap = v.gap; status = v.status; statusLabel = v.status.label
    }
}

struct IndicatorsDTO: Encodable, Sendable {
    struct Part: Encodable, Sendable { var label: String; var count: Int64 }
    struct Child: Encodable, Sendable {
        struct Entry: Encodable, Sendable { var code: String; var value: Double? }
        var division: IndicatorDivision
        var values: [Entry]
    }
    var division: IndicatorDivision
    var asOf: String
    var indicators: [IndicatorValueDTO]
    var ageBands: [Part]
    var residence: [Part]
    var children: [Child]

    init(_ table: IndicatorTable, division: IndicatorDivision) {
        self.division = division
        asOf = table.today.description
        indicators = table.values(for: division.code).map(IndicatorValueDTO.init)
        let c = table.counts[division.code] ?? IndicatorCounts()
        ageBands = AgeBand.allCases.map { Part(label: $0.label, count: c.ageBands[$0.rawValue]) }
        residence = ResidenceStatus.allCases.enumerated().map { Part(label: $0.element.label, count: c.residence[$0.offset]) }
        children = table.children(of: division.code).map { child in
            Child(division: child, values: table.values(for: child.code).filter(\.definition.measured)
                .map { .init(code: $0.definition.code, value: $0.reading?.value) })
        }
    }
}

struct SeriesDTO: Encodable, Sendable {
    var indicator: IndicatorDTO
    var division: IndicatorDivision
    var points: [IndicatorQueries.Point]
}
