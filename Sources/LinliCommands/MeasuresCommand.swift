import ArgumentParser
import Foundation
import LinliCore
import LinliData
import LinliServer

/// `linli measures`: the measure catalogue of report-once forms as a Markdown table (docs/reports-measures.md).
struct MeasuresCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "measures", abstract: "一表通数据项目录：以 Markdown 表格列出各项能力提供的数据项（编号、名称、单位、筛选条件、说明）")
    func run() throws { print(MeasureCatalogueTools.markdown(), terminator: "") }
}
