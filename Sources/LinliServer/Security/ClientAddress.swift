import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Vapor

/// An address range the operator trusts to say who its clients are (`LINLI_TRUSTED_PROXIES`: addresses or
/// CIDR ranges, IPv4 or IPv6, separated by commas), such as the nginx in front of the server.
struct IPRange: Sendable, Equatable, CustomStringConvertible {
    var bytes: [UInt8]
    var prefix: Int

    /// `127.0.0.1`, `10.0.0.0/8`, `::1`, `fd00::/8`; nil for anything else.
    init?(_ text: some StringProtocol) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let bytes = IPRange.parse(String(parts[0])) else { return nil }
        self.bytes = bytes
        if parts.count == 2 {
            guard let p = Int(parts[1]), (0...bytes.count * 8).contains(p) else { return nil }
            prefix = p
        } else {
            prefix = bytes.count * 8
        }
    }

    /// The address's 4 or 16 bytes; an IPv4-mapped IPv6 address (`::ffff:127.0.0.1`) as its IPv4 bytes.
    static func parse(_ address: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, address, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, address, &v6) == 1 else { return nil }
        let b = withUnsafeBytes(of: &v6) { Array($0) }
        if b[0..<10].allSatisfy({ $0 == 0 }) && b[10] == 0xFF && b[11] == 0xFF { return Array(b[12..<16]) }
        return b
    }

    func contains(_ address: String) -> Bool {
        guard let other = IPRange.parse(address), other.count == bytes.count else { return false }
        var bits = prefix
        for i in bytes.indices where bits > 0 {
            let mask: UInt8 = bits >= 8 ? 0xFF : ~(0xFF >> UInt8(bits))
            guard bytes[i] & mask == other[i] & mask else { return false }
            bits -= 8
        }
        return true
    }

    var description: String {
        let text: String
        if bytes.count == 4 {
            text = bytes.map(String.init).joined(separator: ".")
        } else {
            text = stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }.joined(separator: ":")
        }
        return prefix == bytes.count * 8 ? text : "\(text)/\(prefix)"
    }

    /// The list of `LINLI_TRUSTED_PROXIES`; nil (with the first bad entry) when an entry is not an address or range.
    static func list(_ text: String) -> Result<[IPRange], InvalidEntry> {
        var out: [IPRange] = []
        for entry in text.split(separator: ",") where !entry.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let range = IPRange(entry) else { return .failure(InvalidEntry(text: String(entry))) }
            out.append(range)
        }
        return .success(out)
    }

    struct InvalidEntry: Error { var text: String }
}

enum ClientAddress {
    /// Who the client is. The peer of the connection, unless the peer is a trusted proxy: then the
    /// `X-Forwarded-For` chain is read from the right (each proxy appends the address it saw), skipping
    /// trusted proxies, and the first address not trusted is the client. Entries to the left of it were
    /// written by the client itself and are never believed.
    static func resolve(peer: String?, forwardedFor: [String], trusted: [IPRange]) -> String {
        guard let peer else { return "unknown" }
        guard !trusted.isEmpty, trusted.contains(where: { $0.contains(peer) }) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        for hop in hops.reversed() {
            // A hop that is not an address (`unknown`, garbage) ends the trust: what lies left of it is unknown.
            guard IPRange.parse(hop) != nil else { return peer }
            if !trusted.contains(where: { $0.contains(hop) }) { return hop }
        }
        // Every hop is a trusted proxy: the leftmost is the nearest thing to a client there is.
        return hops.first ?? peer
    }
}

extension Request {
    /// The client's address for rate limits and the audit log (see `ClientAddress.resolve`).
    var clientAddress: String {
        ClientAddress.resolve(peer: remoteAddress?.ipAddress, forwardedFor: headers[.xForwardedFor],
                              trusted: application.linli.trustedProxies)
    }
}
