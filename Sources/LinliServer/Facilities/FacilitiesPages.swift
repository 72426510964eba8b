import Foundation
import LinliCore
import LinliData
import Vapor

/// The console's facility register: a paged list filtered by community and kind, the form that adds a facility,
/// and a facility's page with the form that changes it (at its version).
struct FacilitiesPages {
    func boot(_ routes: Routes) {
        let f = routes.grouped("console", "facilities")
        f.get(needs: .permission(.facilitiesRead), use: list)
        f.get("new", needs: .permission(.facilitiesManage), use: newForm)
        f.post("new", needs: .permission(.facilitiesManage), use: create)
        f.get(":id", needs: .permission(.facilitiesRead), use: show)
        f.post(":id", needs: .permission(.facilitiesManage), use: update)
    }

    static let crumbs = [Crumb("工作台", "/console"), Crumb("设施台账", "/console/facilities")]

    static func kindOptions(blank: String?) -> [(String, String)] {
        (blank.map { [("", $0)] } ?? []) + FacilityKind.allCases.map { ($0.rawValue, "\($0.label)（\($0.circle.rawValue)分钟）") }
    }

    func list(req: Request) async throws -> Response {
        let user = try req.webUser(.facilitiesRead)
        let q = req.facilities
        let communities = try await q.communities(in: req.registryScope)
        let community = req.formQuery("community").flatMap { c in communities.contains { $0.code == c } ? c : nil }
        let kind = req.formQuery("kind").flatMap(FacilityKind.parse)
        let page = try await q.list(in: req.registryScope, community: community, kind: kind, page: req.consolePage(perPage: 30))
        let rows = page.items.map { f -> [Markup] in
            ["<a href=\"/console/facilities/\(f.id)\">\(f.name)</a>", Markup.text(f.kind.label), Markup.text(f.communityName ?? f.communityCode),
             Markup.text(f.address), Markup.text(f.openingHours ?? "未填"), f.point == nil ? "<span class=\"badge yellow\">位置未填</span>" : "<span class=\"badge\">已定位</span>"]
        }
        let body: Markup = """
            <h1>设施台账</h1>
            <p class="muted">规划：“科学规划和规范建设便民服务点,完善社区“10分钟”生活服务圈、卫生服务圈、文化服务圈”。设施类型按《城市居住区规划设计标准》（GB 50180-2018）的5、10、15分钟生活圈划分；养老服务设施与居家养老共用一本台账。</p>
            <p>\(user.may(.facilitiesManage) ? "<a class=\"button\" href=\"/console/facilities/new\">登记设施</a> " : Markup.empty)<a href="/console/facilities/coverage">服务圈覆盖</a>\(user.may(.facilitiesSettings) ? " · <a href=\"/console/facilities/settings\">服务半径设置</a>" : Markup.empty)</p>
            <form method="get" action="/console/facilities" class="filters">
            \(Console.select("村/社区", name: "community", options: [("", "全部")] + communities.map { ($0.code, $0.name) }, selected: community))
            \(Console.select("类型", name: "kind", options: Self.kindOptions(blank: "全部"), selected: kind?.rawValue))
            <button type="submit">筛选</button></form>
            \(Console.table(["名称", "类型", "村/社区", "地址", "开放时间", "位置"], rows, empty: "没有符合条件的设施"))
            \(Console.pager(page, path: "/console/facilities", query: [("community", community), ("kind", kind?.rawValue)]))
            """
        return Console.page(req, user, title: "设施台账", crumbs: [Crumb("工作台", "/console"), Crumb("设施台账")], body: body)
    }

    struct FacilityForm: Content {
        var csrf: String?
        var community: String?
        var kind: String?
        var name: String?
        var address: String?
        var latitude: String?
        var longitude: String?
        var opening_hours: String?
        var operator_name: String?
        var version: String?

