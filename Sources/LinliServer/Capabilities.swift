import FluentKit
import LinliCore
import LinliData

/// Every capability of the platform, in order: the navigation bar, the home page, migrations within a
/// release, the indicators and the demo steps follow it. Adding a capability adds one line here.
enum Capabilities {
    static let all: [any Capability] = [
        PlatformCapability(),
        RegistryCapability(),
        RequestsCapability(),
        CareCapability(),
        DisabilityCapability(),
        AssistanceCapability(),
        EmploymentCapability(),
        TrainingCapability(),
        DonationsCapability(),
        OrganizationsCapability(),
        VolunteersCapability(),
        SupermarketCapability(),
        ElectionsCapability(),
        DeliberationCapability(),
        DisclosureCapability(),
        AdmissionCapability(),
        ReportsCapability(),
        WorkersCapability(),
        FacilitiesCapability(),
        CommunityLifeCapability(),
        PartyCapability(),
        HousingCapability(),
        PatrolsCapability(),
        PropertyCapability(),
        BoundaryCapability(),
        IndicatorsCapability(),
        TransferCapability(),
    ]

    /// Each role's permissions: every capability's grants joined, computed once (looked up on every request).
    static let permissionTable: [Role: Set<Permission>] = Dictionary(uniqueKeysWithValues: Role.allCases.map { role in
        (role, all.reduce(into: Set<Permission>()) { $0.formUnion($1.grants[role] ?? []) })
    })
    /// Every permission some capability declares a grant of.
    static var permissions: Set<Permission> { permissionTable.values.reduce(into: Set<Permission>()) { $0.formUnion($1) } }

    static var sections: [ConsoleSection] { all.flatMap(\.sections) }
    static var migrations: [any Migration] { NumberedMigration.ordered(all.map(\.migrations)) }
    static let indicatorCatalog = IndicatorCatalog(all.flatMap(\.indicators))
    static var indicatorSources: [any IndicatorSource] { all.compactMap(\.indicatorCounts) }
    /// The measure catalogue of report-once forms: every capability's measures, by id.
    static let measures = MeasureCatalogue(all.compactMap(\.measures))
    /// Every declared division column (`Boundary/DivisionColumns.swift`), in the order of the list.
    static let divisionColumns: [DivisionColumn] = all.flatMap(\.divisionColumns)
}

/// Report-once's measure catalogue (一表通): each measure with the capability source that computes it.
struct MeasureCatalogue: Sendable {
    let definitions: [MeasureDefinition]
    private let sources: [String: any MeasureSource]

    init(_ sources: [any MeasureSource]) {
        definitions = sources.flatMap(\.definitions)
        var byId: [String: any MeasureSource] = [:]
        for s in sources { for d in s.definitions { byId[d.id] = s } }
        self.sources = byId
    }

    func definition(_ id: String) -> MeasureDefinition? { definitions.first { $0.id == id } }
    func source(_ id: String) -> (any MeasureSource)? { sources[id] }

    /// Errors for a field mapped to `query`, reported under `field` (`fields[2]`).
    func check(_ query: MeasureQuery, field: String) -> [FieldError] {
        MeasureRules.check(measureId: query.measure, filters: query.filters, catalogue: definitions, field: field)
    }

    /// The values of count and sum queries for each community: one answer per query, in order, each by
    /// community code (absent: 0). Queries must have passed `check`. Each distinct query is computed once, and
    /// they run side by side (each is one grouped pass over its own index), a few at a time.
    func values(_ queries: [MeasureQuery], communities: [String], context: MeasureContext) async throws -> [[String: Int64]] {
        let distinct = Array(Set(queries.filter { definition($0.measure).map { $0.kind != .list } ?? false }))
        var found: [MeasureQuery: [String: Int64]] = [:]
        let jobs = distinct.compactMap { q in definition(q.measure).flatMap { d in source(q.measure).map { (q, d, $0) } } }
        try await withThrowingTaskGroup(of: (MeasureQuery, [String: Int64]).self) { group in
            for (i, (q, d, s)) in jobs.enumerated() {
                if i >= Self.parallel, let (done, v) = try await group.next() { found[done] = v }
                group.addTask { (q, try await s.values(of: d, filters: q.filters, communities: communities, context: context)) }
            }
            while let (q, v) = try await group.next() { found[q] = v }
        }
        return queries.map { found[$0] ?? [:] }
    }

    /// How many measure queries run at once: enough to keep the database's threads busy.
    static let parallel = 4
}

extension Role {
    /// What the role may do: the grants of every capability on the list.
    var permissions: Set<Permission> { Capabilities.permissionTable[self] ?? [] }
}
