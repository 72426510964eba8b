import Foundation
import LinliCore
import LinliData

/// A community's map drawn on the server as SVG: its grids' polygons, its buildings as dots (green within reach of
/// the chosen kind, red out of reach; grey with no kind chosen), its facilities as lettered symbols, and a legend.
/// No tiles and no script; `viewBox` with the width of its container, so it fits a phone and prints. Nothing
/// personal is on it (a building's title is its name and, on the console only, its residents).
enum FacilitiesMap {
    static let width = 800.0
    static let margin = 16.0
    static let maxHeight = 640.0

    static func swatch(_ colour: String) -> Markup {
        "<svg width=\"12\" height=\"12\" viewBox=\"0 0 12 12\" aria-hidden=\"true\"><circle cx=\"6\" cy=\"6\" r=\"5\" fill=\"\(colour)\"/></svg>"
    }

    static func svg(_ d: CommunityMapData, kind: FacilityKind?, residents: Bool) -> Markup {
        var points = d.buildings.map(\.point) + d.facilities.compactMap(\.point)
        for g in d.grids { points += g.ring }
        guard let minLat = points.map(\.latitude).min(), let maxLat = points.map(\.latitude).max(),
              let minLon = points.map(\.longitude).min(), let maxLon = points.map(\.longitude).max()
        else { return "<p class=\"empty\">该社区尚无楼栋位置，无法绘制地图。</p>" }
        // Equirectangular at the community's latitude: metres east and north, the same scale both ways.
        let k = cos((minLat + maxLat) / 2 * Double.pi / 180)
        let spanX = max((maxLon - minLon) * k, 1e-5), spanY = max(maxLat - minLat, 1e-5)
        // As wide as the page allows, but no taller than `maxHeight` (a community may be long and narrow).
        let scale = min((width - 2 * margin) / spanX, (maxHeight - 2 * margin) / spanY)
        let height = (spanY * scale + 2 * margin).rounded(.up)
        // Room on the right for symbols set side by side.
        let w = min(width, (spanX * scale + 2 * margin).rounded(.up)) + 80
        func xd(_ p: GeoPoint) -> Double { margin + (p.longitude - minLon) * k * scale }
        func yd(_ p: GeoPoint) -> Double { margin + (maxLat - p.latitude) * scale }
        func n(_ v: Double) -> String { String(format: "%.1f", v) }
        func x(_ p: GeoPoint) -> String { n(xd(p)) }
        func y(_ p: GeoPoint) -> String { n(yd(p)) }
        let grids = d.grids.map { g -> Markup in
            let pts = g.ring.map { "\(x($0)),\(y($0))" }.joined(separator: " ")
            let c = GeoPoint(latitude: g.ring.map(\.latitude).reduce(0, +) / Double(g.ring.count), longitude: g.ring.map(\.longitude).reduce(0, +) / Double(g.ring.count))
            return "<polygon points=\"\(pts)\" fill=\"#f7fafc\" stroke=\"#a0aec0\" stroke-width=\"1\"/><text x=\"\(x(c))\" y=\"\(y(c))\" font-size=\"12\" fill=\"#718096\" text-anchor=\"middle\">\(g.name)</text>"
        }
        let dots = d.buildings.map { b -> Markup in
            let colour = kind == nil ? "#718096" : b.covered ? "#2f855a" : "#c53030"
            let title = b.name + (kind == nil ? "" : b.covered ? "（已覆盖）" : "（未覆盖）") + (residents ? "，居民\(b.residents)人" : "")
            return "<circle cx=\"\(x(b.point))\" cy=\"\(y(b.point))\" r=\"4\" fill=\"\(colour)\"><title>\(title)</title></circle>"
        }
        // Facilities at (nearly) the same place are set side by side, five to a row, so none hides another.
        var taken: [Int: Int] = [:]
        let symbols = d.facilities.compactMap { f -> Markup? in
            guard let p = f.point else { return nil }
            let chosen = f.kind == kind
            let key = Int(xd(p) / 18) * 100_000 + Int(yd(p) / 18)
            let k = taken[key, default: 0]
            taken[key] = k + 1
            let cx = xd(p) + Double(k % 5) * 20, cy = yd(p) + Double(k / 5) * 20
            return """
                <g><rect x="\(n(cx - 9))" y="\(n(cy - 9))" width="18" height="18" rx="3" fill="\(chosen ? "#2b6cb0" : "#ffffff")" stroke="#2b6cb0" stroke-width="1.5"/><text x="\(n(cx))" y="\(n(cy + 4.5))" font-size="12" text-anchor="middle" fill="\(chosen ? "#ffffff" : "#2b6cb0")">\(f.kind.mark)</text><title>\(f.name)（\(f.kind.label)）</title></g>
                """
        }
        let unplaced = d.facilities.filter { $0.point == nil }.count
        let legendKinds = Array(Set(d.facilities.map(\.kind))).sorted { $0.rawValue < $1.rawValue }
        let legend = legendKinds.map { k -> Markup in "<li><svg width=\"18\" height=\"18\" viewBox=\"0 0 18 18\" aria-hidden=\"true\"><rect x=\"1\" y=\"1\" width=\"16\" height=\"16\" rx=\"3\" fill=\"#fff\" stroke=\"#2b6cb0\"/><text x=\"9\" y=\"13\" font-size=\"11\" text-anchor=\"middle\" fill=\"#2b6cb0\">\(k.mark)</text></svg> \(k.label)</li>" }
        return """
            <figure class="map">
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(String(format: "%.0f", w)) \(String(format: "%.0f", height))" width="100%" height="\(String(format: "%.0f", height))" role="img" aria-label="\(d.community.name)设施分布图">
            <title>\(d.community.name)设施分布图\(kind.map { "（\($0.label)覆盖）" } ?? "")</title>
            \(grids)\(dots)\(symbols)
            </svg>
            <figcaption><ul class="legend">\(kind == nil ? Markup.empty : "<li>\(swatch("#2f855a")) 在\(kind?.label ?? "")服务半径内的楼栋</li><li>\(swatch("#c53030")) 服务半径外的楼栋</li>")\(legend)</ul>
            \(unplaced > 0 ? "<p class=\"muted\">另有 \(unplaced) 处设施位置未填，未画出。</p>" : Markup.empty)</figcaption>
            </figure>
            """
    }
}
