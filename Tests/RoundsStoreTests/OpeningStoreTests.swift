import Foundation
import RoundsCore
import RoundsTestSupport
import Testing

@testable import RoundsStore

/// The openings part of the storage contract, on every kind of store: all-or-nothing adds that skip a
/// posting already kept, per-learner isolation, one plan target, company notes, export and import, and
/// removal with the learner.
@Suite struct OpeningStoreTests {
    let now = Date(timeIntervalSince1970: 1_790_000_000)

    func opening(
        _ title: String, company: String = "Northwind Health", posted: String? = "2026-11-02", salary: Salary? = nil
    )
        -> Opening
    {
        Opening(
            title: title, company: company, location: "Boston, MA, US", remote: title.contains("Remote"),
            salary: salary,
            datePosted: posted, description: "We need SQL and FHIR.", url: "https://jobs.example/\(title.count)",
            addedAt: now)
    }

    @Test(arguments: TestStores.kinds) func openingsAreAddedOnceAndSeenOnlyByTheirLearner(_ kind: StoreLocation.Kind)
        async throws
    {
        let store = try await TestStores.make(kind)
        let me = try await store.learner(named: "me")
        let other = try await store.learner(named: "other")
        let pay = Salary(minimum: 95_000, maximum: 120_000, currency: "USD", period: .year)
        let added = try await store.addOpenings(
            [opening("Data Analyst", salary: pay), opening("Remote Integration Analyst", posted: nil)], learnerID: me.id
        )
        #expect(added.count == 2 && added.allSatisfy { $0.id != nil })
        let kept = try await store.openings(learnerID: me.id)
        #expect(kept.count == 2)
        let analyst = try #require(kept.first { $0.title == "Data Analyst" })
        #expect(analyst.salary == pay)
        #expect(analyst.location == "Boston, MA, US" && analyst.url == "https://jobs.example/12")
        #expect(abs(analyst.addedAt.timeIntervalSince(now)) < 0.001)
        #expect(kept.first { $0.title.hasPrefix("Remote") }?.remote == true)

        // The same posting again (any case) is skipped; a new one in the same batch is added.
        let again = try await store.addOpenings(
            [opening("DATA ANALYST", company: "northwind health"), opening("Data Engineer")], learnerID: me.id)
        #expect(again.map(\.title) == ["Data Engineer"])

        #expect(try await store.openings(learnerID: other.id).isEmpty)
        #expect(try await store.opening(id: analyst.id!, learnerID: other.id) == nil)
        #expect(try await store.deleteOpening(id: analyst.id!, learnerID: other.id) == false)
        #expect(try await store.setPlanTarget(openingID: analyst.id!, learnerID: other.id) == false)
        #expect(try await store.deleteOpening(id: analyst.id!, learnerID: me.id))
        #expect(try await store.opening(id: analyst.id!, learnerID: me.id) == nil)
    }

