import Foundation
import LinliCore
import LinliData
import Vapor

/// The console's dwellings (房屋): the list of one's area (by building, use, number), the form that adds or edits a
/// dwelling, a dwelling's page (the households living in it, placing one there, its rental in force), a building's
/// occupancy (dwellings by use, households, residents, rentals, units) and the floating tenants due for a 居住证.
struct HousingPages {
    func boot(_ routes: Routes) {
        let h = routes.grouped("console", "housing")
        h.get(needs: .permission(.housingRead), use: list)
        h.get("new", needs: .permission(.housingWrite), use: newForm)
        h.post("new", needs: .permission(.housingWrite), use: create)
        h.get("permits", needs: .permission(.housingRead), use: permits)
        h.get("buildings", ":id", needs: .permission(.housingRead), use: building)
        h.get(":id", needs: .permission(.housingRead), use: dwelling)
        h.get(":id", "edit", needs: .permission(.housingWrite), use: editForm)
        h.post(":id", "edit", needs: .permission(.housingWrite), use: update)
        h.post(":id", "households", needs: .permission(.housingWrite), use: place)
    }

    static let crumbs = [Crumb("工作台", "/console"), Crumb("房屋", "/console/housing")]
    static let links: Markup = """
        <p><a href="/console/housing">房屋</a> · <a href="/console/housing/rentals">出租房屋</a> · <a href="/console/housing/permits">待办居住证</a> · <a href="/console/housing/units">驻区单位</a> · <a href="/console/import">导入房屋、单位</a></p>
        """
    static let clause: Markup = "<p class=\"muted\">规划：“按照以房管人管户管单位和一定规模要求对社区进行合理区划调整”。</p>"

    func list(req: Request) async throws -> Response {
        let user = try req.webUser(.housingRead)
        let scope = try req.narrowedScope()
        let building = try req.queryUUID("building"), use = try req.queryEnum("use", DwellingUse.self), number = try req.queryString("number", maxLength: 20)
        let page = try await req.housing.dwellings(in: scope, building: building, use: use, number: number, page: req.consolePage(perPage: 30))
        let todo = try await req.housing.todo(in: scope)
        let rows = page.items.map { d -> [Markup] in
            ["<a href=\"/console/housing/\(d.id)\">\(d.number)</a>", "<a href=\"/console/housing/buildings/\(d.buildingId)\">\(d.buildingName ?? "—")</a>",
             Markup.text(d.floor.map(String.init) ?? "—"), Markup.text(d.area.map { String(format: "%.1f", $0) } ?? "—"), Markup.text(d.use.label)]
        }
        let query: [(String, String?)] = [("building", building?.uuidString), ("use", use?.rawValue), ("number", number), ("division", req.formQuery("division"))]
        let newHref: Markup = building.map { b -> Markup in "/console/housing/new?building=\(b)" } ?? "/console/housing/new"
        let hidden: Markup = building.map { b -> Markup in "<input type=\"hidden\" name=\"building\" value=\"\(b)\">" } ?? .empty
        let body: Markup = """
            <h1>房屋</h1>
            \(Self.clause)
            \(Self.links)
            <div class="tiles"><div class="tile"><span>符合条件的房屋</span><b>\(page.total)</b></div>
            \(HomePage.todoTile("租赁合同已到期", todo.expired, "/console/housing/rentals?state=expired", "yellow"))\(HomePage.todoTile("安全检查逾期", todo.overdue, "/console/housing/rentals?state=overdue", "red"))\(HomePage.todoTile("流动人口待办居住证", todo.permits, "/console/housing/permits", "yellow"))</div>
            <p>\(user.may(.housingWrite) ? "<a class=\"button\" href=\"\(newHref)\">登记房屋</a>" : Markup.empty)</p>
            <form method="get" action="/console/housing" class="filters">
            \(hidden)
            \(Console.field("房号", name: "number", value: number, hint: "房号开头，如 3-5", extra: "maxlength=\"20\""))
            \(Console.select("用途", name: "use", options: [("", "全部")] + DwellingUse.allCases.map { ($0.rawValue, $0.label) }, selected: use?.rawValue))
            \(Console.field("区划代码", name: "division", value: req.formQuery("division"), hint: "村/社区、网格或镇/街道代码", extra: "maxlength=\"15\" inputmode=\"numeric\""))
            <button type="submit">查询</button></form>
            \(Console.table(["房号", "楼栋", "楼层", "面积（㎡）", "用途"], rows, empty: "没有符合条件的房屋"))
            \(Console.pager(page, path: "/console/housing", query: query))
            """
        return Console.page(req, user, title: "房屋", crumbs: [Crumb("工作台", "/console"), Crumb("房屋")], body: body)
    }