        init(csrf: String? = nil, community: String? = nil, kind: String? = nil, name: String? = nil, address: String? = nil, latitude: String? = nil,
             longitude: String? = nil, opening_hours: String? = nil, operator_name: String? = nil, version: String? = nil) {
            self.csrf = csrf; self.community = community; self.kind = kind; self.name = name; self.address = address; self.latitude = latitude
            self.longitude = longitude; self.opening_hours = opening_hours; self.operator_name = operator_name; self.version = version
        }

        init(_ f: FacilityRecord) {
            self.init(community: f.communityCode, kind: f.kind.rawValue, name: f.name, address: f.address, latitude: f.latitude.map { String($0) },
                      longitude: f.longitude.map { String($0) }, opening_hours: f.openingHours, operator_name: f.operatorName, version: String(f.version))
        }

        /// The typed input; a coordinate that is not a number is refused at its field.
        func input() throws -> FacilityInput {
            var errors = FieldErrors()
            func number(_ raw: String?, _ field: String) -> Double? {
                guard let t = raw?.trimmingCharacters(in: .whitespaces), !t.isEmpty else { return nil }
                guard let v = Double(t), v.isFinite else { errors.add(field, "应为数字（度，如 32.45）"); return nil }
                return v
            }
            let lat = number(latitude, "latitude"), lon = number(longitude, "longitude")
            guard errors.isEmpty else { throw RegistryError.invalid(errors.errors) }
            return FacilityInput(name: name, kind: kind, communityCode: community, address: address, latitude: lat, longitude: lon,
                                 openingHours: opening_hours, operatorName: operator_name)
        }
    }

    func form(_ user: WebUser, _ v: FacilityForm, communities: [DivisionRecord], action: String, errors: [FieldError], locked: Bool) -> Markup {
        func err(_ f: String) -> String? { errors.first { $0.field == f }?.message }
        return """
            \(Console.formErrors(errors))
            <form method="post" action="\(action)">\(Console.csrfField(user))
            \(v.version.map { "<input type=\"hidden\" name=\"version\" value=\"\($0)\">" as Markup } ?? .empty)
            \(locked ? "<input type=\"hidden\" name=\"community\" value=\"\(v.community ?? "")\"><input type=\"hidden\" name=\"kind\" value=\"\(v.kind ?? "")\"><p class=\"muted\">养老服务设施的类型、所属社区和面积床位在“居家养老 · 设施”中维护。</p>" as Markup
                : Console.select("村/社区", name: "community", options: communities.map { ($0.code, $0.name) }, selected: v.community, error: err("community_code"), required: true)
                    + Console.select("类型", name: "kind", options: Self.kindOptions(blank: nil), selected: v.kind, error: err("kind"), required: true))
            \(Console.field("名称", name: "name", value: v.name, error: err("name"), required: true, extra: "maxlength=\"\(FacilityRules.nameMax)\""))
            \(Console.field("地址", name: "address", value: v.address, error: err("address"), required: true, extra: "maxlength=\"\(FacilityRules.addressMax)\""))
            \(Console.field("纬度", name: "latitude", value: v.latitude, error: err("latitude"), required: true, hint: "本区范围 32.25–32.65",
                            extra: "inputmode=\"decimal\""))
            \(Console.field("经度", name: "longitude", value: v.longitude, error: err("longitude"), required: true, hint: "本区范围 119.75–120.15",
                            extra: "inputmode=\"decimal\""))
            \(Console.field("开放时间", name: "opening_hours", value: v.opening_hours, error: err("opening_hours"), required: true,
                            hint: "如“周一至周五 08:30-17:30；周六 09:00-12:00”，或“每天 06:00-18:00”“24小时”", extra: "maxlength=\"\(OpeningHours.maxLength)\""))
            \(Console.field("运营单位", name: "operator_name", value: v.operator_name, error: err("operator_name"), required: true,
                            extra: "maxlength=\"\(FacilityRules.operatorMax)\""))
            <button type="submit">保存</button></form>
            """
    }

