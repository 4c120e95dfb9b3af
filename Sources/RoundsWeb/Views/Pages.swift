import Foundation
import RoundsContent
import RoundsCore
import RoundsFeedback

// The data each template renders. Names match the templates' {{tags}}.

struct Option {
    let value: String
    let label: String
    let selected: Bool
}

/// A list shown a page at a time (the question bank, the history): where the page starts, the links to
/// its neighbours, which keep the list's filters, and the words for which items it shows.
struct Pager {
    /// 1-based.
    let number: Int
    let size: Int
    var offset: Int { (number - 1) * size }

    /// The previous and next pages' links (nil at either end) and whether the list has more than one page.
    func links(path: String, query: [(String, String)], total: Int, shown: Int) -> (
        newer: String?, older: String?, hasPages: Bool
    ) {
        func link(_ page: Int) -> String {
            URLEncodedForm.link(path, query + (page > 1 ? [("page", String(page))] : []))
        }
        return (number > 1 ? link(number - 1) : nil, offset + shown < total ? link(number + 1) : nil, total > size)
    }

    /// "26 to 28 of 28 answers": the items this page shows.
    func range(total: Int, shown: Int, noun: String) -> String {
        "\(offset + 1) to \(offset + shown) of \(total) \(noun)"
    }
}
