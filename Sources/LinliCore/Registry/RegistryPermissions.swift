/// The registry's permissions.
extension Permission {
    /// Read the registry (masked personal numbers).
    public static let registryRead = Permission("registry.read")
    /// Create and change buildings, households, residents and their events.
    public static let registryWrite = Permission("registry.write")
    /// See a person's full ID and phone number (each view is audited).
    public static let registryFullView = Permission("registry.full_view")
    /// Create and change divisions and grids.
    public static let divisionsWrite = Permission("divisions.write")
}

public enum RegistryPermissions {
    /// Workers keep their area's registry; officers read it; the system administrator keeps the division
    /// tree but never sees residents' personal data.
    public static let grants: [Role: Set<Permission>] = [
        .gridWorker: [.registryRead, .registryWrite, .registryFullView],
        .communityWorker: [.registryRead, .registryWrite, .registryFullView],
        .streetOfficer: [.registryRead, .registryFullView],
        .districtOfficer: [.registryRead, .registryFullView, .divisionsWrite],
        .systemAdmin: [.divisionsWrite],
    ]
}
