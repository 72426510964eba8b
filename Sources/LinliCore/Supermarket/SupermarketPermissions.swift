/// 爱心超市's permissions.
extension Permission {
    /// The supermarkets of one's area, their goods and stock, the redemptions (holders' names masked).
    public static let supermarketRead = Permission("supermarket.read")
    /// Work the counter: find a person by ID number, redeem points for goods, void a redemption the same day.
    public static let supermarketRedeem = Permission("supermarket.redeem")
    /// Register the street's supermarket and keep its goods: prices in points, stock received and adjusted.
    public static let supermarketGoods = Permission("supermarket.goods")
    /// A person's whole points ledger with their social-assistance status (audited).
    public static let supermarketFullView = Permission("supermarket.full_view")
    /// The district's rates: points per volunteer hour, the monthly allowance per assistance kind; the allowance run.
    public static let supermarketConfigure = Permission("supermarket.configure")
    /// A resident's own points: balance and ledger, once their account is linked to the registry (实名核验).
    public static let supermarketOwn = Permission("supermarket.own")
}

public enum SupermarketPermissions {
    /// The street runs its supermarket; community workers stand at the counter; the district sets the rates.
    public static let grants: [Role: Set<Permission>] = [
        .gridWorker: [.supermarketRead],
        .communityWorker: [.supermarketRead, .supermarketRedeem, .supermarketFullView],
        .streetOfficer: [.supermarketRead, .supermarketRedeem, .supermarketGoods, .supermarketFullView],
        .districtOfficer: [.supermarketRead, .supermarketFullView, .supermarketConfigure],
        .resident: [.supermarketOwn],
    ]
}
