import Foundation
import LinliCore
import LinliData
import Vapor

/// `/api/v1/imports`: upload a residents' file (multipart, field `file`), follow its check, download
/// the report, confirm. Nothing is written before the confirmation.
struct ImportAPI {
    func boot(_ routes: Routes) {
        let imports = routes.grouped("imports")
        imports.on(.POST, "residents", needs: .permission(.registryWrite), body: .collect(maxSize: ByteCount(value: ImportService.maxUpload)), use: upload)
        imports.get("template", needs: .permission(.registryWrite), use: template)
        imports.get(":id", needs: .permission(.registryWrite), use: show)
        imports.get(":id", "report", needs: .permission(.registryWrite), use: report)
        imports.post(":id", "confirm", needs: .permission(.registryWrite), use: confirm)
    }

    func upload(req: Request) async throws -> Response {
        let job: ImportJob
        do { job = try await ImportService.start(req) } catch let e as SheetChoiceNeeded { throw e.problem }
        let response = try await ImportJobDTO(job).encodeResponse(status: .accepted, for: req)
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/imports/\(job.id)")
        return response
    }

    func show(req: Request) async throws -> ImportJobDTO {
        // `/imports/residents` is the upload (POST only); GET there is a method it does not have, not a job.
        if req.parameters.get("id") == "residents" {
            throw ProblemError(status: .methodNotAllowed, detail: "该地址不支持 GET 请求，可用：POST")
        }
        return ImportJobDTO(try ImportService.job(req))
    }

    func report(req: Request) async throws -> Response {
        try ImportService.report(try ImportService.job(req))
    }

    func confirm(req: Request) async throws -> Response {
        let job = try ImportService.job(req)
        try ImportService.confirm(req, job: job)
        return try await ImportJobDTO(job).encodeResponse(status: .accepted, for: req)
    }

    func template(req: Request) async throws -> Response {
        try req.require(.registryWrite)
        return try ImportService.template()
    }
}
