import ArgumentParser
import Fluent
import Foundation
import LinliCore
import LinliData
import LinliServer
import SQLKit
import Vapor

extension BenchCommand {
    /// `linli bench measures`: one form's automatic fields (the elderly survey) for every community of the district.
    struct Measures: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "measures", abstract: "一表通：一张表单（老年人情况调查，12 个自动填报项）全区各村（社区）取数的时间")
        @Option(help: "计算的次数") var queries = 30
        func validate() throws { try BenchWork.check(queries) }
        func run() async throws { try await LinliApp.run { app in try await BenchWork(app: app).measures(count: queries) } }
    }
}

extension BenchWork {
    /// The elderly survey (老年人情况调查表): the automatic fields a civil-affairs form asks of every community.
    static let elderlySurvey: [(String, MeasureQuery)] = [
        ("常住居民", MeasureQuery(measure: "registry.residents")),
        ("户数", MeasureQuery(measure: "registry.households")),
        ("60岁以上", MeasureQuery(measure: "registry.residents", filters: ["age_min": "60"])),
        ("80岁以上", MeasureQuery(measure: "registry.residents", filters: ["age_min": "80"])),
        ("60岁以上女性", MeasureQuery(measure: "registry.residents", filters: ["age_min": "60", "sex": "female"])),
        ("独居老人", MeasureQuery(measure: "care.elders", filters: ["living_alone": "true"])),
        ("自理老人", MeasureQuery(measure: "care.elders", filters: ["care_level": "independent"])),
        ("半失能老人", MeasureQuery(measure: "care.elders", filters: ["care_level": "partly_dependent"])),
        ("失能老人", MeasureQuery(measure: "care.elders", filters: ["care_level": "dependent"])),
        ("低保户", MeasureQuery(measure: "assistance.dibao_households")),
        ("低保人数", MeasureQuery(measure: "assistance.dibao_persons")),
        ("持证残疾人", MeasureQuery(measure: "disability.cardholders")),
    ]

    func measures(count: Int) async throws {
        let sql = app.db as! any SQLDatabase
        let communities = try await sql.select().column("code").from("divisions").where("level", .equal, SQLBind(DivisionLevel.community.rawValue))
            .orderBy("code").all().map { try $0.decode(column: "code", as: String.self) }
        guard !communities.isEmpty else { throw CommandFailure("数据库中没有村（社区）：请先运行 linli demo --load-only", .noInput) }
        let residents = try await Resident.query(on: app.db).count()
        let context = MeasureContext(db: app.db, date: app.linli.today(), cipher: app.linli.cipher)
        let form = Self.elderlySurvey.map(\.1)
        var report = ["residents: \(residents), communities: \(communities.count), fields: \(form.count), reference date: \(context.date)"]
        // One warm-up pass, then the measured ones.
        let first = try await MeasureCatalogueTools.values(form, communities: communities, context: context)
        var times: [Double] = []
        for _ in 0..<count {
            let t0 = DispatchTime.now().uptimeNanoseconds
            _ = try await MeasureCatalogueTools.values(form, communities: communities, context: context)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
        }
        let s = times.sorted()
        let p99 = s[min(s.count - 1, Int((Double(s.count) * 0.99).rounded(.up)) - 1)]
        report.append(String(format: "whole form, all communities: p50 %.0f ms, p99 %.0f ms, max %.0f ms (%d runs)", s[s.count / 2], p99, s.last ?? 0, count))
        // Each field alone, once, to show where the time goes.
        for (i, (label, q)) in Self.elderlySurvey.enumerated() {
            let t0 = DispatchTime.now().uptimeNanoseconds
            _ = try await MeasureCatalogueTools.values([q], communities: communities, context: context)
            let ms = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6
            report.append(String(format: "  %@ (%@): %.0f ms, district total %lld", label, q.measure, ms, first[i].values.reduce(0, +)))
        }
        say(report.joined(separator: "\n"))
    }
}
