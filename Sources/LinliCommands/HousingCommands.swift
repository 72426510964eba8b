import ArgumentParser
import Fluent
import Foundation
import LinliCore
import LinliData
import LinliServer
import Vapor

/// `linli import dwellings|units FILE [--yes] [--report FILE] [--division CODE]`: checked whole, written all or
/// nothing, a second import of the same file changing nothing.
extension ImportCommand {
    struct Dwellings: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "dwellings", abstract: "导入房屋（楼栋、房号、楼层、面积、房间数、用途）；有问题的行全部列出，整个文件不写入")
        @OptionGroup var common: Common
        @Flag(help: "检查无误后写入（不加则只检查）") var yes = false
        @Option(help: "问题报告的路径（.xlsx；默认在文件旁边：文件名.报告.xlsx）") var report: String?
        func run() async throws { try await ImportCommand.importHousing(.dwellings, common, yes: yes, report: report) }
    }

    struct Units: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "units", abstract: "导入驻区单位（名称、统一社会信用代码、类别、楼栋……）；有问题的行全部列出，整个文件不写入")
        @OptionGroup var common: Common
        @Flag(help: "检查无误后写入（不加则只检查）") var yes = false
        @Option(help: "问题报告的路径（.xlsx；默认在文件旁边：文件名.报告.xlsx）") var report: String?
        func run() async throws { try await ImportCommand.importHousing(.units, common, yes: yes, report: report) }
    }

    static func importHousing(_ kind: HousingImport.Kind, _ common: Common, yes: Bool, report: String?) async throws {
        let scope = try scopeOption(common.division)
        try await LinliApp.run { app in
            try await app.autoMigrate()
            let engine = HousingImport(app.db, cipher: app.linli.cipher, scope: scope)
            let plan: HousingImport.Plan
            do { plan = try await engine.validate(file: common.file, kind: kind) } catch let e as SheetError {
                throw CommandFailure(e.message + "。未写入任何数据。", .noInput)
            }
            say("检查完毕：数据 \(plan.rows) 行，新\(kind.label) \(plan.new) 个，已登记未变 \(plan.unchanged) 个，问题 \(plan.problems.count) 个。")
            if !plan.isClean {
                for p in plan.problems.prefix(20) { warn("第\(p.row)行【\(p.column)】\(p.message)") }
                let path = report ?? ((common.file as NSString).deletingPathExtension + ".报告.xlsx")
                try HousingImport.writeReport(plan.problems, to: path)
                say("问题报告：\(path)")
                throw CommandFailure("文件中有问题，未写入任何数据（改正后整个文件重新导入）。")
            }
            guard yes else { say("只做了检查，未写入。确认导入请加 --yes。"); return }
            let written = try await engine.commit(plan, by: .system("cli"))
            say(written > 0 ? "已导入\(kind.label) \(written) 个。" : "没有需要写入的行：数据库未改变。")
        }
    }
}