    @Test(arguments: TestStores.kinds) func aBatchPastTheLimitAddsNothing(_ kind: StoreLocation.Kind) async throws {
        let store = try await TestStores.make(kind)
        let me = try await store.learner(named: "me")
        let many = (0..<(Opening.perLearnerLimit - 1)).map { opening("Analyst \($0)") }
        #expect(try await store.addOpenings(many, learnerID: me.id).count == Opening.perLearnerLimit - 1)
        await #expect(throws: OpeningLimitReached.self) {
            try await store.addOpenings([opening("One"), opening("Two")], learnerID: me.id)
        }
        #expect(try await store.openings(learnerID: me.id).count == Opening.perLearnerLimit - 1, "nothing half-added")
        #expect(try await store.addOpenings([opening("One")], learnerID: me.id).count == 1)
    }

    @Test(arguments: TestStores.kinds) func oneOpeningAtATimeIsThePlanTarget(_ kind: StoreLocation.Kind) async throws {
        let store = try await TestStores.make(kind)
        let me = try await store.learner(named: "me")
        let added = try await store.addOpenings([opening("A"), opening("B")], learnerID: me.id)
        #expect(try await store.planTarget(learnerID: me.id) == nil)
        #expect(try await store.setPlanTarget(openingID: added[0].id, learnerID: me.id))
        #expect(try await store.setPlanTarget(openingID: added[1].id, learnerID: me.id))
        #expect(try await store.openings(learnerID: me.id).filter(\.planTarget).map(\.title) == ["B"])
        #expect(try await store.setPlanTarget(openingID: nil, learnerID: me.id))
        #expect(try await store.planTarget(learnerID: me.id) == nil)
    }

    @Test(arguments: TestStores.kinds) func companyNotesAreReplacedByCompanyWhateverTheCase(_ kind: StoreLocation.Kind)
        async throws
    {
        let store = try await TestStores.make(kind)
        let me = try await store.learner(named: "me")
        let other = try await store.learner(named: "other")
        try await store.saveCompanyNote(
            CompanyNote(company: "Northwind Health", techStack: "Epic, Azure", updatedAt: now), learnerID: me.id)
        try await store.saveCompanyNote(
            CompanyNote(
                company: "NORTHWIND HEALTH", techStack: "Epic, AWS", people: "Dana (hiring manager)", updatedAt: now),
            learnerID: me.id)
        let notes = try await store.companyNotes(learnerID: me.id)
        #expect(notes.count == 1)
        #expect(notes.first?.techStack == "Epic, AWS" && notes.first?.people == "Dana (hiring manager)")
        #expect(try await store.companyNote("northwind health", learnerID: me.id) != nil)
        #expect(try await store.companyNotes(learnerID: other.id).isEmpty)
        try await store.saveCompanyNote(CompanyNote(company: "Northwind Health", updatedAt: now), learnerID: me.id)
        #expect(try await store.companyNotes(learnerID: me.id).isEmpty, "an empty note removes it")
    }

    @Test(arguments: TestStores.kinds) func openingsAndNotesTravelInTheExportAndGoWithTheLearner(
        _ kind: StoreLocation.Kind
    ) async throws {
        let source = try await TestStores.make(kind)
        let me = try await source.learner(named: "me")
        let added = try await source.addOpenings([opening("A"), opening("B")], learnerID: me.id)
        try await source.setPlanTarget(openingID: added[1].id, learnerID: me.id)
        try await source.saveCompanyNote(
            CompanyNote(company: "Northwind Health", interviewFormat: "Panel, then SQL take-home", updatedAt: now),
            learnerID: me.id)
        let export = try await source.export(me, at: now)
        #expect(export.openings.map(\.title) == ["A", "B"], "oldest first, as history is")
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let decoded = try decoder.decode(LearnerExport.self, from: encoder.encode(export))

        let target = try await TestStores.make(kind)
        let restored = try await target.learner(named: "restored")
        let summary = try await target.importEverything(decoded, into: restored.id)
        #expect(summary.openingsAdded == 2 && summary.companyNotesAdded == 1)
        #expect(try await target.planTarget(learnerID: restored.id)?.title == "B")
        #expect(
            try await target.companyNotes(learnerID: restored.id).first?.interviewFormat == "Panel, then SQL take-home")
        let again = try await target.importEverything(decoded, into: restored.id)
        #expect(again.openingsAdded == 0 && again.companyNotesAdded == 0 && again.skipped == 3)

        // The CSV export reads back the same.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "rounds-openings-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try HistoryCSV.write(export, to: folder)
        let fromCSV = try HistoryCSV.read(from: folder)
        #expect(fromCSV.openings.map(\.title) == ["A", "B"])
        #expect(fromCSV.openings.map(\.planTarget) == [false, true])
        #expect(fromCSV.openings.first?.salary == nil && fromCSV.openings.first?.datePosted == "2026-11-02")
        #expect(fromCSV.companyNotes.map(\.company) == ["Northwind Health"])

        try await source.deleteLearner(id: me.id)
        #expect(try await source.openings(learnerID: me.id).isEmpty)
        #expect(try await source.companyNotes(learnerID: me.id).isEmpty)
    }
}
