import ArgumentParser
import Fluent
import Foundation
import LinliCore
import LinliData
import LinliServer
import Vapor

/// `linli import residents|divisions|buildings|dwellings|units FILE [--yes] [--report FILE] [--division CODE]`.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "从 Excel（.xlsx）或 CSV 导入居民、区划、楼栋、房屋、单位：先逐行检查，确认后整体写入",
        discussion: "文件中有问题的行列在问题报告中，退出码为 65；详见 docs/import.md。",
        subcommands: [Residents.self, Divisions.self, Buildings.self, Dwellings.self, Units.self]
    )

    struct Common: ParsableArguments {
        @Argument(help: ".xlsx 或 .csv（UTF-8 或 GB18030）；区划和楼栋也可用 .geojson") var file: String
        @Option(help: "只允许导入到这个区划（村/社区代码等）之内") var division: String?
    }

    struct Residents: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "residents", abstract: "导入居民：逐行检查并写出问题报告；加 --yes 才在一个事务中写入合格的行（按身份证号幂等）")
        @OptionGroup var common: Common
        @Flag(help: "检查后确认写入合格的行（不加则只检查，不写入）") var yes = false
        @Option(help: "问题报告的路径（.xlsx 或 .csv；默认在文件旁边：文件名.报告.xlsx）") var report: String?
        @Option(help: "要导入的工作表名称（工作簿中有多个带表头的工作表时必须指定一个，或用 --per-grid）") var sheet: String?
        @Flag(name: .customLong("per-grid"), help: "每个网格一张表：导入所有带表头的工作表，未填网格的行归入与表名相同的网格（名称或15位编码）")
        var perGrid = false
        func run() async throws {
            let scope = try scopeOption(common.division)
            try await LinliApp.run { app in
                try await app.autoMigrate()
                try await importResidents(app: app, scope: scope)
            }
        }
        private func importResidents(app: Application, scope: RegistryScope) async throws {
            let engine = ResidentImport(app.db, cipher: app.linli.cipher, today: app.linli.today(), scope: scope)
            let started = Date()
            let checkBar = ProgressBar(label: "检查", unit: "MB", scale: 1_048_576)
            let plan: ResidentImportPlan
            do {
                plan = try await engine.validate(file: common.file, choice: SheetChoice(sheet: sheet, perGrid: perGrid)) { done, total in
                    checkBar.update(Int(done), of: Int(total))
                }
            } catch let e as SheetError {
                checkBar.finish()
                throw CommandFailure(e.message + "。未写入任何数据。", .noInput)
            }
            checkBar.finish()
            if plan.sheets.count > 1 {
                say("工作表：" + plan.sheets.map { info in
                    let taken = plan.taken.first { $0.name == info.name }
                    return "“\(info.name)”" + (info.hidden ? "（隐藏）" : "") + (taken.map { "（已读，表头第\($0.headerRow)行，数据\($0.rows)行）" } ?? "（未读）")
                }.joined(separator: "、"))
            }
            for note in plan.notes { say(note) }
            say(String(format: "检查完毕（%.1f 秒）：", Date().timeIntervalSince(started))
                + "数据 \(plan.rows) 行，合格待写入 \(plan.newResidents) 人（新户 \(plan.newHouseholds) 户），"
                + "已登记未变 \(plan.unchanged) 人，有问题 \(plan.badRows) 行。")
            if !plan.problems.isEmpty || !plan.skipped.isEmpty {
                for p in plan.problems.prefix(20) { warn((p.sheet.map { "工作表“\($0)”" } ?? "") + "第\(p.row)行【\(p.column)】\(p.message)") }
                if plan.problems.count + plan.problemsNotKept > 20 { warn("……共 \(plan.problems.count + plan.problemsNotKept) 个问题") }
                let report = self.report ?? ((common.file as NSString).deletingPathExtension + ".报告.xlsx")
                try RegistryExport.writeReport(plan, to: report)
                say("问题报告：\(report)")
            }
            guard yes else {
                say("只做了检查，未写入。确认导入合格的行请加 --yes。")
                if !plan.isClean { throw CommandFailure("文件中有 \(plan.badRows) 行有问题。") }
                return
            }
            if plan.newResidents > 0 {
                let writeBar = ProgressBar(label: "写入", unit: "人")
                let wrote = Date()
                let result = try await engine.commit(plan, by: .system("cli")) { done, total in writeBar.update(done, of: total) }
                writeBar.finish()
                let seconds = Date().timeIntervalSince(started)
                say(String(format: "已导入 %d 人、新建 %d 户（写入 %.1f 秒，共 %.1f 秒，%.0f 行/秒）；已登记未变 %d 人。",
                       result.residents, result.households, Date().timeIntervalSince(wrote), seconds,
                       Double(plan.rows) / max(seconds, 0.001), result.unchanged))
            } else {
                say("没有需要写入的行：数据库未改变。")
            }
            if !plan.isClean { throw CommandFailure("\(plan.badRows) 行有问题，未导入（见报告）。") }
        }
    }

    struct Divisions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "divisions", abstract: "导入行政区划与网格（.xlsx、.csv、.geojson）")
        @OptionGroup var common: Common
        func run() async throws { try await importAreas(common, divisions: true) }
    }

    struct Buildings: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "buildings", abstract: "导入楼栋（.xlsx、.csv、.geojson）")
        @OptionGroup var common: Common
        func run() async throws { try await importAreas(common, divisions: false) }
    }

    static func importAreas(_ common: Common, divisions: Bool) async throws {
        let scope = try scopeOption(common.division)
        try await LinliApp.run { app in
            try await app.autoMigrate()
            let transfer = AreaTransfer(app.db, scope: scope)
            do {
                let outcome = divisions
                    ? try await transfer.importDivisions(file: common.file, by: .system("cli"))
                    : try await transfer.importBuildings(file: common.file, by: .system("cli"))
                say("已导入：新增 \(outcome.created) 条，已存在未变 \(outcome.unchanged) 条。")
            } catch let rejected as AreaTransfer.Rejected {
                for p in rejected.problems.prefix(30) { warn("第\(p.row)行【\(p.column)】\(p.message)") }
                throw CommandFailure("共 \(rejected.problems.count) 个问题，未写入任何数据。")
            }
        }
    }
}

