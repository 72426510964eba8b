import Foundation
import LinliCore
import LinliData

/// The measure catalogue as the command line sees it: the definitions, the generated table of
/// docs/reports-measures.md, and a form's values for the benchmark.
public enum MeasureCatalogueTools {
    public static var definitions: [MeasureDefinition] { Capabilities.measures.definitions }

    /// The values of `queries` for each of `communities`, as a form's automatic fields get them.
    public static func values(_ queries: [MeasureQuery], communities: [String], context: MeasureContext) async throws -> [[String: Int64]] {
        let errors = queries.enumerated().flatMap { Capabilities.measures.check($0.element, field: "fields[\($0.offset)]") }
        if let e = errors.first { throw e }
        return try await Capabilities.measures.values(queries, communities: communities, context: context)
    }

    /// The catalogue as a Markdown table: id, label, kind, unit, filters, columns and how each is worked out.
    public static func markdown() -> String {
        var out = ["| 数据项 | 名称 | 类型 | 单位 | 筛选条件 | 说明 |", "|---|---|---|---|---|---|"]
        for d in definitions {
            let kind = ["count": "计数", "sum": "合计", "list": "名单"][d.kind.rawValue] ?? d.kind.rawValue
            let filters = d.filters.map { f -> String in
                switch f.kind {
                case .choice(let cs): return "`\(f.name)` \(f.label)（\(cs.map { "\($0.value)=\($0.label)" }.joined(separator: "、"))）"
                case .integer(let r): return "`\(f.name)` \(f.label)（\(r.lowerBound)–\(r.upperBound)）"
                case .flag: return "`\(f.name)` \(f.label)（true/false）"
                }
            }.joined(separator: "；")
            var note = d.note
            if !d.columns.isEmpty {
                note += " 列：" + d.columns.map { $0.sensitive ? "\($0.label)（敏感，默认脱敏）" : $0.label }.joined(separator: "、") + "。"
            }
            out.append("| `\(d.id)` | \(d.label) | \(kind) | \(d.unit) | \(filters.isEmpty ? "—" : filters) | \(note) |")
        }
        return out.joined(separator: "\n") + "\n"
    }
}
