import ArgumentParser
import Fluent
import Foundation
import LinliCore
import LinliData
import LinliServer
import Vapor

/// `linli demo`: loads the demo district into an empty database, then serves it.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "载入演示区（泰州医药高新区）并启动服务",
        discussion: "演示数据只能载入空库；库中已有数据时直接启动服务（加 --load-only 时报错）。演示账号的密码随机生成，只显示一次。"
    )

    @Flag(name: .customLong("load-only"), help: "只载入演示数据，不启动服务")
    var loadOnly = false
    @Option(help: "居民人数，1 至 5000000（默认 161000）")
    var residents: Int?
    @Option(help: "历史事项件数，0 至 5000000（默认为居民人数的八分之一，至少 200）")
    var requests: Int?
    @Option(help: "随机种子：同一种子生成相同数据")
    var seed: UInt64?
    @Option(name: [.customShort("H"), .long], help: "监听地址（默认 127.0.0.1）")
    var hostname: String?
    @Option(name: .shortAndLong, help: "端口（默认 8080）")
    var port: Int?

    func validate() throws {
        if let residents, !(1...5_000_000).contains(residents) { throw ValidationError("--residents 应在 1 至 5000000 之间") }
        if let requests, !(0...5_000_000).contains(requests) { throw ValidationError("--requests 应在 0 至 5000000 之间") }
        if let port, !(0...65535).contains(port) { throw ValidationError("--port 应在 0 至 65535 之间（0 为任一空闲端口）") }
    }

    func run() async throws {
        let host = hostname ?? "127.0.0.1", port = port ?? 8080
        try await LinliApp.run(vaporArguments: ["linli", "serve", "--hostname", host, "--port", "\(port)"], prepare: { app, _ in
            app.lifecycle.use(EscalationTimer(startOnBoot: false))
        }) { app in
            try await app.autoMigrate()
            if try await Division.query(on: app.db).count() > 0 {
                if loadOnly {
                    throw CommandFailure("数据库中已有数据：演示数据只能载入空库（可换一个 LINLI_DATA_DIR）", .cannotCreate)
                }
                say("数据库中已有数据，直接启动服务。")
            } else {
                try await load(app)
            }
            try await DemoAccounts.ensure(app: app)
            if loadOnly { return }
            say("""
                平台已启动：http://\(host):\(port)/
                  工作人员登录（网页工作台）：http://\(host):\(port)/login
                  行政区划（公开）：http://\(host):\(port)/api/v1/divisions
                  API 登录：curl -X POST http://\(host):\(port)/api/v1/auth/token -H 'Content-Type: application/json' -d '{"username":"worker","password":"…"}'
                  接口说明（OpenAPI）：http://\(host):\(port)/api/openapi.yaml
                按 Ctrl+C 停止。
                """)
            EscalationTimer.start(app)
            try await LinliApp.serve(app)
        }
    }

    /// Every capability's part of the demo district, in the order of the capability list.
    private func load(_ app: Application) async throws {
        let demo = DemoContext(db: app.db, cipher: app.linli.cipher, seed: seed ?? DemoDistrict.defaultSeed,
                               residents: residents ?? DemoDistrict.defaultResidents, requests: requests, today: app.linli.today(),
                               now: Int64(app.linli.now().timeIntervalSince1970)) { label, unit in
            let bar = ProgressBar(label: label, unit: unit)
            return DemoProgress(update: { bar.update($0, of: $1) }, finish: { bar.finish() })
        }
        try await DemoData.load(demo) { say($0) }
    }
}

/// The demo district's accounts, one per role, with freshly generated passwords printed once.
enum DemoAccounts {
    static let accounts: [(username: String, name: String, role: Role, scope: String)] = [
        ("worker", "寺巷社区 社区工作者", .communityWorker, "321271002001"),
        ("grid", "寺巷社区第1网格 网格员", .gridWorker, "321271002001001"),
        ("street", "寺巷街道 街道干部", .streetOfficer, "321271002000"),
        ("district", "区民政局 区级干部", .districtOfficer, DemoDistrict.districtCode),
        ("dept", "区城管局 部门用户", .department, DemoDistrict.districtCode),
        ("police", "社区警务室 部门用户", .department, DemoDistrict.districtCode),
        ("resident", "寺巷社区 居民", .resident, "321271002001"),
        ("sysadmin", "系统管理员", .systemAdmin, DemoDistrict.districtCode),
        ("secadmin", "安全管理员", .securityAdmin, DemoDistrict.districtCode),
        ("auditor", "审计管理员", .auditAdmin, DemoDistrict.districtCode),
    ]

    /// The department each department account acts for: the city administration, and the community police office
    /// (社区警务室), to which its services' requests go on filing.
    static let departments = ["dept": "CG", "police": PoliceOffice.department.code]