/// `linli export residents|divisions|buildings|template --out FILE [--division CODE] [--full]`.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "导出居民、区划、楼栋（与导入相同的格式；默认脱敏）",
        subcommands: [Residents.self, Divisions.self, Buildings.self, Template.self]
    )

    struct Common: ParsableArguments {
        @Option(help: "输出文件：.xlsx 或 .csv；区划和楼栋也可 .geojson") var out: String
        @Option(help: "只导出这个区划（代码）之内的数据") var division: String?
        func validate() throws { try checkFormat(out) }
    }

    struct Residents: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "residents", abstract: "导出居民（身份证号和电话默认脱敏）")
        @OptionGroup var common: Common
        @Flag(help: "导出完整的身份证号和电话（用于迁移数据；记入审计日志）") var full = false
        func run() async throws {
            try await export(common, full: full) { app, scope, actor in
                let bar = ProgressBar(label: "导出", unit: "人")
                let count = try await RegistryExport(app.db, cipher: app.linli.cipher, scope: scope)
                    .residents(to: common.out, full: full, by: actor) { done, total in bar.update(done, of: total) }
                bar.finish()
                return count
            }
        }
    }

    struct Divisions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "divisions", abstract: "导出行政区划与网格")
        @OptionGroup var common: Common
        func run() async throws {
            try await export(common) { app, scope, actor in try await AreaTransfer(app.db, scope: scope).exportDivisions(to: common.out, by: actor) }
        }
    }

    struct Buildings: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "buildings", abstract: "导出楼栋")
        @OptionGroup var common: Common
        func run() async throws {
            try await export(common) { app, scope, actor in try await AreaTransfer(app.db, scope: scope).exportBuildings(to: common.out, by: actor) }
        }
    }

    struct Template: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "template", abstract: "写出居民导入模板（空表，带列说明）")
        @Option(help: "输出文件：.xlsx 或 .csv") var out: String
        func validate() throws { try checkFormat(out) }
        func run() async throws {
            try RegistryExport.writeTemplate(to: out)
            say("已导出 0 行到 \(out)（模板）")
        }
    }

    static func export(_ common: Common, full: Bool = false,
                       _ write: (Application, RegistryScope, AuditActor) async throws -> Int) async throws {
        let scope = try scopeOption(common.division)
        let started = Date()
        let count = try await LinliApp.run { app in
            try await app.autoMigrate()
            return try await write(app, scope, .system("cli"))
        }
        say(String(format: "已导出 %d 行到 %@（%.1f 秒）%@", count, common.out, Date().timeIntervalSince(started),
                   full ? "；含完整身份证号和电话，请妥善保管并用后删除" : ""))
    }
}

func scopeOption(_ code: String?) throws -> RegistryScope {
    guard let code else { return .everything }
    do { return RegistryScope(division: try DivisionCode(code)) } catch { throw CommandFailure("区划代码 \(code) 无效：\(error.message)", .usage) }
}


/// An output file's type is known from its name: a wrong one is a usage mistake, found before any work.
private func checkFormat(_ path: String) throws {
    do { _ = try SheetFormat(path: path) } catch { throw ValidationError(error.message) }
}
