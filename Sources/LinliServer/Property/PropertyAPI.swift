import Foundation
import LinliCore
import LinliData
import Vapor

/// `/api/v1/property`: 物业管理 (四位一体) — compounds (小区) with their buildings and today's management, property
/// service companies (each with its department account, so requests can be dispatched to it) and their contracts.
/// Compounds are scoped to the caller's area (outside it: 404); companies are the district's one register.
struct PropertyAPI {
    func boot(_ routes: Routes) {
        let p = routes.grouped("property")
        p.get("compounds", needs: .permission(.propertyRead), use: compounds)
        p.post("compounds", needs: .permission(.propertyWrite), use: createCompound)
        p.get("compounds", ":id", needs: .permission(.propertyRead), use: compound)
        p.patch("compounds", ":id", needs: .permission(.propertyWrite), use: updateCompound)
        p.post("compounds", ":id", "contracts", needs: .permission(.propertyWrite), use: addContract)
        p.get("companies", needs: .permission(.propertyRead), use: companies)
        p.post("companies", needs: .permission(.propertyWrite), use: createCompany)
        p.get("companies", ":id", needs: .permission(.propertyRead), use: company)
        p.patch("companies", ":id", needs: .permission(.propertyWrite), use: updateCompany)
    }

    func compounds(req: Request) async throws -> JSONBody<PageDTO<CompoundDTO>> {
        let page = try await req.property.compounds(in: try req.narrowedScope(), mode: try req.queryEnum("mode", ManagementMode.self),
                                                    text: try req.queryString("q", maxLength: 40), page: try req.pageRequest())
        return JSONBody(PageDTO(page, CompoundDTO.init))
    }

    func createCompound(req: Request) async throws -> JSONBody<CompoundDTO> {
        JSONBody(CompoundDTO(try await PropertyInputs.createCompound(req, try req.decodeJSON(PropertyInputs.CompoundBody.self))), status: .created)
    }

    func compound(req: Request) async throws -> JSONBody<CompoundFileDTO> {
        let c = try await PropertyInputs.findCompound(req, id: try req.pathUUID())
        let buildings = try await req.property.buildings(of: c.id)
        let contracts = try await req.property.contracts(ofCompound: c.id, in: req.registryScope)
        return JSONBody(CompoundFileDTO(compound: CompoundDTO(c), buildings: buildings.map(CompoundBuildingDTO.init), contracts: contracts.map(ContractDTO.init)))
    }

    func updateCompound(req: Request) async throws -> JSONBody<CompoundDTO> {
        JSONBody(CompoundDTO(try await PropertyInputs.updateCompound(req, id: try req.pathUUID(), try req.decodeJSON(PropertyInputs.CompoundBody.self))))
    }

    func addContract(req: Request) async throws -> JSONBody<ContractDTO> {
        JSONBody(ContractDTO(try await PropertyInputs.addContract(req, compound: try req.pathUUID(), try req.decodeJSON(PropertyInputs.ContractBody.self))),
                 status: .created)
    }

    func companies(req: Request) async throws -> JSONBody<PageDTO<CompanyDTO>> {
        let page = try await req.property.companies(text: try req.queryString("q", maxLength: 40), page: try req.pageRequest())
        return JSONBody(PageDTO(page, CompanyDTO.init))
    }

    func createCompany(req: Request) async throws -> JSONBody<CompanyDTO> {
        JSONBody(CompanyDTO(try await PropertyInputs.createCompany(req, try req.decodeJSON(PropertyInputs.CompanyBody.self))), status: .created)
    }

    /// A company with its contracts in the caller's area.
    func company(req: Request) async throws -> JSONBody<CompanyFileDTO> {
        let c = try await PropertyInputs.findCompany(req, id: try req.pathUUID())
        return JSONBody(CompanyFileDTO(company: CompanyDTO(c), contracts: try await req.property.contracts(ofCompany: c.id, in: req.registryScope).map(ContractDTO.init)))
    }

    func updateCompany(req: Request) async throws -> JSONBody<CompanyDTO> {
        JSONBody(CompanyDTO(try await PropertyInputs.updateCompany(req, id: try req.pathUUID(), try req.decodeJSON(PropertyInputs.CompanyBody.self))))
    }
}

struct CompanyFileDTO: Encodable, Sendable {
    var company: CompanyDTO
    var contracts: [ContractDTO]
}
