import Foundation
import LinliCore
import LinliData
import Vapor

/// `/console/indicators`: the plan's targets for one's area (or a division inside it, `?division=`),
/// with status colours, trends, communities ranked, the population structure, and the table as Excel or CSV.
struct IndicatorPages {
    func boot(_ routes: Routes) {
        let web = routes.grouped("console")
        web.get("indicators", needs: .permission(.indicatorsRead), use: dashboard)
        web.get("indicators.xlsx", needs: .permission(.indicatorsRead)) { try await Self.download($0, "xlsx") }
        web.get("indicators.csv", needs: .permission(.indicatorsRead)) { try await Self.download($0, "csv") }
    }

    static func download(_ req: Request, _ format: String) async throws -> Response {
        _ = try req.webUser()
        return try await IndicatorService.export(req, format: format)
    }

    func dashboard(req: Request) async throws -> Response {
        let user = try req.webUser()
        let p = user.principal
        let (table, division) = try await IndicatorService.table(req)
        let rank = (try req.queryString("rank", maxLength: 60)).flatMap { Capabilities.indicatorCatalog.definition($0) }.flatMap { $0.measured ? $0 : nil }
            ?? Capabilities.indicatorCatalog.definition("population.age_60_plus")!
        var series = try await IndicatorQueries(req.db).series(division: division.code)
        // A division a boundary change created: its trend continues its predecessors', marked as such.
        let lineage = try await req.boundary.lineage(of: division.code, own: series)
        if let lineage { series = lineage.series }
        let ancestors = try await ancestors(of: division, within: p.account.divisionCode, req)
        let body = (lineage.map { l -> Markup in "<p class=\"muted\" role=\"note\">区划沿革：\(l.note)。<a href=\"/console/boundary/divisions/\(division.code)\">查看</a></p>" } ?? Markup.empty)
            + IndicatorDashboard(table: table, division: division, rank: rank, series: series, ancestors: ancestors).html
        let crumbs = [Crumb("工作台", "/console")] + ancestors.map { Crumb($0.name, "/console/indicators?division=\($0.code)") }
            + [Crumb("规划指标 · " + division.name)]
        return Console.page(req, user, title: "规划指标 · \(division.name)", crumbs: crumbs, body: body)
    }

    /// The enclosing divisions from the account's own down to the parent of `division`.
    private func ancestors(of division: IndicatorDivision, within own: String, _ req: Request) async throws -> [IndicatorDivision] {
        var out: [IndicatorDivision] = []
        var code = (try? DivisionCode(division.code))?.parent
        let scope = RegistryScope(validatedCode: own)
        while let c = code, scope.contains(code: c.value) {
            if let d = try await IndicatorQueries(req.db).division(c.value) { out.insert(d, at: 0) }
            code = c.parent
        }
        return out
    }
}

/// The page itself, from the table: a plain value to render and to test.
struct IndicatorDashboard {
    var table: IndicatorTable
    var division: IndicatorDivision
    var rank: IndicatorDefinition
    var series: [String: [IndicatorQueries.Point]]
    var ancestors: [IndicatorDivision]

