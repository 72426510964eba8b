import Fluent
import Foundation
import LinliCore
import LinliData
import LinliServer
import Vapor

/// Ends the command with this exit status after the application has shut down (see main.swift).
struct CommandExit: Error, CustomStringConvertible {
    var code: Int32
    var description: String
}

/// `linli import residents|divisions|buildings FILE [--yes] [--report FILE] [--division CODE]`.
struct ImportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "kind", help: "residents（居民）、divisions（行政区划与网格）或 buildings（楼栋）")
        var kind: String
        @Argument(name: "file", help: ".xlsx 或 .csv（UTF-8 或 GB18030）；区划和楼栋也可用 .geojson")
        var file: String
        @Flag(name: "yes", help: "检查后确认写入合格的行（不加则只检查，不写入）")
        var yes: Bool
        @Option(name: "report", help: "问题报告的路径（.xlsx 或 .csv；默认在文件旁边：文件名.报告.xlsx）")
        var report: String?
        @Option(name: "division", help: "只允许导入到这个区划（村/社区代码等）之内")
        var division: String?
    }
    var help: String { "从 Excel（.xlsx）或 CSV 导入居民、区划、楼栋：先逐行检查，确认后整体写入" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        let scope = try scopeOption(signature.division)
        let console = context.console
        switch signature.kind {
        case "divisions", "buildings":
            let transfer = AreaTransfer(app.db, scope: scope)
            do {
                let outcome = signature.kind == "divisions"
                    ? try await transfer.importDivisions(file: signature.file, by: .system("cli"))
                    : try await transfer.importBuildings(file: signature.file, by: .system("cli"))
                console.print("已导入：新增 \(outcome.created) 条，已存在未变 \(outcome.unchanged) 条。")
            } catch let rejected as AreaTransfer.Rejected {
                for p in rejected.problems.prefix(30) { console.error("第\(p.row)行【\(p.column)】\(p.message)") }
                throw CommandExit(code: 3, description: "共 \(rejected.problems.count) 个问题，未写入任何数据。")
            }
        case "residents":
            // ConsoleKit takes `--yes` for itself (confirmOverride) before the signature sees it.
            let yes = signature.yes || console.confirmOverride == true
            try await importResidents(app: app, console: console, signature: signature, yes: yes, scope: scope)
        default:
            throw CommandFailure("不认识的数据类别“\(signature.kind)”：应为 residents、divisions 或 buildings")
        }
    }

    private func importResidents(app: Application, console: any Console, signature: Signature, yes: Bool, scope: RegistryScope) async throws {
        let engine = ResidentImport(app.db, cipher: app.linli.cipher, today: app.linli.today(), scope: scope)
        let started = Date()
        let checkBar = ProgressBar(label: "检查", unit: "MB", scale: 1_048_576)
        let plan: ResidentImportPlan
        do {
            plan = try await engine.validate(file: signature.file) { done, total in checkBar.update(Int(done), of: Int(total)) }
        } catch let e as SheetError {
            checkBar.finish()
            throw CommandExit(code: 1, description: e.message + "。未写入任何数据。")
        }
        checkBar.finish()
        console.print(String(format: "检查完毕（%.1f 秒）：", Date().timeIntervalSince(started))
                      + "数据 \(plan.rows) 行，合格待写入 \(plan.newResidents) 人（新户 \(plan.newHouseholds) 户），"
                      + "已登记未变 \(plan.unchanged) 人，有问题 \(plan.badRows) 行。")
        if !plan.problems.isEmpty {
            for p in plan.problems.prefix(20) { console.error("第\(p.row)行【\(p.column)】\(p.message)") }
            if plan.problems.count + plan.problemsNotKept > 20 { console.error("……共 \(plan.problems.count + plan.problemsNotKept) 个问题") }
            let report = signature.report ?? ((signature.file as NSString).deletingPathExtension + ".报告.xlsx")
            try RegistryExport.writeReport(plan, to: report)
            console.print("问题报告：\(report)")
        }
        guard yes else {
            console.print("只做了检查，未写入。确认导入合格的行请加 --yes。")
            if !plan.isClean { throw CommandExit(code: 3, description: "文件中有 \(plan.badRows) 行有问题。") }
            return
        }
        if plan.newResidents > 0 {
            let writeBar = ProgressBar(label: "写入", unit: "人")
            let wrote = Date()
            let result = try await engine.commit(plan, by: .system("cli")) { done, total in writeBar.update(done, of: total) }
            writeBar.finish()
            let seconds = Date().timeIntervalSince(started)
            console.print(String(format: "已导入 %d 人、新建 %d 户（写入 %.1f 秒，共 %.1f 秒，%.0f 行/秒）；已登记未变 %d 人。",
                                 result.residents, result.households, Date().timeIntervalSince(wrote), seconds,
                                 Double(plan.rows) / max(seconds, 0.001), result.unchanged))
        } else {
            console.print("没有需要写入的行：数据库未改变。")
        }
        if !plan.isClean { throw CommandExit(code: 3, description: "\(plan.badRows) 行有问题，未导入（见报告）。") }
    }
}

/// `linli export residents|divisions|buildings|template --out FILE [--division CODE] [--full]`.
struct ExportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "kind", help: "residents、divisions、buildings 或 template（居民导入模板）")
        var kind: String
        @Option(name: "out", help: "输出文件：.xlsx 或 .csv；区划和楼栋也可 .geojson")
        var out: String?
        @Option(name: "division", help: "只导出这个区划（代码）之内的数据")
        var division: String?
        @Flag(name: "full", help: "导出完整的身份证号和电话（用于迁移数据；记入审计日志）")
        var full: Bool
    }
    var help: String { "导出居民、区划、楼栋（与导入相同的格式；默认脱敏）" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard let out = signature.out else { throw CommandFailure("请用 --out 指定输出文件（.xlsx 或 .csv）") }
        _ = try SheetFormat(path: out)
        try await app.autoMigrate()
        let scope = try scopeOption(signature.division)
        let actor = AuditActor.system("cli")
        let started = Date()
        let count: Int
        switch signature.kind {
        case "residents":
            let bar = ProgressBar(label: "导出", unit: "人")
            count = try await RegistryExport(app.db, cipher: app.linli.cipher, scope: scope)
                .residents(to: out, full: signature.full, by: actor) { done, total in bar.update(done, of: total) }
            bar.finish()
        case "divisions": count = try await AreaTransfer(app.db, scope: scope).exportDivisions(to: out, by: actor)
        case "buildings": count = try await AreaTransfer(app.db, scope: scope).exportBuildings(to: out, by: actor)
        case "template":
            try RegistryExport.writeTemplate(to: out)
            count = 0
        default:
            throw CommandFailure("不认识的数据类别“\(signature.kind)”：应为 residents、divisions、buildings 或 template")
        }
        context.console.print(String(format: "已导出 %d 行到 %@（%.1f 秒）%@", count, out, Date().timeIntervalSince(started),
                                     signature.full ? "；含完整身份证号和电话，请妥善保管并用后删除" : ""))
    }
}

private func scopeOption(_ code: String?) throws -> RegistryScope {
    guard let code else { return .everything }
    do { return RegistryScope(division: try DivisionCode(code)) } catch { throw CommandFailure("区划代码 \(code) 无效：\(error.message)") }
}
