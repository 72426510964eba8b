import Foundation
@testable import LinliServer
import NIOCore
import Vapor

extension Application {
    /// As `call`, but from a client address of the test's choosing (the in-memory tester sends none), for
    /// what is counted per address. Loopback addresses only: nothing leaves the process anyway.
    func call(_ method: HTTPMethod, _ path: String, json: Any? = nil, from address: String, token: String? = nil,
              headers extra: [String: String] = [:]) async throws -> APIResponse {
        var headers = HTTPHeaders(extra.map { ($0.key, $0.value) })
        if let token { headers.replaceOrAdd(name: .authorization, value: "Bearer \(token)") }
        var body: ByteBuffer?
        if let json {
            body = ByteBuffer(data: try JSONSerialization.data(withJSONObject: json))
            headers.contentType = .json
        }
        headers.replaceOrAdd(name: .contentLength, value: String(body?.readableBytes ?? 0))
        let request = Request(application: self, method: method, url: URI(path: path), headers: headers, collectedBody: body,
                              remoteAddress: try SocketAddress(ipAddress: address, port: 50000), logger: logger,
                              on: eventLoopGroup.next())
        let response = try await responder.respond(to: request).get()
        let bytes = try await response.body.collect(on: request.eventLoop).get()
        return APIResponse(status: response.status, headers: response.headers, body: bytes.map { Data(buffer: $0) } ?? Data())
    }
}
