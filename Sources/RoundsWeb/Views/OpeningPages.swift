import Foundation
import RoundsContent
import RoundsCore

/// `/openings`: the learner's postings with their match, the market they describe, and the forms that
/// add more.
struct OpeningsPage {
    struct Row {
        let id: Int64
        let title, company, place, salary, posted: String
        let match: String
        let gaps: String
        let planTarget: Bool
    }
    struct Line {
        let text: String
    }
    /// What the learner typed into the import or add form, given back after an error.
    struct Form {
        var text = ""
        var format = "auto"
        var fields: [String: String] = [:]

        init(text: String = "", format: String = "auto") {
            self.text = text
            self.format = format
        }

        init(fields: [String: String]) { self.fields = fields }
    }
    struct Field {
        let name, label, value, hint, type: String
        let required: Bool
    }

    let rows: [Row]
    let hasOpenings: Bool
    let coverage: String
    let market: [Line]
    let skills: [Line]
    let notes: [Line]
    let hasNotes: Bool
    let notice: String?
    /// Problems with the last import or the last opening added by hand, shown in that form's card;
    /// the top of the page says where they are.
    let importErrors: [Line]
    let hasImportErrors: Bool
    let addErrors: [Line]
    let hasAddErrors: Bool
    let text: String
    let formats: [Option]
    let fields: [Field]
    let description: String
    let remote: Bool
    let csrf: String

    init(
        reports: [OpeningReport], summary: MarketSummary, library: ContentLibrary, notes: [CompanyNote],
        notice: String?, errors: [String], form: Form, csrf: String
    ) {
        rows = reports.map { report in
            let opening = report.opening
            return Row(
                id: opening.id ?? 0, title: opening.title, company: opening.company,
                place: [opening.location, opening.remote ? "remote" : nil].compactMap { $0 }.joined(separator: " · "),
                salary: opening.salary?.text ?? "", posted: opening.datePosted ?? "",
                match: report.skills.isEmpty ? "no skills found" : "\(report.match)%",
                gaps: report.gaps.prefix(3).map { library.skill(id: $0.skill)?.name ?? $0.skill }.joined(
                    separator: ", "),
                planTarget: opening.planTarget)
        }
        hasOpenings = !rows.isEmpty
        coverage = summary.coverage
        var market: [Line] = summary.pay.map { pay in
            Line(
                text:
                    "Salary in \(pay.currency), as a year's pay (\(pay.postings) posting\(pay.postings == 1 ? "" : "s")): median \(Salary.amount(pay.median)), from \(Salary.amount(pay.lowest)) to \(Salary.amount(pay.highest))."
            )
        }
        if summary.withoutSalary > 0 {
            market.append(Line(text: "\(summary.withoutSalary) of \(summary.openings) state no salary."))
        }
        if summary.openings > 0 {
            market.append(Line(text: "Remote: \(summary.remote) of \(summary.openings) (\(summary.remotePercent)%)."))
            market.append(
                Line(
                    text: "Most openings: "
                        + summary.companies.map { "\($0.name) (\($0.count))" }.joined(separator: ", ") + "."))
        }
        self.market = market
        skills = summary.skills.prefix(8).map {
            Line(text: "\(library.skill(id: $0.name)?.name ?? $0.name): \($0.count) of \(summary.openings)")
        }
        self.notes = notes.map { note in
            Line(
                text: "\(note.company): "
                    + [
                        note.techStack.isEmpty ? nil : "stack: \(note.techStack)",
                        note.interviewFormat.isEmpty ? nil : "interviews: \(note.interviewFormat)",
                        note.people.isEmpty ? nil : "people: \(note.people)",
                    ].compactMap { $0 }.joined(separator: "; "))
        }
        hasNotes = !self.notes.isEmpty
        self.notice = notice
        let byHand = !form.fields.isEmpty
        importErrors = byHand ? [] : errors.map(Line.init)
        hasImportErrors = !importErrors.isEmpty
        addErrors = byHand ? errors.map(Line.init) : []
        hasAddErrors = !addErrors.isEmpty
        text = form.text
        formats = [("auto", "Work it out"), ("jsonld", "JSON-LD (or a saved job page)"), ("csv", "CSV")].map {
            Option(value: $0.0, label: $0.1, selected: $0.0 == form.format)
        }
        let value = { (name: String) in form.fields[name] ?? "" }
        fields = [
            Field(name: "title", label: "Job title", value: value("title"), hint: "", type: "text", required: true),
            Field(name: "company", label: "Company", value: value("company"), hint: "", type: "text", required: true),
            Field(
                name: "location", label: "Location", value: value("location"), hint: "City, region, country",
                type: "text", required: false),
            Field(
                name: "salary_min", label: "Salary from", value: value("salary_min"), hint: "A number, such as 95000",
                type: "text", required: false),
            Field(
                name: "salary_max", label: "Salary to", value: value("salary_max"), hint: "", type: "text",
                required: false),
            Field(
                name: "salary_currency", label: "Currency", value: value("salary_currency"), hint: "USD, EUR, GBP…",
                type: "text", required: false),
            Field(
                name: "salary_period", label: "Salary per", value: value("salary_period"),
                hint: "hour, day, week, month or year", type: "text", required: false),
            Field(
                name: "date_posted", label: "Date posted", value: value("date_posted"), hint: "", type: "date",
                required: false),
            Field(name: "url", label: "Link", value: value("url"), hint: "", type: "url", required: false),
        ]
        description = value("description")
        remote = value("remote") == "yes"
        self.csrf = csrf
    }
}

