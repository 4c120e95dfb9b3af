import Foundation

/// Reads job postings from what a learner has: schema.org `JobPosting` JSON-LD (pasted, a file of one
/// or many, or a saved job page whose `<script type="application/ld+json">` blocks hold them), CSV, or
/// the fields of the add-by-hand form. Either every posting reads, or nothing is imported and the
/// error lists each problem with where it is and how to fix it.
public enum OpeningImport {
    /// The formats `rounds openings import --format` and the web form accept.
    public enum Format: String, Sendable, CaseIterable {
        case jsonld, csv

        /// The format a file's name or content suggests: `.csv` files and text whose first line names
        /// a `title` column are CSV; everything else is read as JSON-LD (or a page that holds it).
        public static func guess(name: String?, text: String) -> Format {
            if let name, name.lowercased().hasSuffix(".csv") { return .csv }
            if let name, [".json", ".jsonld", ".html", ".htm"].contains(where: name.lowercased().hasSuffix) {
                return .jsonld
            }
            let start = text.drop { $0.isWhitespace || $0 == "\u{FEFF}" }
            if start.first == "{" || start.first == "[" || start.first == "<" { return .jsonld }
            let firstLine = start.prefix { $0 != "\n" && $0 != "\r" }.lowercased()
            return firstLine.contains("title") && firstLine.contains(",") ? .csv : .jsonld
        }
    }

    /// What is wrong with an import: every problem found, each with where it is and how to fix it.
    public struct Failure: Error, CustomStringConvertible, Sendable, Hashable {
        public struct Problem: Sendable, Hashable {
            /// Where: `posting 2 ("Data Analyst")`, `line 4, column salary_period`.
            public let place: String
            public let problem: String
            /// How to fix it, as a sentence.
            public let fix: String

            public init(place: String, problem: String, fix: String) {
                self.place = place
                self.problem = problem
                self.fix = fix.prefix(1).uppercased() + fix.dropFirst()
            }
        }
        public let problems: [Problem]

        public init(_ problems: [Problem]) { self.problems = problems }
        init(_ place: String, _ problem: String, fix: String) {
            self.problems = [.init(place: place, problem: problem, fix: fix)]
        }

        public var description: String { (["Nothing was imported."] + lines).joined(separator: "\n") }

        /// The first ``shown`` problems, one line each, and how many more there are.
        public var lines: [String] {
            problems.prefix(Self.shown).map { "\($0.place): \($0.problem) \($0.fix)" }
                + (problems.count > Self.shown ? ["… and \(problems.count - Self.shown) more problems."] : [])
        }

        /// Problems listed before "… and N more".
        static let shown = 12
    }

    /// The most postings one import reads.
    public static let maxPostings = 500
    /// The largest text one import reads, in bytes (a saved job board page is a few hundred kB).
    public static let maxBytes = 5_000_000

