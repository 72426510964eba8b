import Foundation
@testable import LinliServer
import Testing
import Vapor

@Suite("Bad input gets a problem, never a 500", .serialized)
struct BadInputTests {
    @Test("malformed JSON, wrong types, wrong content type, oversized bodies")
    func bodies() async throws {
        try await withTestApp(residents: 300) { app in
            let before = try await app.rowCount("residents")
            let truncated = try await app.call(.POST, "/api/v1/residents", rawBody: #"{"name": "张"#)
            #expect(truncated.status == .badRequest)
            #expect(truncated.isProblem)
            #expect(truncated.json["detail"].string == "请求内容不是有效的 JSON")

            let wrongType = try await app.call(.POST, "/api/v1/residents", json: ["name": 3])
            #expect(wrongType.status == .badRequest)
            #expect(wrongType.json.errorFields == ["name"])

            let nested = try await app.call(.POST, "/api/v1/residents", json: ["tags": [1]])
            #expect(nested.json.errorFields == ["tags[0]"])

            let badUUID = try await app.call(.POST, "/api/v1/residents", json: ["household_id": "x"])
            #expect(badUUID.status == .badRequest)
            #expect(badUUID.json.errorFields == ["household_id"])

            let notJSON = try await app.call(.POST, "/api/v1/residents", rawBody: "name=张三", contentType: "application/x-www-form-urlencoded")
            #expect(notJSON.status == .unsupportedMediaType)
            #expect(notJSON.isProblem)

            let array = try await app.call(.POST, "/api/v1/residents", json: [1, 2])
            #expect(array.status == .badRequest)

            let empty = try await app.call(.POST, "/api/v1/residents", rawBody: "")
            #expect(empty.status == .badRequest)

            let longName = try await app.call(.POST, "/api/v1/residents", json: ["name": String(repeating: "张", count: 31)])
            #expect(longName.json.errorFields.contains("name"))
            let script = try await app.call(.POST, "/api/v1/residents", json: ["name": "<script>alert(1)</script>"])
            #expect(script.json.errorFields.contains("name"))
            let injection = try await app.call(.GET, "/api/v1/residents?q=%27%20OR%201%3D1--")
            #expect(injection.status == .badRequest)
            let injectionName = try await app.call(.GET, "/api/v1/residents?q=%E5%BC%A0%27%20OR%20%271%27%3D%271")
            #expect(injectionName.status == .ok)
            #expect(injectionName.json["total"].int == 0)

            #expect(try await app.rowCount("residents") == before)
        }
    }

    @Test("an oversized body is refused with 413 by the running server")
    func oversized() async throws {
        try await withTestApp(residents: 20) { app in
            let before = try await app.rowCount("residents")
            let port = Int.random(in: 20_000...40_000)
            let huge = String(repeating: "张", count: 40_000)
            let body = ByteBuffer(data: try JSONSerialization.data(withJSONObject: ["name": huge]))
            let headers: HTTPHeaders = ["content-type": "application/json", "authorization": "Bearer \(try app.token(.worker))"]
            let r = try await app.testing(method: .running(port: port)).sendRequest(.POST, "/api/v1/residents", headers: headers, body: body)
            #expect(r.status == .payloadTooLarge)
            #expect(r.headers.first(name: .contentType)?.hasPrefix("application/problem+json") == true)
            #expect(try await app.rowCount("residents") == before)
        }
    }

    @Test("unknown paths and methods are problems too")
    func routing() async throws {
        try await withTestApp(residents: 20) { app in
            let r = try await app.call(.GET, "/api/v1/nothing")
            #expect(r.status == .notFound)
            #expect(r.isProblem)
            #expect(r.json["detail"].string == "请求的地址不存在")
            #expect(try await app.call(.GET, "/api/v1/residents/\(UUID())").json["detail"].string == "未找到该居民")
            let put = try await app.call(.PUT, "/api/v1/residents", json: [String: String]())
            #expect(put.status == .methodNotAllowed)
            #expect(put.isProblem)
            #expect(put.headers.first(name: .allow) == "GET, POST")
            #expect(try await app.call(.DELETE, "/api/v1/residents/\(UUID())").status == .methodNotAllowed)
            // The upload address of imports is shadowed for GET by the job's address: still 405 with Allow.
            let upload = try await app.call(.GET, "/api/v1/imports/residents")
            #expect(upload.status == .methodNotAllowed && upload.isProblem && upload.headers.first(name: .allow) == "POST")
            // So is any literal path under a parameter route asked with the parameter route's method.
            for path in ["/api/v1/organizations/public", "/api/v1/organizations/projects", "/api/v1/organizations/export.xlsx"] {
                let patch = try await app.call(.PATCH, path, json: [String: String](), as: .district)
                #expect(patch.status == .methodNotAllowed && patch.isProblem, "\(path): \(patch.status) \(patch.text)")
            }
            #expect(try await app.call(.PATCH, "/api/v1/organizations/not-an-id", json: [String: String](), as: .district).status == .badRequest)
        }
    }
}
