import Foundation
import Hummingbird
import Mustache
import RoundsCore
import Synchronization

/// Renders pages: a page template fills the body of `layout.mustache`. Mustache escapes every `{{value}}`
/// for HTML; the few `{{{raw}}}` values are built by Swift code that escapes what it inserts
/// (``HTMLText``), such as the answer with its highlights and the SVG charts.
struct PageRenderer: Sendable {
    let library: MustacheLibrary

    /// Loads and parses every template, and stops when one of `Template`'s is missing.
    init() async throws {
        let folder = Bundle.module.resourceURL!.appendingPathComponent("Templates").path
        library = try await MustacheLibrary(directory: folder)
        let missing = Template.allCases.filter { library.getTemplate(named: $0.rawValue) == nil }
        if !missing.isEmpty { throw MissingTemplates(names: missing.map(\.rawValue), folder: folder) }
    }

    struct Layout {
        let title: String
        let body: String
        let csrf: String
        /// The navigation's links; empty for a visitor who has not signed in, who has nothing to visit yet.
        let nav: [NavLink]
        let accountsMode: Bool
        let signedIn: Bool
    }

    struct NavLink {
        let href: String
        let label: String
        /// The section of the current page: marked with `aria-current="page"` and shown as current.
        let current: Bool
    }

    /// The navigation for `context`: the learner's sections, then the roles' and the account's.
    static func nav(_ context: AppRequestContext) -> [NavLink] {
        if context.accountsMode && context.account == nil { return [] }
        var links = [
            ("/", "Dashboard"), ("/plan", "Plan"), ("/roles", "Roles"), ("/openings", "Openings"),
            ("/practice", "Practise"),
            ("/mock", "Mock interview"),
            ("/questions", "Question bank"),
            ("/labs", "Labs"), ("/history", "History"), ("/settings", "Settings"),
        ]
        if [.coach, .admin].contains(context.account?.role) { links.append(("/coach", "Cohort")) }
        if context.account?.role == .admin { links.append(("/admin", "Admin")) }
        if context.accountsMode { links.append(("/account", "Account")) }
        let section = section(of: context.path)
        return links.map { NavLink(href: $0.0, label: $0.1, current: $0.0 == section) }
    }

    /// The navigation section a path belongs to: `/questions/hipaa-basics/reveal` is in `/questions`,
    /// and one answer's feedback (`/attempts/12`) is part of the history.
    static func section(of path: String) -> String {
        guard let first = path.split(separator: "/").first else { return "/" }
        return first == "attempts" ? "/history" : "/" + first
    }

    func render(_ template: Template, page: Any) -> String {
        // `init` checked that every template is there, so this cannot fail.
        library.render(page, withTemplate: template.rawValue) ?? ""
    }

    func response(_ template: Template, title: String, page: Any, context: AppRequestContext) -> Response {
        response(html: html(template, title: title, page: page, context: context, csrf: context.csrfToken))
    }

    /// The whole page: `template` inside the layout, whose navigation depends on who is asking.
    func html(_ template: Template, title: String, page: Any, context: AppRequestContext, csrf: String) -> String {
        render(
            .layout,
            page: Layout(
                title: title, body: render(template, page: page), csrf: csrf, nav: Self.nav(context),
                accountsMode: context.accountsMode, signedIn: context.account != nil))
    }

    /// What decides the layout's navigation, as part of a cache key.
    static func layoutKey(_ context: AppRequestContext) -> String {
        "\(context.accountsMode)|\(context.account?.role.rawValue ?? "-")|\(section(of: context.path))"
    }

    func response(html: String) -> Response {
        response(html: ByteBuffer(string: html))
    }

    func response(html: ByteBuffer) -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: html))
    }
}

/// Rendered pages that are the same for everyone but a few per-request values (the CSRF token, the time
/// the page was shown), kept with placeholders that are filled in per request. The question page is
/// the busiest and, until answered, depends on nothing about the learner: rendering it once instead of
/// on each request (Markdown and reflection-based Mustache) makes it many times cheaper.
final class PageCache: Sendable {
    /// Markers no content can contain: they include a random value chosen at start-up.
    static let nonce = UUID().uuidString.lowercased()
    static let csrfMarker = "rounds-csrf-\(nonce)"
    static let timeMarker = "rounds-time-\(nonce)"
    /// The learner's saved draft of the page's answer (HTML-escaped), and when it was saved, in ms.
    static let draftMarker = "rounds-draft-\(nonce)"
    static let draftTimeMarker = "rounds-draft-time-\(nonce)"
    static let markers = [csrfMarker, timeMarker, draftMarker, draftTimeMarker]