    struct DwellingForm: Content {
        var csrf: String?
        var building_id: String?
        var number: String?
        var floor: String?
        var area: String?
        var rooms: String?
        var use: String?
        var version: String?

        /// Numbers as typed: a blank is nil; anything else not a number is named at its field.
        func body() throws -> HousingService.DwellingBody {
            func int(_ s: String?, _ f: String, _ label: String) throws -> Int? {
                guard let s = s?.trimmedOrNil else { return nil }
                guard let v = Int(s) else { throw RegistryError.invalid([FieldError(f, "\(label)应为整数")]) }
                return v
            }
            var area: Double?
            if let a = self.area?.trimmedOrNil {
                guard let v = Double(a), v.isFinite else { throw RegistryError.invalid([FieldError("area", "建筑面积应为数字（平方米）")]) }
                area = v
            }
            return .init(buildingId: building_id, number: number, floor: try int(floor, "floor", "楼层"), area: area, rooms: try int(rooms, "rooms", "房间数"),
                         use: use, version: version.flatMap { Int($0) })
        }
    }

    /// The buildings of the caller's area for a select (the first 500 by grid and name; a larger area picks from a building's page).
    static func buildingOptions(_ req: Request) async throws -> [(String, String)] {
        let page = try await BuildingQueries(req.db).list(in: req.registryScope, gridCode: nil, page: PageRequest(page: 1, perPage: PageRequest.maxPerPage))
        return page.items.map { ($0.id.uuidString, $0.name) }
    }

    func newForm(req: Request) async throws -> Response {
        let user = try req.webUser(.housingWrite)
        return try await render(req, user, DwellingForm(building_id: try req.queryUUID("building")?.uuidString), errors: [], status: .ok)
    }

    func render(_ req: Request, _ user: WebUser, _ v: DwellingForm, errors: [FieldError], status: HTTPResponseStatus, editing: DwellingRecord? = nil) async throws -> Response {
        func err(_ f: String) -> String? { errors.first { $0.field == f }?.message }
        var buildings = try await Self.buildingOptions(req)
        if let b = v.building_id, !buildings.contains(where: { $0.0 == b }), let id = UUID(uuidString: b),
           let found = try await BuildingQueries(req.db).find(id: id, in: req.registryScope) {
            buildings.insert((b, found.name), at: 0)
        }
        let title = editing == nil ? "登记房屋" : "修改房屋信息"
        let action = editing.map { "/console/housing/\($0.id)/edit" } ?? "/console/housing/new"
        let body: Markup = """
            <h1>\(title)</h1>
            \(Console.formErrors(errors))
            <form method="post" action="\(action)">\(Console.csrfField(user))
            \(editing.map { _ -> Markup in "<input type=\"hidden\" name=\"version\" value=\"\(v.version ?? "")\"><input type=\"hidden\" name=\"building_id\" value=\"\(v.building_id ?? "")\">" }.orEmpty)
            \(editing == nil ? Console.select("楼栋", name: "building_id", options: [("", "请选择")] + buildings, selected: v.building_id, error: err("building_id"), required: true) : Markup.empty)
            \(Console.field("房号", name: "number", value: v.number, error: err("number"), required: true, hint: "如 3-502（单元-室）", extra: "maxlength=\"20\""))
            \(Console.field("楼层", name: "floor", value: v.floor, error: err("floor"), extra: "inputmode=\"numeric\" maxlength=\"4\""))
            \(Console.field("建筑面积（平方米）", name: "area", value: v.area, error: err("area"), extra: "inputmode=\"decimal\" maxlength=\"8\""))
            \(Console.field("房间数", name: "rooms", value: v.rooms, error: err("rooms"), extra: "inputmode=\"numeric\" maxlength=\"2\""))
            \(Console.select("用途", name: "use", options: [("", "请选择")] + DwellingUse.allCases.map { ($0.rawValue, $0.label) }, selected: v.use, error: err("use"), required: true))
            <button type="submit">保存</button></form>
            """
        let crumbs = Self.crumbs + (editing.map { [Crumb($0.number, "/console/housing/\($0.id)")] } ?? []) + [Crumb(editing == nil ? "登记" : "修改")]
        return Console.page(req, user, title: title, crumbs: crumbs, body: body, status: status, wide: false)
    }

