import Foundation
import LinliCore
import LinliData
import Vapor

/// `/api/v1/housing`: 以房管人管户管单位 — dwellings of buildings and the households living in them, a building's
/// occupancy, rentals (landlord, tenants from the registry, contract, rent band, 群租, safety checks), floating
/// tenants due for a 居住证, units, and the district's settings. Scoped like the registry (outside the caller's area: 404).
struct HousingAPI {
    func boot(_ routes: Routes) {
        let h = routes.grouped("housing")
        h.get("dwellings", needs: .permission(.housingRead), use: dwellings)
        h.post("dwellings", needs: .permission(.housingWrite), use: createDwelling)
        h.get("dwellings", ":id", needs: .permission(.housingRead), use: dwelling)
        h.patch("dwellings", ":id", needs: .permission(.housingWrite), use: updateDwelling)
        h.post("dwellings", ":id", "households", needs: .permission(.housingWrite), use: place)
        h.get("buildings", ":id", "occupancy", needs: .permission(.housingRead), use: occupancy)
        h.get("rentals", needs: .permission(.housingRead), use: rentals)
        h.post("rentals", needs: .permission(.housingWrite), use: createRental)
        h.get("rentals", "export.xlsx", needs: .permission(.housingRead), use: exportRentals)
        h.get("rentals", ":id", needs: .permission(.housingRead), use: rental)
        h.patch("rentals", ":id", needs: .permission(.housingWrite), use: updateRental)
        h.post("rentals", ":id", "end", needs: .permission(.housingWrite), use: endRental)
        h.post("rentals", ":id", "checks", needs: .permission(.housingWrite), use: check)
        h.get("rentals", ":id", "landlord-phone", needs: .permission(.housingRead), use: landlordPhone)
        h.post("rentals", ":id", "tenants", ":resident", "permit", needs: .permission(.housingWrite), use: permit)
        h.get("permits", needs: .permission(.housingRead), use: permits)
        h.get("units", needs: .permission(.housingRead), use: units)
        h.post("units", needs: .permission(.housingWrite), use: createUnit)
        h.get("units", "export.xlsx", needs: .permission(.housingRead), use: exportUnits)
        h.get("units", ":id", needs: .permission(.housingRead), use: unit)
        h.patch("units", ":id", needs: .permission(.housingWrite), use: updateUnit)
        h.get("units", ":id", "phone", needs: .permission(.housingRead), use: unitPhone)
        h.get("settings", needs: .permission(.housingRead), use: settings)
        h.put("settings", needs: .permission(.housingSettings), use: setSettings)
    }

    func dwellings(req: Request) async throws -> JSONBody<PageDTO<DwellingDTO>> {
        let page = try await req.housing.dwellings(in: try req.narrowedScope(), building: try req.queryUUID("building"), use: try req.queryEnum("use", DwellingUse.self),
                                                   number: try req.queryString("number", maxLength: 20), page: try req.pageRequest())
        return JSONBody(PageDTO(page, DwellingDTO.init))
    }

    func createDwelling(req: Request) async throws -> JSONBody<DwellingDTO> {
        JSONBody(DwellingDTO(try await HousingService.createDwelling(req, try req.decodeJSON(HousingService.DwellingBody.self))), status: .created)
    }

    func dwelling(req: Request) async throws -> JSONBody<DwellingFileDTO> {
        let d = try await HousingService.findDwelling(req, id: try req.pathUUID())
        let households = try await req.housing.households(of: d.id)
        let rental = try await req.housing.currentRental(of: d.id, in: req.registryScope)
        return JSONBody(DwellingFileDTO(dwelling: DwellingDTO(d), households: households.map(HouseholdRefDTO.init), rental: rental.map(RentalDTO.init)))
    }

    func updateDwelling(req: Request) async throws -> JSONBody<DwellingDTO> {
        JSONBody(DwellingDTO(try await HousingService.updateDwelling(req, id: try req.pathUUID(), try req.decodeJSON(HousingService.DwellingBody.self))))
    }

    /// Places a household of the dwelling's building in it (`household_id`).
    func place(req: Request) async throws -> Response {
        let b = try req.decodeJSON(HousingService.PlaceBody.self)
        try await req.housing.place(household: try HousingService.id(b.householdId, "household_id", "本辖区没有这一户"), in: try req.pathUUID(), by: req.housingActor)
        return Response(status: .noContent)
    }

    func occupancy(req: Request) async throws -> JSONBody<OccupancyDTO> {
        JSONBody(OccupancyDTO(try await req.housing.occupancy(building: try req.pathUUID(), in: req.registryScope)))
    }

