import Foundation
import Testing

@testable import RoundsCore

/// Reading postings: schema.org JobPosting JSON-LD in its usual shapes, CSV, and the errors that say
/// where and how to fix a bad import (issue 17).
@Suite struct OpeningImportTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// Every problem an import of `text` reports, as "place: problem fix"; none when it reads.
    func problems(_ text: String, _ format: OpeningImport.Format) -> [String] {
        do {
            _ = try OpeningImport.read(text, format: format, now: now)
            return []
        } catch {
            return error.problems.map { "\($0.place): \($0.problem) \($0.fix)" }
        }
    }

    static let posting = """
        {
          "@context": "https://schema.org/",
          "@type": "JobPosting",
          "title": "Clinical Data Analyst",
          "description": "<p>Join our analytics team.</p><ul><li>Write SQL against Epic Clarity</li><li>Build Power BI dashboards &amp; reports</li></ul>",
          "datePosted": "2026-11-20T09:30:00-05:00",
          "hiringOrganization": {"@type": "Organization", "name": "Lakeside Health"},
          "jobLocation": {"@type": "Place", "address": {"@type": "PostalAddress", "addressLocality": "Columbus", "addressRegion": "OH", "addressCountry": "US"}},
          "baseSalary": {"@type": "MonetaryAmount", "currency": "USD", "value": {"@type": "QuantitativeValue", "minValue": 38.5, "maxValue": 45, "unitText": "HOUR"}},
          "url": "https://careers.example/jobs/123"
        }
        """

    @Test func aJobPostingReadsWithItsSalaryPlaceAndPlainText() throws {
        let openings = try OpeningImport.read(Self.posting, format: .jsonld, now: now)
        let opening = try #require(openings.first)
        #expect(openings.count == 1)
        #expect(opening.title == "Clinical Data Analyst" && opening.company == "Lakeside Health")
        #expect(opening.location == "Columbus, OH, US" && !opening.remote)
        #expect(opening.datePosted == "2026-11-20")
        #expect(opening.salary == Salary(minimum: 38.5, maximum: 45, currency: "USD", period: .hour))
        #expect(opening.salary?.yearly == 80_080...93_600)
        #expect(
            opening.description
                == "Join our analytics team.\n\n- Write SQL against Epic Clarity\n- Build Power BI dashboards & reports"
        )
        #expect(opening.url == "https://careers.example/jobs/123" && opening.addedAt == now)
    }

    @Test func manyPostingsReadFromAnArrayAGraphOrASavedPage() throws {
        let remote = Self.posting.replacingOccurrences(
            of: "\"url\"", with: "\"jobLocationType\": \"TELECOMMUTE\", \"url\""
        )
        .replacingOccurrences(of: "Clinical Data Analyst", with: "Remote Analyst")
        let array = "[\(Self.posting), \(remote)]"
        #expect(try OpeningImport.read(array, format: .jsonld, now: now).map(\.remote) == [false, true])
        let graph =
            "{\"@context\": \"https://schema.org\", \"@graph\": [{\"@type\": \"Organization\", \"name\": \"x\"}, \(remote)]}"
        #expect(try OpeningImport.read(graph, format: .jsonld, now: now).map(\.title) == ["Remote Analyst"])
        let page = """
            <!doctype html><html><head><title>Job</title>
            <script type="application/ld+json">{"@type": "BreadcrumbList"}</script>
            <script type='application/ld+json'>\(Self.posting)</script>
            <script>var notJSON = {</script></head><body>…</body></html>
            """
        #expect(OpeningImport.Format.guess(name: "saved.html", text: page) == .jsonld)
        #expect(try OpeningImport.read(page, format: .jsonld, now: now).map(\.company) == ["Lakeside Health"])
        // Escaped HTML, as some boards write the description, is unescaped once more.
        let escaped = Self.posting.replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(
            of: ">", with: "&gt;")
        let text = try OpeningImport.read(escaped, format: .jsonld, now: now).first?.description ?? ""
        #expect(text.hasPrefix("Join our analytics team.\n"))
    }

    @Test func badJSONLDIsRefusedWholeWithWhereAndHow() throws {
        func problems(_ text: String) -> [String] { self.problems(text, .jsonld) }
        let broken = "{\n  \"@type\": \"JobPosting\",\n  \"title\": \"Analyst\"\n  \"description\": \"x\"\n}"
        let syntax = problems(broken)
        #expect(
            syntax.count == 1 && syntax[0].contains("not valid JSON") && syntax[0].contains("line 4, column 3"),
            "\(syntax)")

        let noPosting = problems("{\"@type\": \"Organization\", \"name\": \"Lakeside\"}")
        #expect(noPosting.first?.contains("holds no JobPosting (it has only Organization)") == true)

        let missing = problems("[\(Self.posting), {\"@type\": \"JobPosting\", \"title\": \"Nurse Informaticist\"}]")
        #expect(missing.count == 2, "\(missing)")
        #expect(missing[0].hasPrefix("posting 2 at [1] (“Nurse Informaticist”), hiringOrganization.name: is missing."))
        #expect(missing[1].contains("description: is missing"))

        let fortnight = Self.posting.replacingOccurrences(of: "\"HOUR\"", with: "\"FORTNIGHT\"")
        #expect(
            problems(fortnight).first?.contains(
                "unitText: “FORTNIGHT” is not a unit Rounds knows. Use HOUR, DAY, WEEK, MONTH or YEAR.") == true)
        let upsideDown = Self.posting.replacingOccurrences(of: "\"maxValue\": 45", with: "\"maxValue\": 12")
        #expect(problems(upsideDown).first?.contains("runs from 38.50 down to 12") == true)
        let noCurrency = Self.posting.replacingOccurrences(of: "\"currency\": \"USD\", ", with: "")
        #expect(problems(noCurrency).first?.contains("baseSalary.currency: is missing.") == true)
        let badDate = Self.posting.replacingOccurrences(of: "2026-11-20T09:30:00-05:00", with: "last Tuesday")
        #expect(problems(badDate).first?.contains("datePosted: “last Tuesday” is not a date.") == true)
        #expect(
            problems("<html><body>No data here</body></html>").first?.contains(
                "has no <script type=\"application/ld+json\"> block") == true)
    }

    static let csv = """
        title,company,description,location,remote,salary_min,salary_max,salary_currency,salary_period,date_posted,url
        Data Analyst,Lakeside Health,"Needs SQL, Python and Tableau.\nOn call: no.",Columbus OH,no,85000,105000,usd,annual,2026-11-01,
        "Integration Engineer, HL7",Riverbend Clinics,Mirth and FHIR interfaces.,,yes,,,,,,https://jobs.example/9
        """

    @Test func aCSVReadsWithQuotedCommasLineBreaksAndWordsForPeriods() throws {
        let openings = try OpeningImport.read(Self.csv, format: .csv, now: now)
        #expect(openings.map(\.title) == ["Data Analyst", "Integration Engineer, HL7"])
        #expect(openings[0].description == "Needs SQL, Python and Tableau.\nOn call: no.")
        #expect(openings[0].salary == Salary(minimum: 85_000, maximum: 105_000, currency: "USD", period: .year))
        #expect(openings[1].remote && openings[1].salary == nil && openings[1].location == nil)
        #expect(OpeningImport.Format.guess(name: nil, text: Self.csv) == .csv)
        #expect(OpeningImport.Format.guess(name: "postings.csv", text: "") == .csv)
    }

    @Test func aBadCSVSaysWhichLineAndColumnAndAddsNothing() throws {
        func problems(_ text: String) -> [String] { self.problems(text, .csv) }
        let header = problems("title,employer,salery_min\nA,B,1\n")
        #expect(header.contains { $0.hasPrefix("line 1 (the header): has no company, description column.") })
        #expect(header.contains { $0.contains("“employer” is not a column Rounds reads") })
        #expect(header.contains { $0.contains("“salery_min” is not a column Rounds reads") })

        let rows = problems(
            "title,company,description,salary_min,salary_currency,salary_period,remote,date_posted\n"
                + "A,B,C,90k,USD,year,no,\n" + "A2,B,C,90000,USD,fortnight,maybe,2026-02-30\n" + ",B,C,,,,,\n")
        #expect(rows.contains("line 2, salary_min: “90k” is not an amount. Write a number such as 95000 or 52.50."))
        #expect(rows.contains { $0.hasPrefix("line 3, salary_period: “fortnight” is not a unit Rounds knows.") })
        #expect(rows.contains { $0.hasPrefix("line 3, remote: “maybe” is not yes or no.") })
        #expect(rows.contains { $0.hasPrefix("line 3, date_posted: “2026-02-30” is not a date.") })
        #expect(rows.contains { $0.hasPrefix("line 4, title: is empty.") })

        #expect(
            problems("title,company,description\n\"A,B,C\n").first?.hasPrefix(
                "line 2: a quoted field opens here and never closes.") == true)
        #expect(problems("title,company,description\n").first?.contains("has a header but no openings") == true)
        #expect(
            problems("title,company,description\nA,B,C,D\n").first?.hasPrefix(
                "line 2: has 4 fields; the header names 3.") == true)
        let failure = OpeningImport.Failure(
            (0..<20).map { .init(place: "line \($0)", problem: "is wrong.", fix: "fix it.") })
        #expect(
            failure.description.hasPrefix("Nothing was imported.")
                && failure.description.hasSuffix("… and 8 more problems."))
    }

    @Test func plainTextAndDaysAndAmounts() {
        #expect(
            OpeningImport.plainText("<h2>About</h2><p>We&#39;re <b>hiring</b>&nbsp;now.</p><br><br><br><p>Apply</p>")
                == "About\n\nWe're hiring now.\n\nApply")
        #expect(
            OpeningImport.plainText("Caf&eacute; &#x2014; fine &#233;") == "Caf&eacute; — fine é",
            "unknown entities stay as written")
        #expect(OpeningImport.day("2026-11-20") == "2026-11-20")
        #expect(OpeningImport.day("2026-11-20T10:00:00Z") == "2026-11-20")
        #expect(OpeningImport.day("2026-11-31") == nil)
        #expect(OpeningImport.day("20261120") == nil)
        #expect(OpeningImport.amount("$95,000.50") == 95_000.5)
        #expect(OpeningImport.amount("ninety") == nil && OpeningImport.amount("") == nil)
        #expect(Salary.amount(1_234_567) == "1,234,567" && Salary.amount(52.5) == "52.50")
        #expect(Salary(minimum: 95_000, maximum: 95_000, currency: "USD", period: .year).text == "USD 95,000 a year")
    }
}

