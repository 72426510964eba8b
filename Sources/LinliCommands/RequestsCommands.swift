import ArgumentParser
import Foundation
import LinliData
import LinliServer
import Vapor

/// `linli open311 keys create|revoke|list --name APP`: API keys of Open311 client applications.
struct Open311Command: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open311", abstract: "Open311 接入应用的管理", subcommands: [Keys.self])

    struct Keys: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "keys", abstract: "接入应用的 API 密钥：create 创建、revoke 吊销、list 列出",
            subcommands: [Create.self, Revoke.self, List.self])
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "为应用创建 API 密钥（只显示这一次）")
        @Option(help: "应用名称") var name: String
        func run() async throws {
            let key = try await LinliApp.run { app in
                try await Open311Keys(app.db).create(name: name, by: .system(), now: Int64(Date().timeIntervalSince1970))
            }
            say("应用 \(name) 的 API 密钥（只显示这一次，请妥善保存）：")
            say(key)
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "revoke", abstract: "吊销应用的有效密钥")
        @Option(help: "应用名称") var name: String
        func run() async throws {
            let revoked = try await LinliApp.run { app in
                try await Open311Keys(app.db).revoke(name: name, by: .system(), now: Int64(Date().timeIntervalSince1970))
            }
            guard revoked else { throw CommandFailure("应用 \(name) 没有有效的密钥", .noInput) }
            say("已吊销应用 \(name) 的密钥。")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "列出接入应用的密钥及其状态")
        func run() async throws {
            for k in try await LinliApp.run({ app in try await Open311Keys(app.db).list() }) {
                let created = Date(timeIntervalSince1970: TimeInterval(k.createdAt))
                say("\(k.name)\t创建于 \(created)\t\(k.revokedAt == nil ? "有效" : "已吊销")")
            }
        }
    }
}

/// `linli requests escalate|retally`: run the escalation rule once; rebuild the figures' tallies.
struct RequestsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "requests", abstract: "事项维护：escalate 按规则上报超时事项，retally 重算统计汇总",
        subcommands: [Escalate.self, Retally.self])

    struct Escalate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "escalate", abstract: "按规则上报超时事项一次（服务每分钟自动运行）")
        func run() async throws {
            let moved = try await LinliApp.run { app in
                try await app.requestQueries.escalateOverdue(now: Int64(app.linli.now().timeIntervalSince1970))
            }
            say("已上报 \(moved) 件超时事项。")
        }
    }

    struct Retally: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "retally", abstract: "重算事项统计汇总")
        func run() async throws {
            try await LinliApp.run { app in try await app.requestQueries.rebuildTallies() }
            say("已重算事项统计汇总。")
        }
    }
}
