import Foundation
import HTTPTypes

/// The address a request came from, for the per-address limits (sign-ups, failed sign-ins).
///
/// Behind a reverse proxy every request arrives from the proxy, so a whole cohort would share one
/// address and one limit. When the peer is a proxy the operator named (`http.trusted_proxies`), the
/// client is the nearest address in `X-Forwarded-For` that is not one of those proxies: each proxy
/// appends the address it received from, so the entries right of the first untrusted one were written
/// by trusted proxies, and those left of it may be forged by the client. From any other peer the
/// header is ignored.
enum ClientAddress {
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    static func of(peer: String, forwardedFor header: String?, trustedProxies: Set<String>) -> String {
        guard trustedProxies.contains(peer), let header else { return peer }
        let hops = header.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return hops.last { !trustedProxies.contains($0) } ?? hops.first ?? peer
    }
}
