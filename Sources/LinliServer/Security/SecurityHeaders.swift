import Vapor

/// Headers every response carries: no inline script or framing, no content sniffing, no referrer, and
/// no caching of API answers (they may hold personal data).
struct SecurityHeaders: Middleware {
    static let policy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        next.respond(to: request).map { response in
            let h = response.headers
            var headers = h
            headers.replaceOrAdd(name: "Content-Security-Policy", value: Self.policy)
            headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
            headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
            headers.replaceOrAdd(name: "Referrer-Policy", value: "no-referrer")
            if request.url.path.hasPrefix("/api/v1/") { headers.replaceOrAdd(name: .cacheControl, value: "no-store") }
            response.headers = headers
            return response
        }
    }
}
