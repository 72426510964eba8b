import ArgumentParser
import Fluent
import Foundation
import LinliCore
import LinliData
import LinliServer
import Vapor

/// `linli user create|disable|reset-password|list`: accounts from the server's console. There is no
/// default password anywhere: the operator types one (on standard input) or the demo makes random ones.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "管理账号：create 创建、disable 停用、reset-password 重置密码、list 列出",
        discussion: "密码只从标准输入读取（--password-stdin），不在命令行上明文出现。",
        subcommands: [Create.self, Disable.self, ResetPassword.self, List.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create", abstract: "创建账号（须登录动态口令的角色会打印 otpauth:// 地址）")
        @Option(help: "用户名") var username: String
        @Option(help: "角色：\(Role.allCases.map(\.rawValue).joined(separator: "、"))") var role: String
        @Option(help: "所属区划代码（网格15位，其余12位）") var scope: String
        @Option(help: "部门用户的所属部门代码（如 CG 区城市管理局）") var department: String?
        @Option(help: "姓名（默认同用户名）") var name: String?
        @Flag(name: .customLong("password-stdin"), help: "从标准输入读取密码") var passwordStdin = false

        func validate() throws {
            guard Role(rawValue: role) != nil else {
                throw ValidationError("没有角色“\(role)”：可用 \(Role.allCases.map(\.rawValue).joined(separator: "、"))")
            }
            try requirePasswordStdin(passwordStdin)
        }

        func run() async throws {
            let password = try readPassword()
            let created = try await LinliApp.run { app in
                try await AccountProvisioning.create(username: username, displayName: name ?? username, role: role, divisionCode: scope,
                                                     departmentCode: department, password: password, app: app, db: app.db,
                                                     by: .system("cli"))
            }
            say("已创建 \(username)（\(created.account.role.label)，范围 \(scope)）。")
            if let uri = created.totpURI { say("该角色登录须输入动态口令，请用身份验证器扫描或录入：\n\(uri)") }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "disable", abstract: "停用账号并结束其所有会话")
        @Option(help: "用户名") var username: String
        func run() async throws {
            try await LinliApp.run { app in
                let a = try await account(username, app: app)
                _ = try await AccountQueries(app.db).update(id: a.id, displayName: nil, role: nil, divisionCode: nil, disabled: true,
                                                            version: a.version, by: .system("cli"))
            }
            say("已停用 \(username)，其所有会话已结束。")
        }
    }

    struct ResetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-password", abstract: "重置密码并结束其所有会话（须登录动态口令的角色同时换新密钥）")
        @Option(help: "用户名") var username: String
        @Flag(name: .customLong("password-stdin"), help: "从标准输入读取密码") var passwordStdin = false
        func validate() throws { try requirePasswordStdin(passwordStdin) }
        func run() async throws {
            let password = try readPassword()
            let uri = try await LinliApp.run { app in
                let a = try await account(username, app: app)
                return try await AccountProvisioning.resetPassword(a, password: password, app: app, db: app.db, by: .system("cli"))
            }
            say("已重置 \(username) 的密码，其所有会话已结束。")
            if let uri { say("新的动态口令密钥：\n\(uri)") }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "列出账号（前100个）：用户名、角色、区划、状态")
        func run() async throws {
            let page = try await LinliApp.run { app in try await AccountQueries(app.db).list(page: PageRequest(page: 1, perPage: 100)) }
            for a in page.items {
                say("\(a.username)\t\(a.role.label)\t\(a.divisionCode)\t\(a.disabled ? "已停用" : "正常")")
            }
            if page.total > page.items.count { say("…共 \(page.total) 个账号") }
        }
    }

    static func requirePasswordStdin(_ given: Bool) throws {
        guard given else { throw ValidationError("请用 --password-stdin 从标准输入提供密码（不在命令行上明文出现）") }
    }

    static func readPassword() throws -> String {
        guard let line = readLine(strippingNewline: true), !line.isEmpty else { throw CommandFailure("标准输入中没有密码") }
        return line
    }

    static func account(_ username: String, app: Application) async throws -> AccountRecord {
        guard let a = try await AccountQueries(app.db).find(username: username) else { throw CommandFailure("用户 \(username) 不存在", .noInput) }
        return a
    }
}

/// `linli audit verify|purge`.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "审计日志：verify 校验哈希链，purge 按保存期限清理", subcommands: [Verify.self, Purge.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "verify", abstract: "校验审计日志的哈希链（断开时指出第一条并以退出码 1 结束）")
        func run() async throws {
            let v = try await LinliApp.run { app in try await AuditLog.verify(on: app.db) }
            if let broken = v.firstBroken {
                throw CommandFailure("审计日志链已断开：第 \(broken) 条\(v.reason ?? "")（已检查 \(v.entries) 条）", .checkFailed)
            }
            say("审计日志完整：\(v.entries) 条记录，哈希链无断开。")
        }
    }

    struct Purge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "purge", abstract: "删除超过 LINLI_AUDIT_RETENTION_DAYS 天（默认365，至少180）的审计记录")
        func run() async throws {
            let (n, days) = try await LinliApp.run { app in
                (try await AuditLog.purge(olderThanDays: app.linli.auditRetentionDays, by: .system("cli"), on: app.db), app.linli.auditRetentionDays)
            }
            say("已清理 \(n) 条超过 \(days) 天的审计记录。")
        }
    }
}