    /// Creates the demo accounts when the database has none of them, and prints how to sign in. (The demo's own
    /// department accounts — a property company's — are not the sign-in accounts and do not count.)
    static func ensure(app: Application) async throws {
        guard try await Account.query(on: app.db).filter(\.$username ~~ accounts.map(\.username)).count() == 0 else {
            say("账号已存在（密码不保存明文；忘记时用 linli user reset-password --username 用户名 --password-stdin）。")
            return
        }
        var lines = ["演示账号（密码只显示这一次）："]
        // bcrypt is slow on purpose: hash the accounts side by side.
        let created = try await withThrowingTaskGroup(of: (Int, String, AccountProvisioning.Created).self) { group in
            for (i, a) in accounts.enumerated() {
                group.addTask {
                    let password = randomPassword()
                    let c = try await AccountProvisioning.create(username: a.username, displayName: a.name, role: a.role.rawValue,
                                                                 divisionCode: a.scope, departmentCode: a.role == .department ? departments[a.username] : nil,
                                                                 password: password, app: app, db: app.db,
                                                                 by: .system("demo"))
                    return (i, password, c)
                }
            }
            return try await group.reduce(into: [(Int, String, AccountProvisioning.Created)]()) { $0.append($1) }.sorted { $0.0 < $1.0 }
        }
        for (i, password, c) in created {
            let a = accounts[i]
            var line = "  \(a.username.padding(toLength: 9, withPad: " ", startingAt: 0)) \(password)  \(a.role.label)（\(a.scope)）"
            if let uri = c.totpURI, let secret = uri.split(separator: "=").dropFirst().first?.split(separator: "&").first {
                line += "\n            动态口令密钥 \(secret)（oathtool --totp -b \(secret)）"
            }
            lines.append(line)
        }
        say(lines.joined(separator: "\n"))
        try await linkResident(app: app)
    }

    /// The demo resident's account belongs to a household on 低保 in 寺巷社区, so that 我家的救助 shows its case.
    static func linkResident(app: Application) async throws {
        let linli = app.linli
        let q = AssistanceQueries(app.db, cipher: linli.cipher, today: linli.today(), now: linli.now)
        var filter = AssistanceFilter()
        filter.kind = .dibao
        filter.stage = .approved
        guard let c = try await q.cases(in: RegistryScope(validatedCode: "321271002001"), filter: filter, page: PageRequest(page: 1, perPage: 1)).items.first
        else { return }
        let actor = AssistanceActor(audit: .system("demo"), scope: .everything, mayWrite: true, mayReview: false, mayApprove: false)
        try await q.linkAccount(username: "resident", to: c.applicantId, of: c.id, by: actor)
    }

    /// 16 characters from all four classes, without look-alikes.
    static func randomPassword() -> String {
        var rng = SystemRandomNumberGenerator()
        let sets = [Array("ABCDEFGHJKLMNPQRSTUVWXYZ"), Array("abcdefghijkmnopqrstuvwxyz"), Array("23456789"), Array("!@#%^*-_+=")]
        var chars = sets.map { $0.randomElement(using: &rng)! }
        let all = sets.joined()
        while chars.count < 16 { chars.append(all.randomElement(using: &rng)!) }
        return String(chars.shuffled(using: &rng))
    }
}

/// A one-line progress bar on standard error: share done, count, rate and time left.
final class ProgressBar: @unchecked Sendable {
    let label: String
    let unit: String
    /// Counts are divided by this for display (bytes shown as MB with 1_048_576).
    let scale: Double
    let started = Date()
    let lock = NSLock()
    let isTerminal = isatty(STDERR_FILENO) == 1
    var lastDraw = Date.distantPast
    var lastDone = -1

    init(label: String, unit: String, scale: Double = 1) {
        self.label = label
        self.unit = unit
        self.scale = scale
    }

    func update(_ done: Int, of total: Int) {
        lock.lock(); defer { lock.unlock() }
        let now = Date()
        // Redraw at most 10 times a second on a terminal, every 5 s in a log.
        guard done != lastDone, now.timeIntervalSince(lastDraw) >= (isTerminal ? 0.1 : 5) || done >= total else { return }
        lastDraw = now
        lastDone = done
        let share = total > 0 ? Double(done) / Double(total) : 1
        let width = 30, filled = Int(share * Double(width))
        let elapsed = now.timeIntervalSince(started)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let left = rate > 0 ? Double(total - done) / rate : 0
        let line = String(format: "%@ [%@%@] %3.0f%% %.0f/%.0f %@  %.1f %@/秒  剩余 %.0f 秒",
                          label, String(repeating: "█", count: filled), String(repeating: "░", count: width - filled),
                          share * 100, Double(done) / scale, Double(total) / scale, unit, rate / scale, unit, left)
        FileHandle.standardError.write(Data(((isTerminal ? "\r" : "") + line + (isTerminal ? "" : "\n")).utf8))
    }

    func finish() {
        if isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
