import Foundation
import NIOConcurrencyHelpers
import LinliCore
import LinliData

/// Everything the server reads from its environment, checked once at start. A class, so that the many
/// reads of it on every request share one instance instead of copying it; it is not changed once the
/// application is configured.
public final class AppConfig: @unchecked Sendable {
    public enum Storage: Sendable, Equatable {
        /// A SQLite file (WAL mode) at this path.
        case sqliteFile(String)
        /// A private SQLite database for a test.
        case sqliteMemory
        case postgres(url: String)
    }

    public var dataDirectory: String
    public var storage: Storage
    public var cipher: PersonalDataCipher
    /// Today's date in the district (Asia/Shanghai); tests fix it.
    public var today: @Sendable () -> CivilDate
    /// Largest request body accepted.
    public var maxBodySize: Int = 1 << 20
    /// Residents read by id, kept for `LINLI_READ_CACHE_SECONDS` (default 30; 0 turns it off).
    public var residentCache: RecordCache<UUID, ResidentRecord>? = RecordCache(capacity: 200_000, ttlSeconds: 30)
    /// Live sessions by token hash. Short-lived, so a sign-out in another server process takes effect soon.
    public var sessionCache = RecordCache<String, SessionRecord>(capacity: 50_000, ttlSeconds: 10)
    /// The clock for sessions, lockouts and the audit log; tests move it.
    public var now: @Sendable () -> Date = { Date() }
    /// A session ends this long after sign-in, whatever happens.
    public var sessionLifetime: TimeInterval = 12 * 3600
    /// A session ends after this long without a request (MLPS: session timeout).
    public var idleTimeout: TimeInterval = 30 * 60
    /// Failed sign-ins in a row (per username and client address) before that address must wait: first
    /// `lockoutBaseDelay`, doubled after each further failure, at most `lockoutDuration`.
    public var lockoutThreshold = 5
    public var lockoutBaseDelay: TimeInterval = 30
    public var lockoutDuration: TimeInterval = 15 * 60
    /// bcrypt work factor (tests lower it; each step doubles the time).
    public var bcryptCost = 12
    /// Sign-in attempts allowed per client address in `signInWindow` seconds.
    public var signInLimit = 20
    public var signInWindow: TimeInterval = 300
    /// Keys the web forms' CSRF tokens (new at each start: a form from before a restart is refused).
    public var csrfKey = Sessions.newToken()
    /// Where photos of requests are kept (in the data folder unless set).
    public var photoDirectory: String?
    /// How often overdue requests are checked for automatic escalation (0: never, as in tests).
    public var escalationInterval: TimeInterval = 60
    /// Anonymous submissions (web portal, JSON API) allowed per client address per hour.
    public var anonymousSubmitLimit = 30
    /// Submissions per Open311 application (per key) per hour.
    public var open311SubmitLimit = 5000
    /// Wrong tries at a request's number and access code allowed per hour, per number and per client address
    /// (the tracking page and the API); past either the answer is 429 until the hour has passed.
    public var trackFailuresPerNumber = 10
    public var trackFailuresPerAddress = 30
    public var trackWindow: TimeInterval = 3600
    /// The address clients reach the server at (`LINLI_PUBLIC_URL`, e.g. `https://linli.example.gov.cn`), for the
    /// links the server gives out (Open311 discovery). Unset: the address the server listens on. Never taken
    /// from a request's `Host` header, which the client chooses.
    public var publicURL: String?
    /// Audit entries older than this are purged by `linli audit purge` (at least 180 days).
    public var auditRetentionDays = 365
    /// A connection with no traffic either way for this long is closed (`LINLI_HTTP_IDLE_TIMEOUT`, seconds).
    public var httpIdleTimeout: TimeInterval = 75
    /// On SIGTERM, requests in flight get this long to finish before connections are cut (`LINLI_SHUTDOWN_TIMEOUT`).
    public var shutdownTimeout: TimeInterval = 20
    /// Proxies whose `X-Forwarded-For` names the client for rate limits and the audit log
    /// (`LINLI_TRUSTED_PROXIES`; none by default, when the header is ignored).
    var trustedProxies: [IPRange] = []
    /// Connections the server may hold to the database (set by `configure`, shown at `/metrics`).
    public var databasePoolSize = 0
    /// How long a query may wait for a free connection before it fails (Fluent's default is 10 s). Writers on one
    /// SQLite file queue for its single writer; tests that send dozens at once on a loaded machine wait longer.
    public var databasePoolTimeout: TimeInterval = 10

    public init(dataDirectory: String, storage: Storage, cipher: PersonalDataCipher,
                today: @escaping @Sendable () -> CivilDate = AppConfig.shanghaiToday) {
        self.dataDirectory = dataDirectory
        self.storage = storage
        self.cipher = cipher
        self.today = today
    }

