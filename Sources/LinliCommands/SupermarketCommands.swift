import ArgumentParser
import Foundation
import LinliCore
import LinliData
import LinliServer
import Vapor

/// `linli supermarket allowance --month YYYY-MM`: the month's love points to the households on assistance.
struct SupermarketCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "supermarket", abstract: "爱心超市：allowance 发放救助家庭月度爱心积分", subcommands: [Allowance.self])

    struct Allowance: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "allowance",
            abstract: "为某月在保的低保、特困等救助家庭各记入一次月度爱心积分（记入案件申请人名下）",
            discussion: "按该月月初的积分标准；每户每月只记入一次，重复运行不会重复记入。不能发放未来月份。")
        @Option(help: "月份 YYYY-MM") var month: String

        func validate() throws {
            guard AssistanceMonth.parse(month) != nil else { throw ValidationError("--month 应为 YYYY-MM，例如 2026-12") }
        }

        func run() async throws {
            let s = try await LinliApp.run { app in try await Self.credit(on: app, month: month) }
            say("\(s.month) 月度爱心积分：本次记入 \(s.credited) 户，共 \(s.points) 分；此前已记入 \(s.already) 户（未重复记入）"
                + (s.skipped > 0 ? "；\(s.skipped) 户申请人已死亡或迁出，未记入" : "") + "。")
        }

        /// Runs the allowance as the system (audited as `cli`) over the whole district.
        static func credit(on app: Application, month: String) async throws -> AllowanceRunSummary {
            let linli = app.linli
            let q = SupermarketQueries(app.db, cipher: linli.cipher, today: linli.today(), now: linli.now)
            let actor = SupermarketActor(audit: .system(), scope: .everything, mayRedeem: false, mayKeepGoods: false, mayConfigure: true, mayFullView: false)
            do {
                return try await q.runAllowance(month: month, by: actor)
            } catch RegistryError.invalid(let errors) {
                throw CommandFailure(errors.map(\.message).joined(separator: "；"), .usage)
            }
        }
    }
}