    /// Reads `text` in `format`, stamping each opening as added at `now`.
    public static func read(_ text: String, format: Format, now: Date) throws(Failure) -> [Opening] {
        guard text.utf8.count <= maxBytes else {
            throw Failure(
                "the text",
                "is \(text.utf8.count / 1_000_000) MB; Rounds reads at most \(maxBytes / 1_000_000) MB at a time.",
                fix: "split it into smaller files.")
        }
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw Failure("the text", "is empty.", fix: "paste a posting's JSON-LD or a CSV with a header line.")
        }
        let openings = try format == .csv ? csv(text, now: now) : jsonLD(text, now: now)
        guard openings.count <= maxPostings else {
            throw Failure(
                "the text", "holds \(openings.count) postings; one import reads at most \(maxPostings).",
                fix: "split it into smaller files.")
        }
        return openings
    }

    // MARK: - Fields, shared by CSV and the form

    /// The CSV columns, which are also the names of the add-by-hand form's fields.
    public static let columns = [
        "title", "company", "description", "location", "remote", "salary_min", "salary_max", "salary_currency",
        "salary_period", "date_posted", "url",
    ]
    public static let requiredColumns = ["title", "company", "description"]
    /// Columns `rounds export` adds to openings.csv; an import reads past them.
    public static let exportColumns = ["added_at", "plan_target"]

    /// One opening from named fields (a CSV row or the form); `place` says where, for errors.
    public static func opening(fields: [String: String], place: String, now: Date) throws(Failure) -> Opening {
        var problems: [Failure.Problem] = []
        func value(_ name: String) -> String? {
            let text = fields[name]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            return text.isEmpty ? nil : text
        }
        func problem(_ column: String, _ what: String, _ fix: String) {
            problems.append(.init(place: "\(place), \(column)", problem: what, fix: fix))
        }
        for column in requiredColumns where value(column) == nil {
            problem(column, "is empty.", "every opening needs a title, a company and a description.")
        }
        let remote: Bool
        switch value("remote")?.lowercased() {
        case nil, "no", "false", "0", "on-site", "onsite", "on site": remote = false
        case "yes", "true", "1", "remote": remote = true
        case let other?:
            remote = false
            problem("remote", "“\(other)” is not yes or no.", "write yes, no, true, false, 1 or 0.")
        }
        var salary: Salary?
        let salaryFields = ["salary_min", "salary_max", "salary_currency", "salary_period"]
        if salaryFields.contains(where: { value($0) != nil }) {
            let minimum = value("salary_min").map { amount($0) }
            let maximum = value("salary_max").map { amount($0) }
            for (column, parsed) in [("salary_min", minimum), ("salary_max", maximum)] where parsed == .some(nil) {
                problem(column, "“\(value(column)!)” is not an amount.", "write a number such as 95000 or 52.50.")
            }
            if minimum == nil && maximum == nil {
                problem(
                    "salary_min", "is empty, but other salary columns are filled.",
                    "give salary_min, salary_max or both.")
            }
            let currency = value("salary_currency")?.uppercased()
            if let problemText = currencyProblem(currency) {
                problem("salary_currency", problemText, "write an ISO 4217 code such as USD, EUR or GBP.")
            }
            let period = value("salary_period").map { Self.period($0) }
            if period == nil {
                problem("salary_period", "is empty.", "write hour, day, week, month or year.")
            } else if period == .some(nil) {
                problem(
                    "salary_period", "“\(value("salary_period")!)” is not a unit Rounds knows.",
                    "write hour, day, week, month or year.")
            }
            if case let low?? = minimum ?? maximum, case let high?? = maximum ?? minimum, let currency,
                currencyProblem(currency) == nil, case let unit?? = period
            {
                if let rangeProblem = rangeProblem(low, high) {
                    problem("salary_min", rangeProblem, "give the lower figure first and no negative amounts.")
                } else {
                    salary = Salary(minimum: low, maximum: high, currency: currency, period: unit)
                }
            }
        }
        var datePosted: String?
        if let text = value("date_posted") {
            datePosted = day(text)
            if datePosted == nil {
                problem("date_posted", "“\(text)” is not a date.", "write it as YYYY-MM-DD, such as 2026-11-30.")
            }
        }
        let opening = Opening(
            title: value("title") ?? "", company: value("company") ?? "", location: value("location"), remote: remote,
            salary: salary, datePosted: datePosted, description: value("description").map(plainText) ?? "",
            url: value("url"), addedAt: now)
        problems += lengthProblems(opening, place: place)
        guard problems.isEmpty else { throw Failure(problems) }
        return opening
    }

    // MARK: - CSV

    static func csv(_ text: String, now: Date) throws(Failure) -> [Opening] {
        let records: [CSVText.Record]
        do {
            records = try CSVText.records(text)
        } catch {
            throw Failure(
                "line \(error.line)", "a quoted field opens here and never closes.",
                fix: "add the closing \" (a quote inside a field is written \"\").")
        }
        guard let header = records.first else {
            throw Failure("the CSV", "is empty.", fix: "start with a header line.")
        }
        let names = header.fields.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: " ", with: "_")
                .replacingOccurrences(of: "-", with: "_")
        }
        var problems: [Failure.Problem] = []
        let missing = requiredColumns.filter { !names.contains($0) }
        if !missing.isEmpty {
            problems.append(
                .init(
                    place: "line 1 (the header)", problem: "has no \(missing.joined(separator: ", ")) column.",
                    fix:
                        "the header must name title, company and description; it may also name \(columns.dropFirst(3).joined(separator: ", "))."
                ))
        }
        for name in names where !columns.contains(name) && !exportColumns.contains(name) {
            problems.append(
                .init(
                    place: "line 1 (the header)", problem: "“\(name)” is not a column Rounds reads.",
                    fix: "use only \(columns.joined(separator: ", "))."))
        }
        let repeated = Dictionary(grouping: names, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
        for name in repeated {
            problems.append(.init(place: "line 1 (the header)", problem: "names “\(name)” twice.", fix: "keep one."))
        }
        guard problems.isEmpty else { throw Failure(problems) }
        var openings: [Opening] = []
        for record in records.dropFirst() {
            if record.fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            guard record.fields.count <= names.count else {
                problems.append(
                    .init(
                        place: "line \(record.line)",
                        problem: "has \(record.fields.count) fields; the header names \(names.count).",
                        fix: "put quotes around a field that holds a comma."))
                continue
            }
            let fields = Dictionary(zip(names, record.fields), uniquingKeysWith: { a, _ in a })
            do {
                openings.append(try opening(fields: fields, place: "line \(record.line)", now: now))
            } catch {
                problems += error.problems
            }
        }
        guard problems.isEmpty else { throw Failure(problems) }
        guard !openings.isEmpty else {
            throw Failure("the CSV", "has a header but no openings.", fix: "add one line per opening under the header.")
        }
        return openings
    }

    // MARK: - JSON-LD

    static func jsonLD(_ text: String, now: Date) throws(Failure) -> [Opening] {
        var documents: [(place: String, json: Any)] = []
        let trimmed = text.drop { $0.isWhitespace || $0 == "\u{FEFF}" }
        if trimmed.first == "<" {
            let blocks = scriptBlocks(String(trimmed))
            guard !blocks.isEmpty else {
                throw Failure(
                    "the page", "has no <script type=\"application/ld+json\"> block.",
                    fix: "job boards embed a posting in one; if this page has none, add the posting by hand or as CSV.")
            }
            for (index, block) in blocks.enumerated() {
                documents.append(("JSON-LD block \(index + 1)", try parse(block, place: "JSON-LD block \(index + 1)")))
            }
        } else {
            documents.append(("the JSON", try parse(String(trimmed), place: "the JSON")))
        }
        var postings: [(path: String, object: [String: Any])] = []
        var otherTypes: Set<String> = []
        func walk(_ value: Any, path: String) {
            if let array = value as? [Any] {
                for (index, item) in array.enumerated() { walk(item, path: "\(path)[\(index)]") }
            } else if let object = value as? [String: Any] {
                let types = (object["@type"] as? String).map { [$0] } ?? (object["@type"] as? [String]) ?? []
                if types.contains(where: {
                    $0 == "JobPosting" || $0.hasSuffix("/JobPosting") || $0.hasSuffix(":JobPosting")
                }) {
                    postings.append((path, object))
                } else {
                    otherTypes.formUnion(types)
                    if let graph = object["@graph"] { walk(graph, path: path.isEmpty ? "@graph" : "\(path).@graph") }
                }
            }
        }
        for document in documents { walk(document.json, path: documents.count > 1 ? document.place : "") }
        guard !postings.isEmpty else {
            let found = otherTypes.isEmpty ? "no @type at all" : "only \(otherTypes.sorted().joined(separator: ", "))"
            throw Failure(
                "the JSON-LD", "holds no JobPosting (it has \(found)).",
                fix:
                    "a posting is an object with \"@type\": \"JobPosting\", a title, a hiringOrganization and a description."
            )
        }
        var openings: [Opening] = []
        var problems: [Failure.Problem] = []
        for (index, posting) in postings.enumerated() {
            var place = "posting \(index + 1)"
            if !posting.path.isEmpty { place += " at \(posting.path)" }
            if let title = posting.object["title"] as? String { place += " (“\(title.prefix(60))”)" }
            do {
                openings.append(try opening(jsonLD: posting.object, place: place, now: now))
            } catch {
                problems += error.problems
            }
        }
        guard problems.isEmpty else { throw Failure(problems) }
        return openings
    }

    static func parse(_ text: String, place: String) throws(Failure) -> Any {
        do {
            return try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        } catch {
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
            throw Failure(
                place, "is not valid JSON\(detail.map { ": \($0)" } ?? "") \(Self.jsonErrorPosition(text) ?? "")",
                fix:
                    "check the quotes, commas and brackets there; copy the whole <script type=\"application/ld+json\"> block's content."
            )
        }
    }

    /// `(line L, column C)` of the first place a JSON reader would stop, found by a small scanner of our
    /// own: Foundation's message names an offset on some platforms and a line on others.
    static func jsonErrorPosition(_ text: String) -> String? {
        var scanner = JSONScanner(bytes: Array(text.utf8))
        guard let offset = scanner.firstError() else { return nil }
        let before = Array(text.utf8).prefix(offset)
        let line = before.filter { $0 == 0x0A }.count + 1
        let column = offset - (before.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0) + 1
        return "(line \(line), column \(column))"
    }

    static func opening(jsonLD object: [String: Any], place: String, now: Date) throws(Failure) -> Opening {
        var problems: [Failure.Problem] = []
        func problem(_ field: String, _ what: String, _ fix: String) {
            problems.append(.init(place: "\(place), \(field)", problem: what, fix: fix))
        }
        let title = (object["title"] as? String)?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if title.isEmpty { problem("title", "is missing.", "add \"title\": \"…\" with the job's title.") }
        var company = ""
        switch object["hiringOrganization"] {
        case let name as String: company = name
        case let organization as [String: Any]: company = (organization["name"] as? String) ?? ""
        default: break
        }
        company = company.trimmingCharacters(in: .whitespacesAndNewlines)
        if company.isEmpty {
            problem(
                "hiringOrganization.name", "is missing.",
                "add \"hiringOrganization\": {\"@type\": \"Organization\", \"name\": \"…\"}.")
        }
        let description = (object["description"] as? String).map(plainText) ?? ""
        if description.isEmpty { problem("description", "is missing.", "add \"description\" with the posting's text.") }

        var datePosted: String?
        if let text = object["datePosted"] as? String {
            datePosted = day(text)
            if datePosted == nil {
                problem("datePosted", "“\(text)” is not a date.", "write it as ISO 8601, such as \"2026-11-30\".")
            }
        }
        let remote =
            ((object["jobLocationType"] as? String) ?? "").uppercased() == "TELECOMMUTE"
            || ((object["jobLocationType"] as? [String]) ?? []).contains { $0.uppercased() == "TELECOMMUTE" }
        let location = locations(object["jobLocation"])

        var salary: Salary?
        if let base = object["baseSalary"] {
            do {
                salary = try Self.salary(base, place: "\(place), baseSalary")
            } catch {
                problems += error.problems
            }
        }
        let url = (object["url"] as? String).flatMap { $0.isEmpty ? nil : $0 }
        let opening = Opening(
            title: title, company: company, location: location, remote: remote, salary: salary, datePosted: datePosted,
            description: description, url: url, addedAt: now)
        problems += lengthProblems(opening, place: place)
        guard problems.isEmpty else { throw Failure(problems) }
        return opening
    }

    /// A `MonetaryAmount`: `currency` and a `value` that is a number or a `QuantitativeValue` with
    /// `value` or `minValue`/`maxValue`, and `unitText`.
    static func salary(_ value: Any, place: String) throws(Failure) -> Salary {
        guard let amount = value as? [String: Any] else {
            throw Failure(
                place, "is not an object.",
                fix: "write {\"@type\": \"MonetaryAmount\", \"currency\": \"USD\", \"value\": {…}}.")
        }
        var problems: [Failure.Problem] = []
        let currency = (amount["currency"] as? String)?.uppercased()
        if let text = currencyProblem(currency) {
            problems.append(
                .init(place: "\(place).currency", problem: text, fix: "write an ISO 4217 code such as \"USD\"."))
        }
        var low: Double?
        var high: Double?
        var unit: Salary.Period?
        let quantity = amount["value"]
        if let number = number(quantity) {
            low = number
            high = number
        } else if let quantity = quantity as? [String: Any] {
            let single = number(quantity["value"])
            low = number(quantity["minValue"]) ?? single ?? number(quantity["maxValue"])
            high = number(quantity["maxValue"]) ?? single ?? low
            if low == nil {
                problems.append(
                    .init(
                        place: "\(place).value", problem: "has no minValue, maxValue or value.",
                        fix: "give the amounts as numbers."))
            }
            if let text = quantity["unitText"] as? String {
                unit = period(text)
                if unit == nil {
                    problems.append(
                        .init(
                            place: "\(place).value.unitText", problem: "“\(text)” is not a unit Rounds knows.",
                            fix: "use HOUR, DAY, WEEK, MONTH or YEAR."))
                }
            } else {
                problems.append(
                    .init(
                        place: "\(place).value.unitText", problem: "is missing.",
                        fix: "add \"unitText\": \"YEAR\" (or HOUR, DAY, WEEK, MONTH)."))
            }
        } else {
            problems.append(
                .init(
                    place: "\(place).value", problem: "is missing or not a number.",
                    fix:
                        "write {\"@type\": \"QuantitativeValue\", \"minValue\": 90000, \"maxValue\": 120000, \"unitText\": \"YEAR\"}."
                ))
        }
        if amount["value"].flatMap(number) != nil {
            problems.append(
                .init(
                    place: "\(place).value", problem: "has no unitText.",
                    fix:
                        "write the value as a QuantitativeValue with \"unitText\": \"YEAR\" (or HOUR, DAY, WEEK, MONTH)."
                ))
        }
        if let low, let high, let text = rangeProblem(low, high) {
            problems.append(
                .init(
                    place: "\(place).value", problem: text,
                    fix: "give minValue no higher than maxValue, and no negative amounts."))
        }
        guard problems.isEmpty, let low, let high, let unit, let currency else { throw Failure(problems) }
        return Salary(minimum: low, maximum: high, currency: currency, period: unit)
    }

    static func locations(_ value: Any?) -> String? {
        let places = (value as? [Any]) ?? (value.map { [$0] } ?? [])
        let names = places.compactMap { place -> String? in
            if let text = place as? String { return text }
            guard let object = place as? [String: Any] else { return nil }
            if let text = object["address"] as? String { return text }
            guard let address = object["address"] as? [String: Any] else { return object["name"] as? String }
            let country =
                (address["addressCountry"] as? String)
                ?? ((address["addressCountry"] as? [String: Any])?["name"] as? String)
            let parts = [address["addressLocality"] as? String, address["addressRegion"] as? String, country]
            let text = parts.compactMap { $0?.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(
                separator: ", ")
            return text.isEmpty ? nil : text
        }
        let text = names.joined(separator: "; ")
        return text.isEmpty ? nil : text
    }

    // MARK: - Small readers

    static func number(_ value: Any?) -> Double? {
        if let number = value as? NSNumber, !(value is Bool) { return number.doubleValue }
        if let text = value as? String { return amount(text) }
        return nil
    }

    /// `95000`, `95,000`, `$95,000.00` or `52.5` as a number.
    static func amount(_ text: String) -> Double? {
        var cleaned = text.trimmingCharacters(in: .whitespaces)
        for symbol in ["$", "€", "£", ","] { cleaned = cleaned.replacingOccurrences(of: symbol, with: "") }
        guard !cleaned.isEmpty, cleaned.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-") }),
            let value = Double(cleaned), value.isFinite
        else { return nil }
        return value
    }

    static func period(_ text: String) -> Salary.Period? {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "hour", "hourly", "hr", "per hour": .hour
        case "day", "daily", "per day": .day
        case "week", "weekly", "per week": .week
        case "month", "monthly", "per month": .month
        case "year", "yearly", "annual", "annually", "annum", "per year", "yr": .year
        default: nil
        }
    }

    static func currencyProblem(_ currency: String?) -> String? {
        guard let currency, !currency.isEmpty else { return "is missing." }
        guard currency.count == 3, currency.allSatisfy({ $0.isASCII && $0.isLetter }) else {
            return "“\(currency)” is not a currency code."
        }
        return nil
    }

    static func rangeProblem(_ low: Double, _ high: Double) -> String? {
        if low < 0 || high < 0 { return "has a negative amount." }
        if low > high { return "runs from \(Salary.amount(low)) down to \(Salary.amount(high))." }
        if high > 100_000_000 { return "is over 100 million, which is surely a typing slip." }
        return nil
    }

    /// `YYYY-MM-DD` from an ISO 8601 date or date-time whose day exists; nil otherwise.
    public static func day(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let prefix = String(trimmed.prefix(10))
        guard
            trimmed.count == 10
                || (trimmed.count > 10 && "T ".contains(trimmed[trimmed.index(trimmed.startIndex, offsetBy: 10)]))
        else { return nil }
        return LearnerSettings.interviewDateProblem(prefix) == nil ? prefix : nil
    }

    static func lengthProblems(_ opening: Opening, place: String) -> [Failure.Problem] {
        var problems: [Failure.Problem] = []
        for (name, value) in [
            ("title", opening.title), ("company", opening.company), ("location", opening.location ?? ""),
            ("url", opening.url ?? ""),
        ]
        where value.count > Opening.maxField {
            problems.append(
                .init(
                    place: "\(place), \(name)", problem: "is \(value.count) characters long.",
                    fix: "shorten it to \(Opening.maxField) or fewer."))
        }
        if opening.description.count > Opening.maxDescription {
            problems.append(
                .init(
                    place: "\(place), description", problem: "is \(opening.description.count) characters long.",
                    fix: "keep the part about the job, \(Opening.maxDescription) characters at most."))
        }
        return problems
    }

    // MARK: - HTML

    /// The contents of a page's `<script type="application/ld+json">` blocks.
    static func scriptBlocks(_ html: String) -> [String] {
        var blocks: [String] = []
        var rest = html[...]
        while let open = rest.range(of: "<script", options: .caseInsensitive) {
            guard let tagEnd = rest[open.upperBound...].firstIndex(of: ">") else { break }
            let tag = rest[open.upperBound..<tagEnd].lowercased()
            guard let close = rest[tagEnd...].range(of: "</script", options: .caseInsensitive) else { break }
            if tag.contains("application/ld+json") {
                blocks.append(String(rest[rest.index(after: tagEnd)..<close.lowerBound]))
            }
            rest = rest[close.upperBound...]
        }
        return blocks
    }

    /// A description as plain text: HTML tags become line breaks or nothing, entities are decoded
    /// (twice when the HTML itself arrived escaped, as `&lt;p&gt;`), and runs of blank lines close up.
    public static func plainText(_ text: String) -> String {
        var text = text
        if !text.contains("<") && text.contains("&lt;") { text = decodeEntities(text) }
        if text.contains("<") {
            var output = ""
            var index = text.startIndex
            while index < text.endIndex {
                if text[index] == "<", let end = text[index...].firstIndex(of: ">") {
                    let tag = text[text.index(after: index)..<end].lowercased()
                    let name = tag.drop { $0 == "/" }.prefix { $0.isLetter || $0.isNumber }
                    if ["p", "br", "div", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr"].contains(String(name)) {
                        output += "\n"
                    } else if name == "li" && !tag.hasPrefix("/") {
                        output += "\n- "
                    }
                    index = text.index(after: end)
                } else {
                    output.append(text[index])
                    index = text.index(after: index)
                }
            }
            text = output
        }
        text = decodeEntities(text)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\u{A0}" }).joined(separator: " ")
        }
        var result: [String] = []
        for line in lines where !(line.isEmpty && (result.last?.isEmpty ?? true)) { result.append(line) }
        while result.last?.isEmpty == true { result.removeLast() }
        return result.joined(separator: "\n")
    }

    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        let named: [String: String] = [
            "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ", "ndash": "–", "mdash": "—",
            "rsquo": "’", "lsquo": "‘", "ldquo": "“", "rdquo": "”", "bull": "•", "hellip": "…",
        ]
        var output = ""
        var index = text.startIndex
        while index < text.endIndex {
            if text[index] == "&", let end = text[index...].prefix(12).firstIndex(of: ";") {
                let entity = String(text[text.index(after: index)..<end])
                var replacement: String?
                if let value = named[entity] {
                    replacement = value
                } else if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                    replacement = UInt32(entity.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map {
                        String(Character($0))
                    }
                } else if entity.hasPrefix("#") {
                    replacement = UInt32(entity.dropFirst()).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
                }
                if let replacement {
                    output += replacement
                    index = text.index(after: end)
                    continue
                }
            }
            output.append(text[index])
            index = text.index(after: index)
        }
        return output
    }
}