    public struct Invalid: Error, CustomStringConvertible {
        public var problems: [String]
        public var description: String { "配置有误：\n" + problems.map { "- " + $0 }.joined(separator: "\n") }
    }

    /// Reads `LINLI_DATA_DIR` (default `./linli-data`), `DATABASE_URL`, `LINLI_DATA_KEY` and, during a key
    /// rotation, `LINLI_DATA_KEY_PREVIOUS`.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws -> AppConfig {
        var problems: [String] = []
        let dir = env["LINLI_DATA_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "./linli-data"
        var storage = Storage.sqliteFile((dir as NSString).appendingPathComponent("linli.sqlite"))
        if let url = env["DATABASE_URL"], !url.isEmpty {
            if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
                storage = .postgres(url: url)
            } else {
                problems.append("DATABASE_URL 须以 postgres:// 开头（未设置时使用数据目录中的 SQLite 文件）")
            }
        }
        var cipher: PersonalDataCipher?
        do {
            try PrivateFiles.directory(dir)
            cipher = try PersonalDataCipher.load(environmentKey: env["LINLI_DATA_KEY"],
                                             previousEnvironmentKey: env["LINLI_DATA_KEY_PREVIOUS"], dataDirectory: dir)
        } catch {
            problems.append("\(error)")
        }
        var cacheSeconds = 30.0
        if let raw = env["LINLI_READ_CACHE_SECONDS"], !raw.isEmpty {
            if let v = Double(raw), v >= 0, v <= 3600 { cacheSeconds = v } else {
                problems.append("LINLI_READ_CACHE_SECONDS 应为 0 至 3600 之间的秒数（0 表示不缓存）")
            }
        }
        guard problems.isEmpty, let cipher else { throw Invalid(problems: problems) }
        let config = AppConfig(dataDirectory: dir, storage: storage, cipher: cipher)
        config.residentCache = cacheSeconds > 0 ? RecordCache(capacity: 200_000, ttlSeconds: cacheSeconds) : nil
        for (name, keyPath, range) in [("LINLI_HTTP_IDLE_TIMEOUT", \AppConfig.httpIdleTimeout, 1.0...3600),
                                       ("LINLI_SHUTDOWN_TIMEOUT", \AppConfig.shutdownTimeout, 0.0...600)] {
            guard let raw = env[name], !raw.isEmpty else { continue }
            guard let v = Double(raw), range.contains(v) else {
                throw Invalid(problems: ["\(name) 应为 \(Int(range.lowerBound)) 至 \(Int(range.upperBound)) 之间的秒数"])
            }
            config[keyPath: keyPath] = v
        }
        if let raw = env["LINLI_PUBLIC_URL"], !raw.isEmpty {
            guard let url = publicURL(raw) else {
                throw Invalid(problems: ["LINLI_PUBLIC_URL 应为 http:// 或 https:// 开头的地址，如 https://linli.example.gov.cn（不带路径、查询串）"])
            }
            config.publicURL = url
        }
        if let raw = env["LINLI_AUDIT_RETENTION_DAYS"], !raw.isEmpty {
            if let v = Int(raw), v >= 180 { config.auditRetentionDays = v } else {
                throw Invalid(problems: ["LINLI_AUDIT_RETENTION_DAYS 应为不少于180的天数（等保要求日志至少保存6个月）"])
            }
        }
        if let raw = env["LINLI_TRUSTED_PROXIES"], !raw.isEmpty {
            switch IPRange.list(raw) {
            case .success(let list): config.trustedProxies = list
            case .failure(let bad):
                throw Invalid(problems: ["LINLI_TRUSTED_PROXIES 应为以逗号分隔的 IP 地址或网段（如 127.0.0.1,10.0.0.0/8），“\(bad.text)”无法识别"])
            }
        }
        return config
    }

    /// `scheme://host[:port]` without a trailing slash, or nil when `raw` is not such an address.
    static func publicURL(_ raw: String) -> String? {
        let trimmed = raw.hasSuffix("/") ? String(raw.dropLast()) : raw
        guard let c = URLComponents(string: trimmed), let scheme = c.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = c.host, !host.isEmpty, c.path.isEmpty, c.query == nil, c.fragment == nil, c.user == nil, c.password == nil else {
            return nil
        }
        return trimmed
    }

    /// Today in Asia/Shanghai, worked out at most once a minute (it is read on every request).
    public static let shanghaiToday: @Sendable () -> CivilDate = {
        let now = Date().timeIntervalSince1970
        if let cached = todayCache.withLockedValue({ $0 }), now - cached.at < 60 { return cached.day }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        let c = calendar.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: now))
        let day = CivilDate(year: c.year!, month: c.month!, day: c.day!)!
        todayCache.withLockedValue { $0 = (now, day) }
        return day
    }

    private static let todayCache = NIOLockedValueBox<(at: Double, day: CivilDate)?>(nil)
}