    var html: Markup {
        let q = "division=\(division.code)"
        let children = table.children(of: division.code)
        let childLinks = children.map { (c: IndicatorDivision) -> Markup in "<a href=\"/console/indicators?division=\(c.code)&amp;rank=\(rank.code)\">\(c.name)</a>" }
            .joined(separator: " ")
        let values = table.values(for: division.code)
        let measured = values.filter(\.definition.measured), missing = values.filter { !$0.definition.measured }
        let rows = measured.map { v -> Markup in
            let d = v.definition
            let value: Markup = v.reading.map { "\(IndicatorFormat.number($0.value)) \(d.unit)" } ?? "—"
            let fraction = v.reading.flatMap { r in r.denominator.map { "\(IndicatorFormat.number(r.numerator)) / \(IndicatorFormat.number($0))" } } ?? ""
            let gap = v.gap.map { ($0 >= 0 ? "+" : "") + IndicatorFormat.number($0) } ?? "—"
            let trend = SVGChart.sparkline((series[d.code] ?? []).compactMap(\.value))
            return """
                <tr><td>\(d.name)<div class="small">\(d.numerator)\(d.denominator.map { " ÷ " + $0 } ?? "")</div></td>\
                <td class="num">\(value)<div class="small">\(fraction)</div></td><td class="num">\(d.target.map { $0.text } ?? "—")</td>\
                <td class="num">\(gap)</td><td><span class="chip st-\(v.status.rawValue)">\(v.status.label)</span></td>\
                <td>\(trend.isEmpty ? "<span class=\"small\">—</span>" : trend)</td></tr>
                """
        }
        let missingRows = missing.map { (v: IndicatorValue) -> Markup in
            "<tr><td>\(v.definition.name)</td><td class=\"num\">\(v.definition.target.map { $0.text + " " + v.definition.unit } ?? "—")</td>"
                + "<td>\(v.definition.clause)</td><td>\(v.definition.needs ?? "")</td></tr>"
        }
        let c = table.counts[division.code] ?? IndicatorCounts()
        let ages = SVGChart.donut(title: "年龄结构", parts: AgeBand.allCases.map { ($0.label, c.ageBands[$0.rawValue]) })
        let residence = SVGChart.donut(title: "户籍、常住与流动人口", parts: ResidenceStatus.allCases.enumerated().map {
            ($0.element.label + "人口", c.residence[$0.offset])
        })
        let ranked = children.compactMap { child in table.reading(rank.code, for: child.code).map { (label: child.name, value: $0.value) } }
            .sorted { ($0.value, $1.label) > ($1.value, $0.label) }
        let levelName = children.first?.level.label ?? "下级区划"
        let bar: Markup = children.isEmpty ? .empty : "<figure>" + SVGChart.bar(title: "\(levelName)排名：\(rank.name)", items: ranked, unit: rank.unit,
                                                                     target: rank.target?.value,
                                                                     empty: children.first?.level == .grid
                                                                        ? "网格一级没有此指标（事项和社工按村/社区统计）" : "暂无数据") + "</figure>"
        let points = (series[rank.code] ?? []).compactMap { p in p.value.map { (label: p.period, value: $0) } }
        let line = SVGChart.line(title: "趋势：\(rank.name)（\(rank.unit)）", points: points, unit: rank.unit, target: rank.target?.value)
        let options = Capabilities.indicatorCatalog.all.filter(\.measured).map { (d: IndicatorDefinition) -> Markup in
            "<option value=\"\(d.code)\"\(d.code == rank.code ? " selected" : "")>\(d.name)</option>"
        }
        return """
            <h1>规划指标 · \(division.name)</h1>
              <p class="small">\(division.level.label)，截至 \(table.today.description)。依据《泰州医药高新区社区建设与管理“十三五”专项规划》发展目标；
                 状态：达标、接近（差距不足目标的十分之一）、未达标、监测（规划未设目标）、暂无数据。</p>
              <p class="exports"><a href="/console/indicators.xlsx?\(q)">导出 Excel（.xlsx）</a> <a href="/console/indicators.csv?\(q)">导出 CSV</a></p>
              \(childLinks.isEmpty ? "" : "<nav class=\"children\"><strong>\(levelName)：</strong>\(childLinks)</nav>")
              <div class="scroll"><table><tr><th>指标（分子 ÷ 分母）</th><th>数值</th><th>目标</th><th>差距</th><th>状态</th><th>趋势</th></tr>\(rows)</table></div>
              <form method="get" action="/console/indicators"><input type="hidden" name="division" value="\(division.code)">
                <label>排名与趋势的指标 <select name="rank">\(options)</select></label> <button type="submit">查看</button></form>
              <div class="charts">\(bar)<figure>\(line)</figure><figure>\(ages)</figure><figure>\(residence)</figure></div>
              <h2>尚未测量的规划目标</h2>
              <p class="small">平台还没有这些目标所需的数据，因此不显示数值；相应模块上线后自动计算。</p>
              <div class="scroll"><table><tr><th>目标</th><th>目标值</th><th>规划原文</th><th>尚需的数据</th></tr>\(missingRows)</table></div>
            """
    }
}