    func create(req: Request) async throws -> Response {
        let user = try req.webUser(.housingWrite)
        let form = (try? req.content.decode(DwellingForm.self)) ?? DwellingForm()
        try req.checkCSRF(user, form.csrf)
        do {
            let d = try await HousingService.createDwelling(req, try form.body())
            return req.redirect(to: "/console/housing/\(d.id)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await render(req, user, form, errors: errors, status: .unprocessableEntity)
        } catch RegistryError.conflict(let e) {
            return try await render(req, user, form, errors: [e], status: .conflict)
        }
    }

    func editForm(req: Request) async throws -> Response {
        let user = try req.webUser(.housingWrite)
        let d = try await HousingService.findDwelling(req, id: try req.pathUUID())
        let v = DwellingForm(building_id: d.buildingId.uuidString, number: d.number, floor: d.floor.map(String.init), area: d.area.map { String(format: "%g", $0) },
                             rooms: d.rooms.map(String.init), use: d.use.rawValue, version: String(d.version))
        return try await render(req, user, v, errors: [], status: .ok, editing: d)
    }

    func update(req: Request) async throws -> Response {
        let user = try req.webUser(.housingWrite)
        let form = (try? req.content.decode(DwellingForm.self)) ?? DwellingForm()
        try req.checkCSRF(user, form.csrf)
        let d = try await HousingService.findDwelling(req, id: try req.pathUUID())
        do {
            _ = try await HousingService.updateDwelling(req, id: d.id, try form.body())
            return req.redirect(to: "/console/housing/\(d.id)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await render(req, user, form, errors: errors, status: .unprocessableEntity, editing: d)
        } catch RegistryError.conflict(let e) {
            return try await render(req, user, form, errors: [e], status: .conflict, editing: d)
        } catch RegistryError.staleVersion {
            return try await render(req, user, form, errors: [FieldError("version", "该房屋信息已被他人修改，请重新打开编辑页后再改")], status: .conflict, editing: d)
        }
    }

    /// A dwelling's page: the households living in it (and a form placing one of the building's), its rental in force.
    func dwelling(req: Request) async throws -> Response {
        let user = try req.webUser(.housingRead)
        let d = try await HousingService.findDwelling(req, id: try req.pathUUID())
        return try await dwellingPage(req, user, d, error: nil, status: .ok)
    }

    func dwellingPage(_ req: Request, _ user: WebUser, _ d: DwellingRecord, error: FieldError?, status: HTTPResponseStatus) async throws -> Response {
        let households = try await req.housing.households(of: d.id)
        let rental = try await req.housing.currentRental(of: d.id, in: req.registryScope)
        let rows = households.map { h -> [Markup] in ["<a href=\"/console/households/\(h.id)\">\(h.number)</a>", Markup.text(h.room)] }
        let rentalPart: Markup
        if let r = rental {
            rentalPart = """
                <p>在租：<a href="/console/housing/rentals/\(r.id)">\(r.startsOn) 至 \(r.endsOn)，承租 \(r.tenantCount) 人\(r.groupRental ? "（群租）" : "")</a></p>
                """
        } else if user.may(.housingWrite) {
            rentalPart = "<p>没有在租的出租登记。<a class=\"button\" href=\"/console/housing/rentals/new?dwelling=\(d.id)\">登记出租</a></p>"
        } else {
            rentalPart = "<p>没有在租的出租登记。</p>"
        }
        let place: Markup = user.may(.housingWrite) ? """
            <h2>登记入住的户</h2>
            \(Console.formErrors(error.map { [$0] } ?? []))
            <form method="post" action="/console/housing/\(d.id)/households">\(Console.csrfField(user))
            \(Console.field("户编号", name: "household_number", error: error?.message, required: true, hint: "本楼栋已登记的户，见居民信息中的户编号", extra: "maxlength=\"40\""))
            <button type="submit">登记入住</button></form>
            """ : Markup.empty
        let body: Markup = """
            <h1>房屋 \(d.number)</h1>
            \(Self.links)
            <dl class="facts"><dt>楼栋</dt><dd><a href="/console/housing/buildings/\(d.buildingId)">\(d.buildingName ?? "—")</a></dd>
            <dt>楼层</dt><dd>\(d.floor.map(String.init) ?? "—")</dd><dt>建筑面积</dt><dd>\(d.area.map { String(format: "%.1f ㎡", $0) } ?? "—")</dd>
            <dt>房间数</dt><dd>\(d.rooms.map(String.init) ?? "—")</dd><dt>用途</dt><dd>\(d.use.label)</dd></dl>
            \(user.may(.housingWrite) ? "<p><a href=\"/console/housing/\(d.id)/edit\">修改</a></p>" : Markup.empty)
            <h2>出租</h2>
            \(rentalPart)
            <h2>居住的户</h2>
            \(Console.table(["户编号", "室"], rows, empty: "尚未登记入住的户"))
            \(place)
            """
        return Console.page(req, user, title: "房屋 \(d.number)", crumbs: Self.crumbs + [Crumb(d.number)], body: body, status: status)
    }

    struct PlaceForm: Content { var csrf: String?; var household_number: String? }

    func place(req: Request) async throws -> Response {
        let user = try req.webUser(.housingWrite)
        let form = (try? req.content.decode(PlaceForm.self)) ?? PlaceForm()
        try req.checkCSRF(user, form.csrf)
        let d = try await HousingService.findDwelling(req, id: try req.pathUUID())
        do {
            guard let number = form.household_number?.trimmedOrNil, let h = try await HouseholdQueries(req.db).find(number: number, in: req.registryScope) else {
                throw RegistryError.invalid([FieldError("household_id", "本辖区没有这个户编号，请先在居民信息中登记")])
            }
            try await req.housing.place(household: h.id, in: d.id, by: req.housingActor)
            return req.redirect(to: "/console/housing/\(d.id)", redirectType: .normal)
        } catch RegistryError.invalid(let errors) {
            return try await dwellingPage(req, user, d, error: errors.first, status: .unprocessableEntity)
        }
    }

    /// A building's occupancy: dwellings by use, households, residents, rentals; its dwellings and units.
    func building(req: Request) async throws -> Response {
        let user = try req.webUser(.housingRead)
        let id = try req.pathUUID()
        guard let b = try await BuildingQueries(req.db).find(id: id, in: req.registryScope) else { throw RegistryError.notFound("楼栋") }
        let o = try await req.housing.occupancy(building: id, in: req.registryScope)
        let dwellings = try await req.housing.dwellings(in: req.registryScope, building: id, use: nil, number: nil, page: PageRequest(page: 1, perPage: 100))
        let units = try await req.housing.units(ofBuilding: id)
        let dwellingRows = dwellings.items.map { d -> [Markup] in
            ["<a href=\"/console/housing/\(d.id)\">\(d.number)</a>", Markup.text(d.floor.map(String.init) ?? "—"), Markup.text(d.use.label)]
        }
        let unitRows = units.map { u -> [Markup] in
            ["<a href=\"/console/housing/units/\(u.id)\">\(u.name)</a>", Markup.text(u.kind.label), Markup.text(u.employees.map(String.init) ?? "—")]
        }
        let uses = zip(DwellingUse.allCases, o.byUse).map { (u, n) -> Markup in "<div class=\"tile\"><span>\(u.label)</span><b>\(n)</b></div>" }
        let body: Markup = """
            <h1>\(b.name)</h1>
            <p class="muted">\(b.address)</p>
            \(Self.links)
            <h2>入住情况</h2>
            <div class="tiles"><div class="tile"><span>房屋</span><b>\(o.dwellings)</b></div>\(uses)
            <div class="tile"><span>户（已登记房屋的）</span><b>\(o.households)（\(o.placedHouseholds)）</b></div>
            <div class="tile"><span>在册居民</span><b>\(o.residents)</b></div><div class="tile"><span>在租出租房屋</span><b>\(o.rentals)</b></div></div>
            \(user.may(.housingWrite) ? "<p><a class=\"button\" href=\"/console/housing/new?building=\(id)\">登记房屋</a> · <a href=\"/console/housing/units/new?building=\(id)\">登记单位</a></p>" : Markup.empty)
            <h2>房屋</h2>
            \(Console.table(["房号", "楼层", "用途"], dwellingRows, empty: "尚未登记房屋"))
            \(dwellings.total > dwellings.items.count ? "<p><a href=\"/console/housing?building=\(id)\">全部 \(dwellings.total) 套</a></p>" : Markup.empty)
            <h2>单位</h2>
            \(Console.table(["单位名称", "类别", "从业人数"], unitRows, empty: "尚未登记单位"))
            """
        return Console.page(req, user, title: b.name, crumbs: Self.crumbs + [Crumb(b.name)], body: body)
    }

    /// Floating-population tenants living here half a year without a 居住证.
    func permits(req: Request) async throws -> Response {
        let user = try req.webUser(.housingRead)
        let list = try await req.housing.permitsDue(in: try req.narrowedScope())
        let rows = list.map { p -> [Markup] in
            [Markup.text(p.name), "<a href=\"/console/housing/rentals/\(p.rentalId)\">\(p.buildingName ?? "") \(p.dwellingNumber ?? "")</a>", Markup.text(p.movedInOn)]
        }
        let body: Markup = """
            <h1>流动人口待办居住证</h1>
            <p class="muted">承租的流动人口入住满\(HousingRules.residencePermitDays)天仍未登记居住证的，按入住日期排列；在出租登记页登记签发日期后移出本表。</p>
            \(Self.links)
            \(Console.table(["姓名", "出租房屋", "入住日期"], rows, empty: "没有待办居住证的流动人口"))
            """
        return Console.page(req, user, title: "待办居住证", crumbs: Self.crumbs + [Crumb("待办居住证")], body: body)
    }
}
