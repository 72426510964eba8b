import Fluent
import Foundation
import LinliData
import LinliServer
import Vapor

/// `linli stats [--json]`: the registry's headline counts.
struct StatsCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Flag(name: "json", help: "以 JSON 输出")
        var json: Bool
    }
    var help: String { "统计区划、楼栋、户和人口数" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let s = try await RegistryStats.compute(on: app.db, today: app.linli.today())
        if signature.json {
            let e = JSONEncoder()
            e.outputFormatting = [.sortedKeys]
            context.console.print(String(decoding: try e.encode(s), as: UTF8.self))
        } else {
            context.console.print("""
                镇/街道 \(s.streets)  村/社区 \(s.communities)  网格 \(s.grids)
                楼栋 \(s.buildings)  户 \(s.households)
                居民 \(s.residents)  其中60岁以上 \(s.residentsAged60Plus)
                """)
        }
    }
}
