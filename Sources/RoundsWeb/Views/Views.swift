import Foundation
import Hummingbird
import Mustache

/// Renders pages: a page template fills the body of `layout.mustache`. Mustache escapes every `{{value}}`
/// for HTML; the few `{{{raw}}}` values are built by Swift code that escapes what it inserts
/// (``HTMLText``), such as the answer with its highlights and the SVG charts.
struct Views: Sendable {
    let library: MustacheLibrary

    init() async throws {
        let folder = Bundle.module.resourceURL!.appendingPathComponent("Templates").path
        library = try await MustacheLibrary(directory: folder)
    }

    struct Layout {
        let title: String
        let body: String
        let csrf: String
        let accountsMode: Bool
        let signedIn: Bool
        let isCoach: Bool
        let isAdmin: Bool
    }

    func render(_ template: String, page: Any) -> String {
        guard let html = library.render(page, withTemplate: template) else {
            preconditionFailure("missing template \(template).mustache")
        }
        return html
    }

    func response(_ template: String, title: String, page: Any, context: AppRequestContext) -> Response {
        let body = render(template, page: page)
        let html = render(
            "layout",
            page: Layout(
                title: title, body: body, csrf: context.csrfToken, accountsMode: context.accountsMode,
                signedIn: context.account != nil,
                isCoach: [.coach, .admin].contains(context.account?.role), isAdmin: context.account?.role == .admin))
        return Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}

/// HTML escaping for text that Swift code puts into pages.
enum HTMLText {
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