/// `/openings/{id}`: one posting against the learner.
struct OpeningPage {
    struct Found {
        let name, mastery, evidence, excerpt: String
        let mentions: Int
    }
    struct Suggestion {
        let kind, title, href, why: String
    }

    let id: Int64
    let title, company: String
    let facts: String
    let url: String?
    let description: String
    let hasSkills: Bool
    let match: Int
    let chart: String
    let skills: [Found]
    let gaps: String
    let hasGaps: Bool
    let next: [Suggestion]
    let hasNext: Bool
    let planTarget: Bool
    let stack, format, people: String
    let noteSaved: Bool
    let csrf: String

    init(_ report: OpeningReport, library: ContentLibrary, saved: Bool, csrf: String) {
        let opening = report.opening
        id = opening.id ?? 0
        title = opening.title
        company = opening.company
        facts = [
            opening.location, opening.remote ? "remote" : nil, opening.salary?.text,
            opening.datePosted.map { "posted \($0)" },
        ].compactMap { $0 }.joined(separator: " · ")
        url = opening.url.flatMap { $0.hasPrefix("https://") || $0.hasPrefix("http://") ? $0 : nil }
        description = opening.description
        hasSkills = !report.skills.isEmpty
        match = report.match
        chart = Charts.bars(
            report.rows.map { (label: $0.name, value: $0.mastery) },
            title: "Your mastery of the skills this posting asks for, in percent")
        skills = report.skills.map { found in
            let mastery = report.rows.first { $0.skill == found.skill }?.mastery ?? 0
            return Found(
                name: library.skill(id: found.skill)?.name ?? found.skill,
                mastery: "\(Int((mastery * 100).rounded()))%",
                evidence: found.evidence.joined(separator: ", "), excerpt: found.excerpt, mentions: found.mentions)
        }
        gaps = report.gaps.map { library.skill(id: $0.skill)?.name ?? $0.skill }.joined(separator: ", ")
        hasGaps = !report.gaps.isEmpty
        next = report.next.map { item in
            Suggestion(
                kind: item.kind.rawValue, title: item.title,
                href: item.kind == .lab ? "/labs/\(item.id)" : "/questions/\(item.id)", why: item.why)
        }
        hasNext = !next.isEmpty
        planTarget = opening.planTarget
        stack = report.note?.techStack ?? ""
        format = report.note?.interviewFormat ?? ""
        people = report.note?.people ?? ""
        noteSaved = saved
        self.csrf = csrf
    }
}