    enum Part: Sendable {
        case literal(ByteBuffer)
        case csrf
        case time
        case draft
        case draftTime
    }

    /// Most pages kept, and most bytes: past either, the cache starts again rather than grow. Keys
    /// are canonical (a question and a layout), so a full cache means a new deployment's worth of
    /// pages, not a client inventing keys.
    let limit: Int
    let byteLimit: Int
    private let pages = Mutex<(entries: [String: [Part]], bytes: Int)>(([:], 0))

    init(limit: Int = 4_000, byteLimit: Int = 64 << 20) {
        self.limit = limit
        self.byteLimit = byteLimit
    }

    /// Pages and bytes held now.
    var size: (pages: Int, bytes: Int) { pages.withLock { ($0.entries.count, $0.bytes) } }

    /// The page for `key`, rendering it with the markers on first use, filled with this request's values.
    /// A page without markers is returned as the cached buffer itself (copy-on-write: no copy is made).
    func page(_ key: String, csrf: String, time: Int, draft: Draft? = nil, render: () throws -> String) rethrows
        -> ByteBuffer
    {
        let parts: [Part]
        if let cached = pages.withLock({ $0.entries[key] }) {
            parts = cached
        } else {
            parts = Self.split(try render())
            let bytes = parts.reduce(0) { total, part in
                if case .literal(let buffer) = part { total + buffer.readableBytes } else { total }
            }
            pages.withLock { cache in
                if cache.entries.count >= limit || cache.bytes + bytes > byteLimit {
                    cache = ([:], 0)
                }
                if cache.entries.updateValue(parts, forKey: key) == nil { cache.bytes += bytes }
            }
        }
        if parts.count == 1, case .literal(let buffer) = parts[0] { return buffer }
        var out = ByteBuffer()
        out.reserveCapacity(
            parts.reduce(0) { total, part in
                if case .literal(let buffer) = part { total + buffer.readableBytes } else { total + 64 }
            })
        for part in parts {
            switch part {
            case .literal(let buffer): out.writeImmutableBuffer(buffer)
            case .csrf: out.writeString(csrf)
            case .time: out.writeString(String(time))
            case .draft: if let draft { out.writeString(HTMLText.escape(draft.text)) }
            case .draftTime: out.writeString(String(draft.map { Self.milliseconds($0.savedAt) } ?? 0))
            }
        }
        return out
    }

    /// Splits a page into literal runs and markers, so filling it is one pass of appends.
    static func split(_ html: String) -> [Part] {
        var parts: [Part] = []
        var rest = html[...]
        while let (range, marker) = markers.compactMap({ marker in
            rest.firstRange(of: marker).map { ($0, marker) }
        }).min(by: { $0.0.lowerBound < $1.0.lowerBound }) {
            parts.append(.literal(ByteBuffer(substring: rest[..<range.lowerBound])))
            let part: Part =
                switch marker {
                case csrfMarker: .csrf
                case timeMarker: .time
                case draftMarker: .draft
                default: .draftTime
                }
            parts.append(part)
            rest = rest[range.upperBound...]
        }
        parts.append(.literal(ByteBuffer(substring: rest)))
        return parts
    }
}

extension PageCache {
    /// A time as whole milliseconds since 1970, as JavaScript's `Date.now()` gives it.
    static func milliseconds(_ date: Date) -> Int64 {
        let value = (date.timeIntervalSince1970 * 1000).rounded()
        return value.isFinite && abs(value) < 1e15 ? Int64(value) : 0
    }
}

/// HTML escaping for text that Swift code puts into pages.
enum HTMLText {
    /// `text` escaped, with each `code span` (as graders write column names and SQL) set in <code>.
    static func withCodeSpans(_ text: String) -> String {
        escape(text).replacing(/`([^`]+)`/) { "<code>\($0.1)</code>" }
    }

    static func escape(_ text: some StringProtocol) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
