import Foundation
import LinliCore
import LinliData
import Vapor

/// The console's service-circle pages, all read from the coverage snapshot: the overview (per street for the
/// district, per community below it: residents covered by each circle and by the key kinds), a community's page
/// (every kind, the map for a chosen kind, the buildings out of reach, the best site for one more), and the
/// district's radii and detour factor.
struct FacilitiesCoveragePages {
    func boot(_ routes: Routes) {
        let f = routes.grouped("console", "facilities")
        f.get("coverage", needs: .permission(.facilitiesRead), use: overview)
        f.get("community", ":community", needs: .permission(.facilitiesRead), use: community)
        f.get("settings", needs: .permission(.facilitiesSettings), use: settings)
        f.post("settings", needs: .permission(.facilitiesSettings), use: saveSettings)
    }

    static let columns: [(String, String)] = ServiceCircle.allCases.map { (CoverageRow.circleKey($0), $0.label) }
        + FacilitiesIndicators.keyKinds.map { ($0.rawValue, $0.label) }

    func overview(req: Request) async throws -> Response {
        let user = try req.webUser(.facilitiesRead)
        let scope = try req.narrowedScope()
        let level = scope.prefix.count <= 6 ? 9 : 12
        var table: [String: [String: CoverageShare]] = [:]
        var names: [String: String] = [:]
        for (code, name, shares) in try await FacilitiesService.table(req, scope: scope, keys: Self.columns.map(\.0), level: level) {
            table[code] = shares
            names[code] = name
        }
        let rows = table.keys.sorted().map { code -> [Markup] in
            let link: Markup = level == 9 ? "<a href=\"/console/facilities/coverage?division=\(code)\">\(names[code] ?? code)</a>"
                : "<a href=\"/console/facilities/community/\(code)\">\(names[code] ?? code)</a>"
            return [link, Markup.text(String(table[code]?[CoverageRow.circleKey(.ten)]?.residents ?? 0))]
                + Self.columns.map { key, _ in Self.cell(table[code]?[key]) }
        }
        let computed = try await req.facilitiesCoverage.computedAt()
        let body: Markup = """
            <h1>服务圈覆盖</h1>
            <p class="muted">规划：“完善社区“10分钟”生活服务圈、卫生服务圈、文化服务圈”。楼栋到最近一处某类设施的直线距离乘以绕行系数不超过该类的服务半径，即为覆盖；“N分钟生活圈”指该圈各类设施都覆盖。百分比为覆盖居民占比（按在册居民计）。\(computed.map { "数据计算于 \(FacilitiesCoveragePages.time($0))。" } ?? "尚未计算。")</p>
            <p><a href="/console/facilities">设施台账</a>\(user.may(.facilitiesSettings) ? " · <a href=\"/console/facilities/settings\">服务半径设置</a>" : Markup.empty)</p>
            \(Console.table([level == 9 ? "镇/街道" : "村/社区", "居民"] + Self.columns.map(\.1), rows, empty: "辖区内没有楼栋"))
            """
        return Console.page(req, user, title: "服务圈覆盖", crumbs: [Crumb("工作台", "/console"), Crumb("设施台账", "/console/facilities"), Crumb("服务圈覆盖")], body: body)
    }

    /// A share as "87.5%", red below 60 %, yellow below 90 %.
    static func cell(_ s: CoverageShare?) -> Markup {
        guard let s, let p = s.residentsPercent else { return "—" }
        let tone = p < 60 ? " red" : p < 90 ? " yellow" : ""
        return "<span class=\"badge\(tone)\">\(String(format: "%.1f%%", p))</span>"
    }

