import Configuration
import Foundation
import Hummingbird
import HummingbirdTesting
import RoundsTestSupport
import Testing

@testable import RoundsWeb

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 21, finding 5: idle connections were held forever, and 300 of them made a server with 256
/// file descriptors unreachable. On a live server over loopback, with raw sockets.
@Suite(.serialized) struct ConnectionLimitsTests {
    func makeApp() async throws -> some ApplicationProtocol {
        try await TestApp.make(["http.port": 0, "http.connections_per_address": 16, "http.header_timeout": 2])
    }

    /// A TCP connection to the server from `source` (any 127.x.x.x address is this machine). A connect
    /// that fails is tried again, on a new socket, up to five times: on a loaded 2-core machine a burst
    /// of 300 connects can find the listen queue full, which is the machine's limit, not the server's.
    static func connect(port: Int, from source: String = "127.0.0.1") throws -> Int32 {
        var failure: Int32 = 0
        for attempt in 0..<5 {
            if attempt > 0 { usleep(50_000 << attempt) }
            let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            try #require(socket >= 0)
            var local = sockaddr_in()
            local.sin_family = sa_family_t(AF_INET)
            inet_pton(AF_INET, source, &local.sin_addr)
            var remote = sockaddr_in()
            remote.sin_family = sa_family_t(AF_INET)
            remote.sin_port = in_port_t(UInt16(port).bigEndian)
            inet_pton(AF_INET, "127.0.0.1", &remote.sin_addr)
            let bound = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            try #require(bound == 0, "bind to \(source)")
            let connected = withUnsafePointer(to: &remote) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard connected == 0 else {
                failure = errno
                close(socket)
                continue
            }
            var timeout = timeval(tv_sec: 30, tv_usec: 0)
            setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            return socket
        }
        throw ConnectFailed(errno: failure)
    }

    struct ConnectFailed: Error, CustomStringConvertible {
        let errno: Int32
        var description: String { "connect failed five times: \(String(cString: strerror(errno)))" }
    }

    /// True when the server has closed the connection (a read returns end of file at once or soon).
    static func isClosed(_ socket: Int32) -> Bool {
        var byte: UInt8 = 0
        return recv(socket, &byte, 1, 0) == 0
    }

    /// The status line of a GET from `source`, on a fresh connection each try: on a loaded 2-core
    /// machine one request can miss the 2 s header deadline it is given here (seen once in CI), which
    /// is the test's own tight setting, not the server refusing the address.
    static func statusLine(port: Int, from source: String, tries: Int = 3) throws -> String {
        var line = ""
        for _ in 0..<tries {
            line = try statusLineOnce(port: port, from: source)
            if line == "HTTP/1.1 200 OK" { break }
        }
        return line
    }

    static func statusLineOnce(port: Int, from source: String) throws -> String {
        let socket = try connect(port: port, from: source)
        defer { close(socket) }
        let request = "GET /static/style.css HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        _ = request.withCString { send(socket, $0, strlen($0), 0) }
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = recv(socket, &buffer, buffer.count, 0)
        return count > 0 ? String(decoding: buffer[..<count], as: UTF8.self).components(separatedBy: "\r\n")[0] : ""
    }

    /// Runs blocking socket calls on a thread of their own. The server's handlers run on the concurrency
    /// pool, which has one thread per core: a test that blocked two of them in `recv` on a 2-core machine
    /// would keep the server from answering the very request it waits for.
    static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
        }
    }

    @Test func idleSocketsNeitherHoldTheServerNorStopOthers() async throws {
        try await makeApp().test(.live) { client in
            let port = try #require(client.port)
            // 300 connections that never send a byte, all from one address.
            let idle = try await Self.offPool { try (0..<300).map { _ in try Self.connect(port: port) } }
            defer { for socket in idle { close(socket) } }
            // Another address is served while they are held: one address may hold only 16.
            #expect(try await Self.offPool { try Self.statusLine(port: port, from: "127.0.0.2") } == "HTTP/1.1 200 OK")
            // Every one of them is closed by the server: past the cap at once, the 16 it admitted at
            // the 2 s header deadline (a read returns end of file; 30 s is the test's own patience).
            let closed = try await Self.offPool { idle.filter(Self.isClosed).count }
            #expect(closed == 300, "\(closed) of 300 idle connections closed by the server")
            #expect(try await Self.offPool { try Self.statusLine(port: port, from: "127.0.0.1") } == "HTTP/1.1 200 OK")
        }
    }

    @Test func aRequestHeadSentOneByteAtATimeIsCutOff() async throws {
        try await makeApp().test(.live) { client in
            let port = try #require(client.port)
            let socket = try await Self.offPool { try Self.connect(port: port) }
            defer { close(socket) }
            let started = Date()
            var closed = false
            var sent = 0
            // A byte every half second: the idle timeout restarts with each, the header deadline does not,
            // so the server closes the connection long before the whole head (about 20 s) has arrived.
            let head = Array("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 0123456789".utf8)
            for byte in head {
                var value = byte
                if send(socket, &value, 1, Int32(MSG_NOSIGNAL)) <= 0 {
                    closed = true
                    break
                }
                sent += 1
                try await Task.sleep(for: .milliseconds(500))
                if Date().timeIntervalSince(started) > 60 { break }
            }
            let closedByServer = try await Self.offPool { Self.isClosed(socket) }
            closed = closed || closedByServer
            #expect(closed, "the connection is closed by the 2 s header deadline")
            #expect(
                sent < head.count, "the server closed it before the head was complete (\(sent) of \(head.count) bytes)")
        }
    }

    /// Issue 14: a reverse proxy speaks for many clients, so its connections are not capped per address
    /// (`http.trusted_proxies`); the header deadline still closes the idle ones.
    @Test func aTrustedProxyMayHoldMoreConnectionsThanTheCap() async throws {
        try await TestApp.make([
            "http.port": 0, "http.connections_per_address": 16, "http.header_timeout": 2,
            "http.trusted_proxies": "127.0.0.3",
        ]).test(.live) { client in
            let port = try #require(client.port)
            // 24 connections from the proxy's address, then a request on a 25th: it is served.
            let held = try await Self.offPool {
                try (0..<24).map { _ in try Self.connect(port: port, from: "127.0.0.3") }
            }
            defer { for socket in held { close(socket) } }
            #expect(try await Self.offPool { try Self.statusLine(port: port, from: "127.0.0.3") } == "HTTP/1.1 200 OK")
            // Another address is still held to the cap: its 17th connection is closed at once.
            let other = try await Self.offPool {
                try (0..<17).map { _ in try Self.connect(port: port, from: "127.0.0.4") }
            }
            defer { for socket in other { close(socket) } }
            #expect(try await Self.offPool { Self.isClosed(other[16]) })
        }
    }
}
