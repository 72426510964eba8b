import Foundation
import LinliData
import LinliServer
import Vapor

/// `linli open311 keys create|revoke|list --name APP`: API keys of Open311 client applications.
struct Open311Command: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "group", help: "keys")
        var group: String
        @Argument(name: "action", help: "create | revoke | list")
        var action: String
        @Option(name: "name", help: "应用名称")
        var name: String?
    }
    var help: String { "管理 Open311 接入应用的 API 密钥：keys create|revoke|list --name 应用名" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard signature.group == "keys" else { throw CommandFailure("用法：linli open311 keys create|revoke|list [--name 应用名]") }
        let app = context.application
        let keys = Open311Keys(app.db)
        let now = Int64(Date().timeIntervalSince1970)
        switch signature.action {
        case "create":
            guard let name = signature.name else { throw CommandFailure("create 需要 --name 应用名") }
            let key = try await keys.create(name: name, by: .system(), now: now)
            context.console.print("应用 \(name) 的 API 密钥（只显示这一次，请妥善保存）：")
            context.console.print(key)
        case "revoke":
            guard let name = signature.name else { throw CommandFailure("revoke 需要 --name 应用名") }
            guard try await keys.revoke(name: name, by: .system(), now: now) else { throw CommandFailure("应用 \(name) 没有有效的密钥") }
            context.console.print("已吊销应用 \(name) 的密钥。")
        case "list":
            for k in try await keys.list() {
                let created = Date(timeIntervalSince1970: TimeInterval(k.createdAt))
                context.console.print("\(k.name)\t创建于 \(created)\t\(k.revokedAt == nil ? "有效" : "已吊销")")
            }
        default:
            throw CommandFailure("未知操作 \(signature.action)：可用 create、revoke、list")
        }
    }
}

/// `linli requests escalate|retally`: run the escalation rule once; rebuild the figures' tallies.
struct RequestsCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "escalate | retally")
        var action: String
    }
    var help: String { "事项维护：escalate（按规则上报超时事项）、retally（重算统计汇总）" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        switch signature.action {
        case "escalate":
            let moved = try await app.requestQueries.escalateOverdue(now: Int64(app.linli.now().timeIntervalSince1970))
            context.console.print("已上报 \(moved) 件超时事项。")
        case "retally":
            try await app.requestQueries.rebuildTallies()
            context.console.print("已重算事项统计汇总。")
        default:
            throw CommandFailure("未知操作 \(signature.action)：可用 escalate、retally")
        }
    }
}