    func rentals(req: Request) async throws -> JSONBody<PageDTO<RentalDTO>> {
        let page = try await req.housing.rentals(in: try req.narrowedScope(), state: try HousingService.state(req), text: try req.queryString("q", maxLength: 30),
                                                 page: try req.pageRequest())
        return JSONBody(PageDTO(page, RentalDTO.init))
    }

    func createRental(req: Request) async throws -> JSONBody<RentalDTO> {
        JSONBody(RentalDTO(try await HousingService.createRental(req, try req.decodeJSON(HousingService.RentalBody.self))), status: .created)
    }

    func exportRentals(req: Request) async throws -> Response { try await HousingService.exportRentals(req) }

    /// A rental with its tenants: a full view, audited.
    func rental(req: Request) async throws -> JSONBody<RentalFileDTO> {
        let r = try await HousingService.findRental(req, id: try req.pathUUID())
        return JSONBody(RentalFileDTO(try await req.housing.file(of: r, audit: req.auditActor)))
    }

    func updateRental(req: Request) async throws -> JSONBody<RentalDTO> {
        JSONBody(RentalDTO(try await HousingService.updateRental(req, id: try req.pathUUID(), try req.decodeJSON(HousingService.RentalBody.self))))
    }

    func endRental(req: Request) async throws -> JSONBody<RentalDTO> {
        JSONBody(RentalDTO(try await HousingService.endRental(req, id: try req.pathUUID(), try req.decodeJSON(HousingService.EndBody.self))))
    }

    func check(req: Request) async throws -> JSONBody<SafetyCheckDTO> {
        JSONBody(SafetyCheckDTO(try await HousingService.check(req, id: try req.pathUUID(), try req.decodeJSON(HousingService.CheckBody.self))), status: .created)
    }

    func landlordPhone(req: Request) async throws -> JSONBody<[String: String]> {
        guard let phone = try await req.housing.landlordPhone(of: try req.pathUUID(), by: req.housingActor) else { throw RegistryError.notFound("房东联系电话") }
        return JSONBody(["phone": phone])
    }

    func permit(req: Request) async throws -> Response {
        let b = try req.decodeJSON(HousingService.PermitBody.self)
        try await req.housing.recordPermit(try req.pathUUID(), resident: try req.pathUUID("resident"), issuedOn: try HousingService.date(b.issuedOn, "issued_on"),
                                           by: req.housingActor)
        return Response(status: .noContent)
    }

    func permits(req: Request) async throws -> JSONBody<[PermitDueDTO]> {
        JSONBody(try await req.housing.permitsDue(in: try req.narrowedScope()).map(PermitDueDTO.init))
    }

    func units(req: Request) async throws -> JSONBody<PageDTO<UnitDTO>> {
        let page = try await req.housing.units(in: try req.narrowedScope(), text: try req.queryString("q", maxLength: 30), kind: try req.queryEnum("kind", UnitKind.self),
                                               opens: try req.queryBool("opens_facilities"), page: try req.pageRequest())
        return JSONBody(PageDTO(page, UnitDTO.init))
    }

    func createUnit(req: Request) async throws -> JSONBody<UnitDTO> {
        JSONBody(UnitDTO(try await HousingService.createUnit(req, try req.decodeJSON(HousingService.UnitBody.self))), status: .created)
    }

    func exportUnits(req: Request) async throws -> Response { try await HousingService.exportUnits(req) }

    func unit(req: Request) async throws -> JSONBody<UnitDTO> { JSONBody(UnitDTO(try await HousingService.findUnit(req, id: try req.pathUUID()))) }

    func updateUnit(req: Request) async throws -> JSONBody<UnitDTO> {
        JSONBody(UnitDTO(try await HousingService.updateUnit(req, id: try req.pathUUID(), try req.decodeJSON(HousingService.UnitBody.self))))
    }

    func unitPhone(req: Request) async throws -> JSONBody<[String: String]> {
        guard let phone = try await req.housing.unitPhone(of: try req.pathUUID(), by: req.housingActor) else { throw RegistryError.notFound("联系电话") }
        return JSONBody(["phone": phone])
    }

    func settings(req: Request) async throws -> JSONBody<HousingSettingsDTO> { JSONBody(HousingSettingsDTO(try await req.housing.settings())) }

    func setSettings(req: Request) async throws -> JSONBody<HousingSettingsDTO> {
        JSONBody(HousingSettingsDTO(try await HousingService.settings(req, try req.decodeJSON(HousingService.SettingsBody.self))))
    }
}
