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
        IndicatorsCapability(),
        TransferCapability(),
    ]

    static var sections: [ConsoleSection] { all.flatMap(\.sections) }
    static var migrations: [any Migration] { NumberedMigration.ordered(all.map(\.migrations)) }
    static let indicatorCatalog = IndicatorCatalog(all.flatMap(\.indicators))
    static var indicatorSources: [any IndicatorSource] { all.compactMap(\.indicatorCounts) }
}
