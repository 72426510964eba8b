import Fluent
import Foundation
import LinliCore
import LinliData
import LinliServer
import Vapor

/// `linli user create|disable|reset-password|list`: accounts from the server's console. There is no
/// default password anywhere: the operator types one (on standard input) or the demo makes random ones.
struct UserCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "create | disable | reset-password | list")
        var action: String
        @Option(name: "username", help: "用户名")
        var username: String?
        @Option(name: "role", help: "角色：\(Role.allCases.map(\.rawValue).joined(separator: ", "))")
        var role: String?
        @Option(name: "scope", help: "所属区划代码（网格15位，其余12位）")
        var scope: String?
        @Option(name: "department", help: "部门用户的所属部门代码（如 CG 区城市管理局）")
        var department: String?
        @Option(name: "name", help: "姓名（默认同用户名）")
        var name: String?
        @Flag(name: "password-stdin", help: "从标准输入读取密码")
        var passwordStdin: Bool
    }
    var help: String { "管理账号：create、disable、reset-password、list" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let actor = AuditActor.system("cli")
        func password() throws -> String {
            guard signature.passwordStdin else { throw CommandFailure("请用 --password-stdin 从标准输入提供密码（不在命令行上明文出现）") }
            guard let line = readLine(strippingNewline: true), !line.isEmpty else { throw CommandFailure("标准输入中没有密码") }
            return line
        }
        func account() async throws -> AccountRecord {
            guard let u = signature.username else { throw CommandFailure("请用 --username 指定用户名") }
            guard let a = try await AccountQueries(app.db).find(username: u) else { throw CommandFailure("用户 \(u) 不存在") }
            return a
        }
        do {
            switch signature.action {
            case "create":
                guard let u = signature.username, let role = signature.role, let scope = signature.scope else {
                    throw CommandFailure("create 需要 --username、--role 和 --scope")
                }
                let created = try await AccountProvisioning.create(username: u, displayName: signature.name ?? u, role: role, divisionCode: scope,
                                                                   departmentCode: signature.department,
                                                                   password: try password(), app: app, db: app.db, by: actor)
                context.console.print("已创建 \(u)（\(created.account.roleValue?.label ?? role)，范围 \(scope)）。")
                if let uri = created.totpURI {
                    context.console.print("该角色登录须输入动态口令，请用身份验证器扫描或录入：\n\(uri)")
                }
            case "disable":
                let a = try await account()
                _ = try await AccountQueries(app.db).update(id: a.id, displayName: nil, role: nil, divisionCode: nil, disabled: true,
                                                            version: a.version, by: actor)
                context.console.print("已停用 \(a.username)，其所有会话已结束。")
            case "reset-password":
                let a = try await account()
                let uri = try await AccountProvisioning.resetPassword(a, password: try password(), app: app, db: app.db, by: actor)
                context.console.print("已重置 \(a.username) 的密码，其所有会话已结束。")
                if let uri { context.console.print("新的动态口令密钥：\n\(uri)") }
            case "list":
                let page = try await AccountQueries(app.db).list(page: PageRequest(page: 1, perPage: 100))
                for a in page.items {
                    context.console.print("\(a.username)\t\(a.roleValue?.label ?? a.role)\t\(a.divisionCode)\t\(a.disabled ? "已停用" : "正常")")
                }
                if page.total > page.items.count { context.console.print("…共 \(page.total) 个账号") }
            default:
                throw CommandFailure("未知操作 \(signature.action)：可用 create、disable、reset-password、list")
            }
        } catch let RegistryError.invalid(errors) {
            throw CommandFailure(errors.map { "\($0.field)：\($0.message)" }.joined(separator: "\n"))
        } catch let RegistryError.conflict(error) {
            throw CommandFailure(error.message)
        }
    }
}

/// `linli audit verify|purge`.
struct AuditCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "verify | purge")
        var action: String
    }
    var help: String { "审计日志：verify 校验哈希链，purge 按保存期限清理" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        switch signature.action {
        case "verify":
            let v = try await AuditLog.verify(on: app.db)
            if let broken = v.firstBroken {
                context.console.error("审计日志校验失败：第 \(broken) 条\(v.reason ?? "")（已检查 \(v.entries) 条）")
                throw CommandFailure("审计日志链已断开")
            }
            context.console.print("审计日志完整：\(v.entries) 条记录，哈希链无断开。")
        case "purge":
            let n = try await AuditLog.purge(olderThanDays: app.linli.auditRetentionDays, by: .system("cli"), on: app.db)
            context.console.print("已清理 \(n) 条超过 \(app.linli.auditRetentionDays) 天的审计记录。")
        default:
            throw CommandFailure("未知操作 \(signature.action)：可用 verify、purge")
        }
    }
}

struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}