/// Finds the offset of the first byte a strict JSON reader would refuse, to point at it in an error.
struct JSONScanner {
    let bytes: [UInt8]
    var index = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func firstError() -> Int? {
        do {
            skipSpace()
            try value(depth: 0)
            skipSpace()
            return index < bytes.count ? index : nil
        } catch {
            return min(index, max(0, bytes.count - 1))
        }
    }

    struct Stop: Error {}

    mutating func skipSpace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    mutating func expect(_ byte: UInt8) throws {
        skipSpace()
        guard index < bytes.count, bytes[index] == byte else { throw Stop() }
        index += 1
    }

    mutating func value(depth: Int) throws {
        skipSpace()
        guard index < bytes.count, depth < 512 else { throw Stop() }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            index += 1
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
                return
            }
            while true {
                skipSpace()
                try string()
                try expect(UInt8(ascii: ":"))
                try value(depth: depth + 1)
                skipSpace()
                guard index < bytes.count else { throw Stop() }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                } else if bytes[index] == UInt8(ascii: "}") {
                    index += 1
                    return
                } else {
                    throw Stop()
                }
            }
        case UInt8(ascii: "["):
            index += 1
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
                return
            }
            while true {
                try value(depth: depth + 1)
                skipSpace()
                guard index < bytes.count else { throw Stop() }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                } else if bytes[index] == UInt8(ascii: "]") {
                    index += 1
                    return
                } else {
                    throw Stop()
                }
            }
        case UInt8(ascii: "\""): try string()
        case UInt8(ascii: "t"): try word("true")
        case UInt8(ascii: "f"): try word("false")
        case UInt8(ascii: "n"): try word("null")
        default:
            let start = index
            while index < bytes.count, "+-0123456789.eE".utf8.contains(bytes[index]) { index += 1 }
            if index == start { throw Stop() }
        }
    }

    mutating func string() throws {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw Stop() }
        index += 1
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                index += 1
                return
            case UInt8(ascii: "\\"): index += 2
            case 0x00..<0x20: throw Stop()
            default: index += 1
            }
        }
        throw Stop()
    }

    mutating func word(_ text: String) throws {
        for byte in text.utf8 {
            guard index < bytes.count, bytes[index] == byte else { throw Stop() }
            index += 1
        }
    }
}
