import Foundation
import LinliCore

/// Charts drawn on the server as inline SVG: nothing loads from outside, they print as vectors, and
/// every label (Chinese names included) is escaped text (`Markup`).
enum SVGChart {
    static let palette = ["#2b6cb0", "#dd6b20", "#38a169", "#805ad5", "#d53f8c", "#319795"]
    static let font: Markup = #"font-family="Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, sans-serif""#

    private static func f(_ v: Double) -> String { String(format: "%.1f", v) }

    private static func open(_ width: Int, _ height: Int, title: String) -> Markup {
        """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(width) \(height)" width="100%" role="img" aria-label="\(title)" \(font) font-size="12">\
        <title>\(title)</title><text x="0" y="16" font-size="14" font-weight="bold" fill="#1f2933">\(title)</text>
        """
    }

    /// Horizontal bars, in the order given (rank them first), with the value at the end of each bar and
    /// the target as a dashed line.
    static func bar(title: String, items: [(label: String, value: Double)], unit: String, target: Double? = nil,
                    empty: String = "暂无数据") -> Markup {
        let rowHeight = 20, top = 28, labelWidth = 130, barWidth = 360.0
        let height = top + max(1, items.count) * rowHeight + 8
        let maxValue = max(items.map(\.value).max() ?? 0, target ?? 0, 1e-9)
        var s = open(labelWidth + Int(barWidth) + 90, height, title: title)
        if items.isEmpty { s += ##"<text x="0" y="44" fill="#52606d">\##(empty)</text>"## }
        for (i, item) in items.enumerated() {
            let y = top + i * rowHeight, w = max(0, item.value) / maxValue * barWidth
            s += """
                <text x="\(labelWidth - 6)" y="\(y + 14)" text-anchor="end" fill="#1f2933">\(item.label)</text>\
                <rect x="\(labelWidth)" y="\(y + 3)" width="\(f(w))" height="\(rowHeight - 6)" fill="\(palette[0])"/>\
                <text x="\(f(Double(labelWidth) + w + 4))" y="\(y + 14)" fill="#1f2933">\(IndicatorFormat.number(item.value))\(unit)</text>
                """
        }
        if let t = target {
            let x = Double(labelWidth) + t / maxValue * barWidth
            s += ##"<line x1="\##(f(x))" y1="\##(top)" x2="\##(f(x))" y2="\##(height - 4)" stroke="#c53030" stroke-dasharray="4 3"/>"##
            s += ##"<text x="\##(f(x + 3))" y="\##(top - 2)" fill="#c53030">目标 \##(IndicatorFormat.number(t))</text>"##
        }
        return s + "</svg>"
    }

    /// A line through the points in order (periods), with dots, the first and last labels and the target.
    static func line(title: String, points: [(label: String, value: Double)], unit: String, target: Double? = nil) -> Markup {
        let width = 560, height = 220, left = 56.0, right = 16.0, top = 30.0, bottom = 40.0
        var s = open(width, height, title: title)
        guard !points.isEmpty else { return s + ##"<text x="0" y="48" fill="#52606d">还没有快照：每月自动保存一次，也可运行 linli indicators snapshot</text></svg>"## }
        let values = points.map(\.value) + (target.map { [$0] } ?? [])
        var lo = values.min()!, hi = values.max()!
        if hi - lo < 1e-9 { lo -= 1; hi += 1 }
        let plotW = Double(width) - left - right, plotH = Double(height) - top - bottom
        func x(_ i: Int) -> Double { points.count == 1 ? left + plotW / 2 : left + Double(i) / Double(points.count - 1) * plotW }
        func y(_ v: Double) -> Double { top + (hi - v) / (hi - lo) * plotH }
        s += ##"<line x1="\##(f(left))" y1="\##(f(top + plotH))" x2="\##(f(left + plotW))" y2="\##(f(top + plotH))" stroke="#9aa5b1"/>"##
        for v in [lo, hi] {
            s += ##"<text x="\##(f(left - 4))" y="\##(f(y(v) + 4))" text-anchor="end" fill="#52606d">\##(IndicatorFormat.number(v))</text>"##
        }
        if let t = target {
            s += ##"<line x1="\##(f(left))" y1="\##(f(y(t)))" x2="\##(f(left + plotW))" y2="\##(f(y(t)))" stroke="#c53030" stroke-dasharray="4 3"/>"##
            s += ##"<text x="\##(f(left + plotW))" y="\##(f(y(t) - 3))" text-anchor="end" fill="#c53030">目标 \##(IndicatorFormat.number(t))</text>"##
        }
        let path: String = points.indices.map { "\(f(x($0))),\(f(y(points[$0].value)))" }.joined(separator: " ")
        s += ##"<polyline points="\##(path)" fill="none" stroke="\##(palette[0])" stroke-width="2"/>"##
        for (i, p) in points.enumerated() {
            s += ##"<circle cx="\##(f(x(i)))" cy="\##(f(y(p.value)))" r="3" fill="\##(palette[0])"><title>\##(p.label)：\##(IndicatorFormat.number(p.value))\##(unit)</title></circle>"##
        }
        for i in Set([0, points.count - 1]).sorted() {
            // The first label starts at its point, the last ends at its point: neither runs off the chart.
            let anchor = points.count == 1 ? "middle" : i == 0 ? "start" : "end"
            s += ##"<text x="\##(f(x(i)))" y="\##(height - 16)" text-anchor="\##(anchor)" fill="#52606d">\##(points[i].label)</text>"##
        }
        return s + "</svg>"
    }

    /// Parts of a whole as a ring, with a legend of labels, counts and shares.
    static func donut(title: String, parts: [(label: String, count: Int64)]) -> Markup {
        let total = parts.reduce(0) { $0 + $1.count }
        var s = open(480, 210, title: title)
        let cx = 100.0, cy = 115.0, r = 70.0, stroke = 34.0, circumference = 2 * Double.pi * r
        guard total > 0 else { return s + ##"<text x="0" y="48" fill="#52606d">暂无数据</text></svg>"## }
        var offset = 0.0
        for (i, p) in parts.enumerated() {
            let share = Double(p.count) / Double(total), length = share * circumference
            s += """
                <circle cx="\(f(cx))" cy="\(f(cy))" r="\(f(r))" fill="none" stroke="\(palette[i % palette.count])" stroke-width="\(f(stroke))" \
                stroke-dasharray="\(f(length)) \(f(circumference - length))" stroke-dashoffset="\(f(-offset))" transform="rotate(-90 \(f(cx)) \(f(cy)))"/>
                """
            offset += length
            let ly = 50 + i * 24
            s += """
                <rect x="210" y="\(ly)" width="14" height="14" fill="\(palette[i % palette.count])"/>\
                <text x="230" y="\(ly + 12)" fill="#1f2933">\(p.label)  \(p.count)人（\(IndicatorFormat.number(share * 100))%）</text>
                """
        }
        s += ##"<text x="\##(f(cx))" y="\##(f(cy + 5))" text-anchor="middle" font-size="14" fill="#1f2933">\##(total)人</text>"##
        return s + "</svg>"
    }

    /// A small trend line for a table cell.
    static func sparkline(_ values: [Double]) -> Markup {
        guard values.count >= 2, let lo = values.min(), let hi = values.max() else { return .empty }
        let span = hi - lo < 1e-9 ? 1 : hi - lo
        let pts = values.indices.map { "\(f(Double($0) / Double(values.count - 1) * 76 + 2)),\(f(18 - (values[$0] - lo) / span * 16))" }
        return ##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 80 20" width="80" height="20" aria-hidden="true"><polyline points="\##(pts.joined(separator: " "))" fill="none" stroke="#2b6cb0" stroke-width="1.5"/></svg>"##
    }
}
