import NIOCore
import NIOHTTPTypes
import Synchronization

/// Limits on connections that the router never sees: how many one address may hold open, and how long
/// a client may take to send a request's headers and its body.
///
/// Idle keep-alive connections are closed by Hummingbird's idle timeout (`http.idle_timeout`). That
/// timer restarts with every byte, so a client sending its headers one byte at a time would hold a
/// connection forever; the header and body deadlines here do not restart. The per-address cap stops
/// one client from holding every file descriptor: 300 idle sockets made a server with 256 unreachable.
public struct ConnectionLimits: Sendable {
    /// Connections one address may hold open at once (`http.connections_per_address`).
    public var perAddress: Int
    /// Addresses whose connections are not capped: the trusted reverse proxies, which speak for many
    /// clients (`http.trusted_proxies`). The deadlines still apply to them.
    public var exempt: Set<String>
    /// From the connection (or the end of the previous response) to a complete request head.
    public var headerTimeout: TimeAmount
    /// From the request head to the end of its body.
    public var bodyTimeout: TimeAmount

    public init(
        perAddress: Int = 64, exempt: Set<String> = [], headerTimeout: TimeAmount = .seconds(20),
        bodyTimeout: TimeAmount = .seconds(60)
    ) {
        self.perAddress = perAddress
        self.exempt = exempt
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
    }
}

/// Open connections per address, shared by every connection's guard.
final class ConnectionCounts: Sendable {
    private let counts = Mutex<[String: Int]>([:])

    /// Counts one more connection for `address`; false (and not counted) when it already has `limit`.
    func open(_ address: String, limit: Int) -> Bool {
        counts.withLock { counts in
            let current = counts[address, default: 0]
            guard current < limit else { return false }
            counts[address] = current + 1
            return true
        }
    }

    func close(_ address: String) {
        counts.withLock { counts in
            let remaining = counts[address, default: 1] - 1
            counts[address] = remaining > 0 ? remaining : nil
        }
    }

    func count(_ address: String) -> Int { counts.withLock { $0[address, default: 0] } }
}

/// One per connection, after HTTP decoding: counts the connection against its address and closes it
/// when a request's head or body is late.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    let limits: ConnectionLimits
    let counts: ConnectionCounts
    private var started = false
    /// The address this connection is counted against; nil when it is not counted.
    private var address: String?
    private var deadline: Scheduled<Void>?

    init(limits: ConnectionLimits, counts: ConnectionCounts) {
        self.limits = limits
        self.counts = counts
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context)
        context.fireChannelActive()
    }

    private func start(_ context: ChannelHandlerContext) {
        guard !started else { return }
        started = true
        let key = context.channel.remoteAddress?.ipAddress ?? "unknown"
        if !limits.exempt.contains(key) {
            guard counts.open(key, limit: limits.perAddress) else {
                context.close(promise: nil)
                return
            }
            address = key
        }
        arm(limits.headerTimeout, context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: arm(limits.bodyTimeout, context)
        case .end: disarm()
        case .body: break
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        // The response is out: the next request's head is due within the header timeout.
        if case .end = unwrapOutboundIn(data) { arm(limits.headerTimeout, context) }
        context.write(data, promise: promise)
    }

    func channelInactive(context: ChannelHandlerContext) {
        release()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) { release() }

    private func arm(_ timeout: TimeAmount, _ context: ChannelHandlerContext) {
        deadline?.cancel()
        let channel = context.channel
        deadline = context.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
    }

    private func disarm() {
        deadline?.cancel()
        deadline = nil
    }

    private func release() {
        disarm()
        if let address { counts.close(address) }
        address = nil
    }
}
