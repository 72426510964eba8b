import Foundation
import Logging
import LinliCore
import LinliData
@testable import LinliServer
import Testing
import Vapor

@Suite("Operations: logs, request ids, metrics, hostile input", .serialized)
struct OperationsTests {
    @Test("a JSON log line is one object with typed fields; values cannot break the line")
    func jsonLine() throws {
        let line = JSONLogHandler.render(level: .info, label: "codes.vapor.request", message: "request",
                                         fields: ["request-id": .string("a\"b\nc"), "tags": .array([.string("x"), .stringConvertible(2)]), "status": .stringConvertible(201),
                                                  "duration_ms": .stringConvertible(1.5), "route": .string("/api/v1/residents/:id")],
                                         at: Date(timeIntervalSince1970: 1_790_000_000.25))
        #expect(!line.contains("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["ts"] as? String == "2026-09-21T14:13:20.250Z")
        #expect(object["level"] as? String == "info")
        #expect(object["logger"] as? String == "codes.vapor.request")
        #expect(object["msg"] as? String == "request")
        #expect(object["request_id"] as? String == "a\"b\nc")
        #expect(object["status"] as? Int == 201)
        #expect(object["duration_ms"] as? Double == 1.5)
        #expect(object["route"] as? String == "/api/v1/residents/:id")
        #expect(object["tags"] as? [AnyHashable] == ["x", 2])
        #expect(JSONLogHandler.timestamp(Date(timeIntervalSince1970: 1_767_229_384.0051)) == "2026-01-01T01:03:04.005Z")
    }

    @Test("one log line per request with its id, route pattern, status and time, and no personal data")
    func requestLog() async throws {
        // The capturing handler must be in place before the application (and its logger) is made.
        _ = await LogCapture.during {}
        try await withTestApp(residents: 200) { app in
            let sample = try await app.call(.GET, "/api/v1/residents?per_page=1").json["items"][0]
            let id = try #require(sample["id"].string)
            let number = try #require(try await app.call(.GET, "/api/v1/residents/\(id)/full").json["id_number"].string)
            let name = try #require(sample["name"].string)
            let (answers, captured) = try await LogCapture.during {
                var headers = HTTPHeaders()
                headers.add(name: .authorization, value: "Bearer \(try app.token(.worker))")
                headers.add(name: "X-Request-Id", value: "trace-42.a_b:c")
                let byNumber = try await app.testing().sendRequest(.GET, "/api/v1/residents?q=\(number)", headers: headers)
                headers.replaceOrAdd(name: "X-Request-Id", value: "forged\" id")
                let encoded = try urlEncoded(name)
                let byName = try await app.testing().sendRequest(.GET, "/api/v1/residents/\(id)?q=\(encoded)", headers: headers)
                return (byNumber, byName)
            }
            #expect(answers.0.status == .ok)
            #expect(answers.0.headers.first(name: "X-Request-Id") == "trace-42.a_b:c")
            // An id with characters that could forge a log field is replaced by a fresh one.
            let fresh = try #require(answers.1.headers.first(name: "X-Request-Id"))
            #expect(UUID(uuidString: fresh) != nil)
            let requestLines = captured.filter { $0.contains(" request [") }
            let first = try #require(requestLines.first { $0.contains("trace-42.a_b:c") })
            #expect(first.hasPrefix("info "))
            #expect(first.contains("\"route\": /api/v1/residents"))
            #expect(first.contains("\"method\": GET"))
            #expect(first.contains("\"status\": 200"))
            #expect(first.contains("\"duration_ms\": "))
            let second = try #require(requestLines.first { $0.contains(fresh) })
            #expect(second.contains("\"route\": /api/v1/residents/:id"))
            #expect(!second.contains(id))
            let encoded = try urlEncoded(name)
            // Everything these two requests logged (other tests log at the same time: their ids differ).
            let ours = captured.filter { $0.contains("trace-42.a_b:c") || $0.contains(fresh) }
            #expect(ours.count >= 2)
            #expect(!ours.contains { $0.contains(number) || $0.contains(name) || $0.contains(encoded) || $0.contains("forged") })
        }
    }