    func newForm(req: Request) async throws -> Response {
        let user = try req.webUser(.facilitiesManage)
        return try await renderNew(req, user, FacilityForm(community: req.formQuery("community"), kind: req.formQuery("kind")), errors: [], status: .ok)
    }

    func renderNew(_ req: Request, _ user: WebUser, _ v: FacilityForm, errors: [FieldError], status: HTTPResponseStatus) async throws -> Response {
        let communities = try await req.facilities.communities(in: req.registryScope)
        let body: Markup = "<h1>登记设施</h1>" + form(user, v, communities: communities, action: "/console/facilities/new", errors: errors, locked: false)
        return Console.page(req, user, title: "登记设施", crumbs: Self.crumbs + [Crumb("登记设施")], body: body, status: status, wide: false)
    }

    func create(req: Request) async throws -> Response {
        let user = try req.webUser(.facilitiesManage)
        let f = (try? req.content.decode(FacilityForm.self)) ?? FacilityForm()
        try req.checkCSRF(user, f.csrf)
        do {
            let made = try await req.facilities.create(try f.input(), in: req.registryScope, by: req.auditActor)
            return req.redirect(to: "/console/facilities/\(made.id)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await renderNew(req, user, f, errors: errors, status: .unprocessableEntity)
        }
    }

    func show(req: Request) async throws -> Response {
        let user = try req.webUser(.facilitiesRead)
        let f = try await req.facilities.facility(try req.pathUUID(), in: req.registryScope)
        return try await renderShow(req, user, f, FacilityForm(f), errors: [], status: .ok)
    }

    func renderShow(_ req: Request, _ user: WebUser, _ f: FacilityRecord, _ v: FacilityForm, errors: [FieldError], status: HTTPResponseStatus) async throws -> Response {
        var communities: [DivisionRecord] = []
        if user.may(.facilitiesManage) { communities = try await req.facilities.communities(in: req.registryScope) }
        let where_: Markup = f.point.map { p -> Markup in "纬度 \(String(format: "%.6f", p.latitude))，经度 \(String(format: "%.6f", p.longitude))" } ?? "<span class=\"badge yellow\">位置未填</span>"
        let body: Markup = """
            <p class="muted">\(f.communityName ?? f.communityCode) · \(f.kind.label)（\(f.kind.circle.label)）</p>
            <h1>\(f.name)</h1>
            <dl class="facts"><dt>地址</dt><dd>\(f.address)</dd><dt>位置</dt><dd>\(where_)</dd><dt>开放时间</dt><dd>\(f.openingHours ?? "未填")</dd>
            <dt>运营单位</dt><dd>\(f.operatorName ?? "未填")</dd>\(f.source == "care" ? "<dt>来源</dt><dd>居家养老服务设施</dd>" as Markup : .empty)</dl>
            <p><a href="/console/facilities/community/\(f.communityCode)?kind=\(f.kind.rawValue)">查看\(f.communityName ?? "")\(f.kind.label)覆盖与地图</a></p>
            \(user.may(.facilitiesManage) ? "<h2>修改</h2>" + form(user, v, communities: communities, action: "/console/facilities/\(f.id)", errors: errors, locked: f.source == "care") : Markup.empty)
            """
        return Console.page(req, user, title: f.name, crumbs: Self.crumbs + [Crumb(f.name)], body: body, status: status, wide: false)
    }

    func update(req: Request) async throws -> Response {
        let user = try req.webUser(.facilitiesManage)
        let v = (try? req.content.decode(FacilityForm.self)) ?? FacilityForm()
        try req.checkCSRF(user, v.csrf)
        let id = try req.pathUUID()
        let f = try await req.facilities.facility(id, in: req.registryScope)
        do {
            _ = try await req.facilities.update(id, try v.input(), version: try requireVersion(v.version.flatMap { Int($0) }), in: req.registryScope, by: req.auditActor)
            return req.redirect(to: "/console/facilities/\(id)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await renderShow(req, user, f, v, errors: errors, status: .unprocessableEntity)
        }
    }
}
