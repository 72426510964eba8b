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
}

extension Role {
    /// What the role may do: the grants of every capability on the list.
    var permissions: Set<Permission> { Capabilities.permissionTable[self] ?? [] }
}