    @Test("metrics: in-flight requests, the database pool, refused writes and business counters")
    func metrics() async throws {
        try await withTestApp(residents: 100) { app in
            let request = try #require(try await app.submitRequest()["id"].string)
            #expect(try await app.act(request, "accept", version: 1, as: .worker).status == .ok)
            _ = try await app.submitRequest()
            let text = try await app.call(.GET, "/metrics", as: .anonymous).text
            // Requests by state: every state listed (a fixed set of labels), the counts as recorded.
            #expect(text.contains("\nlinli_requests{status=\"accepted\"} 1\n") && text.contains("\nlinli_requests{status=\"reported\"} 1\n"))
            #expect(text.split(separator: "\n").filter { $0.hasPrefix("linli_requests{") }.count == RequestStatus.allCases.count)
            // The scrape itself is the one request in flight.
            #expect(text.contains("\nlinli_http_requests_in_flight 1\n"))
            let pool = app.linli.databasePoolSize
            #expect(pool == (TestDatabase.postgresURL == nil ? 1 : 4 * Array(app.eventLoopGroup.makeIterator()).count))
            #expect(text.contains("\nlinli_database_pool_max_connections \(pool)\n"))
            #expect(text.contains("linli_database_writes_refused_total{reason=\"busy\"} 0\n"))
            #expect(text.contains("linli_database_writes_refused_total{reason=\"unwritable\"} 0\n"))
            let audit = try await app.rowCount("audit_log")
            #expect(audit > 0)
            #expect(text.contains("\nlinli_audit_entries_total \(audit)\n"))
            let registered = try await app.rowCount("resident_events")
            let eventLines = text.split(separator: "\n").filter { $0.hasPrefix("linli_resident_events_total{") }
            #expect(eventLines.compactMap { $0.split(separator: " ").last.flatMap { Int($0) } }.reduce(0, +) == registered)
            #expect(eventLines.contains { $0.hasPrefix("linli_resident_events_total{kind=\"registered\"}") })
        }
    }

    @Test("invalid UTF-8 in a JSON body or a query string, path traversal, oversized headers: 400/404/431 problems")
    func encodingAndPaths() async throws {
        try await withTestApp(residents: 50) { app in
            let before = try await app.rowCount("residents")
            var headers = HTTPHeaders()
            headers.add(name: .authorization, value: "Bearer \(try app.token(.worker))")
            headers.contentType = .json
            var body = ByteBuffer(string: #"{"name": ""#)
            body.writeBytes([0xE5, 0xBC, 0xFF, 0xFE])
            body.writeString(#"", "relation": "other"}"#)
            let badBody = try await app.testing().sendRequest(.POST, "/api/v1/residents", headers: headers, body: body)
            #expect(badBody.status == .badRequest)
            #expect(badBody.headers.first(name: .contentType)?.hasPrefix("application/problem+json") == true)
            #expect(JSONValue(data: Data(buffer: badBody.body))["detail"].string == "请求内容不是有效的 JSON")

            for query in ["q=%FF%FE", "q=%E5%BC", "grid=%C0%AF"] {
                let r = try await app.call(.GET, "/api/v1/residents?\(query)")
                #expect(r.status == .badRequest, "\(query)")
                #expect(r.isProblem)
                #expect(r.json.errorFields == ["query"], "\(query)")
            }
            // Valid escapes still work.
            #expect(try await app.call(.GET, "/api/v1/residents?q=%E5%BC%A0").status == .ok)

            for path in ["/api/v1/residents/..%2F..%2F..%2Fetc%2Fpasswd", "/api/v1/residents/%2E%2E%2Fdata.key"] {
                let r = try await app.call(.GET, path)
                #expect(r.status == .badRequest, "\(path)")
                #expect(r.isProblem)
            }
            for path in ["/api/v1/../../etc/passwd", "/../linli-data/data.key", "/api/openapi.yaml/../../Package.swift"] {
                let r = try await app.call(.GET, path)
                #expect(r.status == .notFound, "\(path)")
                #expect(r.isProblem)
                #expect(!r.text.contains("root:"))
            }
            #expect(try await app.rowCount("residents") == before)

            var big = HTTPHeaders()
            big.add(name: .authorization, value: "Bearer \(try app.token(.worker))")
            big.add(name: "X-Padding", value: String(repeating: "a", count: 40_000))
            let tooBig = try await app.testing().sendRequest(.GET, "/api/v1/residents", headers: big)
            #expect(tooBig.status == .requestHeaderFieldsTooLarge)
            #expect(JSONValue(data: Data(buffer: tooBig.body))["detail"].string == "请求头过大（合计不能超过 32 KB）")
            big.replaceOrAdd(name: "X-Padding", value: String(repeating: "a", count: 20_000))
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/residents", headers: big).status == .ok)
        }
    }
}