/// Finding the bank's skills in a posting, with the words they came from.
@Suite struct SkillExtractorTests {
    static let skills = [
        Skill(
            id: "interoperability", name: "Interoperability", summary: "",
            terms: ["FHIR", "HL7", "SMART on FHIR", "interfaces"]),
        Skill(id: "ehr", name: "EHR", summary: "", terms: ["Epic", "EHR"]),
        Skill(id: "ux", name: "UX", summary: "", terms: ["user interfaces", "UX"]),
        Skill(id: "ml", name: "ML", summary: "", terms: ["ML", "machine learning"]),
        Skill(id: "sql", name: "SQL", summary: "", terms: ["SQL", "T-SQL"]),
    ]
    let extractor = SkillExtractor(skills: Self.skills)

    @Test func skillsComeWithTheirWordsAndAnExcerpt() {
        let found = extractor.skills(
            in:
                "Build SMART on FHIR apps and HL7 interfaces for our Epic EHR. Strong T-SQL; machine learning is a plus."
        )
        #expect(
            found.map(\.skill) == ["interoperability", "ehr", "ml", "sql"], "most mentioned, then the bank's order")
        #expect(found[0].evidence == ["SMART on FHIR", "HL7", "interfaces"] && found[0].mentions == 3)
        #expect(found[1].evidence == ["Epic", "EHR"])
        #expect(found[2].evidence == ["machine learning"])
        #expect(found[3].evidence == ["T-SQL"], "SQL inside T-SQL is one mention")
        #expect(found[0].excerpt.hasPrefix("Build SMART on FHIR apps"))
        #expect(found[0].weight == 3 && found[3].weight == 1)
    }

    @Test func capitalisedTermsMatchOnlyAsWrittenAndWholeWords() {
        let found = extractor.skills(
            in:
                "Split each epic into stories. HTML emails, sql-free. XML feeds. Design user interfaces in HTML; ux reviews."
        )
        #expect(found.map(\.skill) == ["ux"], "\(found)")
        #expect(found.first?.evidence == ["user interfaces"], "the longer term wins, and ux in lower case is not UX")
        #expect(extractor.skills(in: "").isEmpty)
        #expect(extractor.skills(in: "FHIR").first?.excerpt == "FHIR")
        #expect(extractor.weights(in: "FHIR FHIR FHIR FHIR and SQL") == ["interoperability": 3, "sql": 1])
    }

    @Test func theMarketSummaryComesOnlyFromThePostings() {
        func posting(_ company: String, _ salary: Salary?, remote: Bool = false, posted: String? = nil, text: String)
            -> Opening
        {
            Opening(
                title: "Analyst", company: company, remote: remote, salary: salary, datePosted: posted,
                description: text, addedAt: Date())
        }
        let openings = [
            posting(
                "Lakeside", .init(minimum: 80_000, maximum: 100_000, currency: "USD", period: .year),
                posted: "2026-10-02", text: "SQL"),
            posting(
                "lakeside", .init(minimum: 40, maximum: 50, currency: "USD", period: .hour), remote: true,
                posted: "2026-11-30", text: "SQL and FHIR"),
            posting("Riverbend", .init(minimum: 3_000, maximum: 3_000, currency: "GBP", period: .month), text: "Epic"),
            posting("Harbor", nil, remote: true, text: "nothing the bank knows"),
        ]
        let summary = MarketSummary(openings, extractor: extractor)
        #expect(summary.openings == 4 && summary.remote == 2 && summary.remotePercent == 50)
        #expect(summary.firstPosted == "2026-10-02" && summary.lastPosted == "2026-11-30" && summary.undated == 2)
        #expect(summary.pay.map(\.currency) == ["USD", "GBP"])
        // Midpoints 90,000 and 45 × 2,080 = 93,600: median 91,800; range 80,000 to 104,000.
        #expect(summary.pay[0].median == 91_800 && summary.pay[0].lowest == 80_000 && summary.pay[0].highest == 104_000)
        #expect(summary.pay[1].median == 36_000 && summary.withoutSalary == 1)
        #expect(
            summary.companies == [.init(name: "Lakeside", count: 2)], "case-blind, and only companies with two or more")
        #expect(
            summary.skills == [
                .init(name: "sql", count: 2), .init(name: "ehr", count: 1), .init(name: "interoperability", count: 1),
            ])
        #expect(summary.coverage == "From the 4 postings you imported, dated 2026-10-02 to 2026-11-30 (2 undated).")
        #expect(MarketSummary([], extractor: extractor).coverage == "You have not imported any postings yet.")
    }
}
