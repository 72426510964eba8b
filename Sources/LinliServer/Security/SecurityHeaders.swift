import Vapor

/// Headers every response carries: no inline script or framing, no content sniffing, no referrer, and
/// no caching of API answers (they may hold personal data).
struct SecurityHeaders: Middleware {
    static let policy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        next.respond(to: request).map { response in
            response.headers.add(name: "Content-Security-Policy", value: Self.policy)
            response.headers.add(name: "X-Content-Type-Options", value: "nosniff")
            response.headers.add(name: "X-Frame-Options", value: "DENY")
            response.headers.add(name: "Referrer-Policy", value: "no-referrer")
            // The raw request target: decoding the path costs more than this check is worth.
            if request.url.string.hasPrefix("/api/v1/") { response.headers.replaceOrAdd(name: .cacheControl, value: "no-store") }
            return response
        }
    }
}
