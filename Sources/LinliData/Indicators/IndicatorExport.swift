import Foundation
import LinliCore

/// The indicator table as a sheet (.xlsx or .csv): one row per division and indicator, from the
/// division asked for down to its communities and grids. Aggregates only: no personal data.
public enum IndicatorExport {
    public static let header = ["区划代码", "区划名称", "层级", "指标代码", "指标", "单位", "数值", "方向", "目标值", "差距", "状态", "分子", "分母",
                                "分子说明", "分母说明", "规划依据", "尚需数据"]
    static let widths: [Double] = [16, 18, 8, 30, 26, 10, 12, 6, 10, 10, 10, 12, 12, 36, 24, 40, 40]

    /// Writes the file and returns the number of data rows.
    @discardableResult
    public static func write(_ table: IndicatorTable, to path: String) throws -> Int {
        let w = try SheetWriter(path: path, sheetName: "规划指标", columnWidths: widths)
        try w.header(header)
        var rows = 0
        func num(_ v: Double?) -> XLSXCell { v.map { .number(($0 * 10_000).rounded() / 10_000) } ?? .empty }
        func text(_ s: String?) -> XLSXCell { s.map { $0.isEmpty ? .empty : .text($0) } ?? .empty }
        for d in table.divisions {
            for v in table.values(for: d.code) {
                let def = v.definition
                try w.row([.text(d.code), .text(d.name), .text(d.level.label), .text(def.code), .text(def.name), .text(def.unit),
                           num(v.reading?.value), def.target.map { .text($0.direction.symbol) } ?? .empty, num(def.target?.value), num(v.gap), .text(v.status.label),
                           num(v.reading?.numerator), num(v.reading?.denominator), text(def.numerator), text(def.denominator),
                           .text(def.clause), text(def.needs)])
                rows += 1
            }
        }
        try w.close()
        return rows
    }
}