    static func time(_ t: Int64) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "zh_CN")
        f.timeZone = TimeZone(identifier: "Asia/Shanghai")
        f.dateFormat = "yyyy-MM-dd HH:mm"
        return f.string(from: Date(timeIntervalSince1970: TimeInterval(t)))
    }

    func community(req: Request) async throws -> Response {
        let user = try req.webUser(.facilitiesRead)
        let c = try await req.facilities.community(req.parameters.get("community"), in: req.registryScope)
        let kind = req.formQuery("kind").flatMap(FacilityKind.parse) ?? .market
        let cov = req.facilitiesCoverage
        let rows = try await cov.rows(prefix: c.code)
        let byKey = Dictionary(uniqueKeysWithValues: rows.map { ($0.kind, $0.share) })
        let settings = try await req.facilities.settings()
        let kindRows = FacilityKind.allCases.map { k -> [Markup] in
            let s = byKey[k.rawValue]
            return ["<a href=\"/console/facilities/community/\(c.code)?kind=\(k.rawValue)#map\">\(k.label)</a>", Markup.text(k.circle.label),
                    Markup.text("\(settings.radius(k)) 米"), Markup.text(s.map { "\($0.buildingsCovered)/\($0.buildings)" } ?? "—"), Self.cell(s)]
        }
        let map = try await cov.map(of: c, kind: kind)
        let out = try await cov.uncovered(community: c.code, kind: kind, limit: 50)
        let outRows = out.map { u -> [Markup] in
            [Markup.text(u.name), Markup.text(u.address), Markup.text(String(u.residents)), Markup.text(u.nearest.map { "\($0) 米" } ?? "5公里内没有")]
        }
        let gap = try await cov.gap(map, kind: kind)
        let gapText: Markup = gap.map { g -> Markup in
            """
            <p>在 <b>\(g.name)</b>（纬度 \(String(format: "%.5f", g.point.latitude))、经度 \(String(format: "%.5f", g.point.longitude))）附近新设一处\(kind.label)，可新覆盖 \(g.choice.buildingsGained) 幢楼、\(g.choice.residentsGained) 名居民，\(kind.label)覆盖居民占比由 \(FacilitiesService.percent(g.choice.before)) 提高到 \(FacilitiesService.percent(g.choice.after))。</p>
            """
        } ?? "<p>本社区居民均在\(kind.label)服务半径内，无需补点。</p>"
        let body: Markup = """
            <h1>\(c.name) · 服务设施覆盖</h1>
            <p><a href="/console/facilities?community=\(c.code)">本社区设施台账</a> · <a href="/nearby/\(c.code)">门户页面</a></p>
            \(Console.table(["设施类型", "生活圈", "服务半径", "覆盖楼栋", "覆盖居民"], kindRows))
            <h2 id="map">\(kind.label)覆盖地图</h2>
            <form method="get" action="/console/facilities/community/\(c.code)" class="filters">
            \(Console.select("设施类型", name: "kind", options: FacilitiesPages.kindOptions(blank: nil), selected: kind.rawValue))<button type="submit">查看</button></form>
            \(FacilitiesMap.svg(map, kind: kind, residents: true))
            <h2>补点建议</h2>
            <p class="muted">在本社区楼栋位置中逐一试算，选能新覆盖未覆盖居民最多的一处（贪心选择，绕行系数 \(String(format: "%.2f", settings.detour))）。</p>
            \(gapText)
            <h2>服务半径外的楼栋（\(out.count)\(out.count >= 50 ? "+" : "")）</h2>
            \(Console.table(["楼栋", "地址", "居民数", "最近\(kind.label)"], outRows, empty: "没有服务半径外的楼栋"))
            """
        return Console.page(req, user, title: c.name + "服务设施覆盖", crumbs: [Crumb("工作台", "/console"), Crumb("服务圈覆盖", "/console/facilities/coverage"), Crumb(c.name)],
                            body: body)
    }

    struct SettingsForm: Content {
        var csrf: String?
        var detour: String?
        var version: String?
    }

    func settings(req: Request) async throws -> Response {
        let user = try req.webUser(.facilitiesSettings)
        let s = try await req.facilities.settings()
        return renderSettings(req, user, s, values: [:], errors: [], status: .ok)
    }

    func renderSettings(_ req: Request, _ user: WebUser, _ s: FacilitySettings, values: [String: String], errors: [FieldError], status: HTTPResponseStatus) -> Response {
        func err(_ f: String) -> String? { errors.first { $0.field == f }?.message }
        let fields = FacilityKind.allCases.map { k -> Markup in
            Console.field("\(k.label)（\(k.circle.label)）服务半径（米）", name: "radius_\(k.rawValue)", value: values["radius_\(k.rawValue)"] ?? String(s.radius(k)),
                          error: err("radii.\(k.rawValue)"), type: "number", extra: "min=\"100\" max=\"3000\" step=\"10\" inputmode=\"numeric\"")
        }
        let body: Markup = """
            <h1>服务半径设置</h1>
            <p class="muted">默认按《城市居住区规划设计标准》：5分钟生活圈300米，10分钟500米，15分钟1000米。修改后立即重新计算全区覆盖。</p>
            \(Console.formErrors(errors))
            <form method="post" action="/console/facilities/settings">\(Console.csrfField(user))
            <input type="hidden" name="version" value="\(s.version)">
            \(Console.field("绕行系数", name: "detour", value: values["detour"] ?? String(s.detour), error: err("detour"), type: "number", required: true,
                            hint: "直线距离乘以此系数视为步行距离，1.0至3.0", extra: "min=\"1\" max=\"3\" step=\"0.05\" inputmode=\"decimal\""))
            \(fields)
            <button type="submit">保存并重新计算</button></form>
            """
        return Console.page(req, user, title: "服务半径设置", crumbs: FacilitiesPages.crumbs + [Crumb("服务半径设置")], body: body, status: status, wide: false)
    }

    func saveSettings(req: Request) async throws -> Response {
        let user = try req.webUser(.facilitiesSettings)
        let f = (try? req.content.decode(SettingsForm.self)) ?? SettingsForm()
        try req.checkCSRF(user, f.csrf)
        let all = (try? req.content.decode([String: String].self)) ?? [:]
        let current = try await req.facilities.settings()
        var errors = FieldErrors()
        var radii: [String: Int] = [:]
        for k in FacilityKind.allCases {
            guard let raw = all["radius_\(k.rawValue)"]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { continue }
            if let v = Int(raw) { radii[k.rawValue] = v } else { errors.add("radii.\(k.rawValue)", "\(k.label)的服务半径应为整数米") }
        }
        let detourText = f.detour?.trimmingCharacters(in: .whitespaces) ?? ""
        let detour = Double(detourText)
        if detour == nil { errors.add("detour", "绕行系数应为1.0至3.0之间的数") }
        do {
            guard errors.isEmpty else { throw RegistryError.invalid(errors.errors) }
            _ = try await req.facilities.saveSettings(detour: detour, radii: radii, version: try requireVersion(f.version.flatMap { Int($0) }), by: req.auditActor)
            return req.redirect(to: "/console/facilities/coverage", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return renderSettings(req, user, current, values: all, errors: errors, status: .unprocessableEntity)
        }
    }
}
