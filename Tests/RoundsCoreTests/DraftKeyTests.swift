import Testing

@testable import RoundsCore

@Suite struct DraftKeyTests {
    @Test func thePagesKeysAreValid() {
        #expect(Draft.isValidKey(Draft.questionKey("icd-10-cm-vs-icd-10-pcs")))
        #expect(Draft.isValidKey(Draft.labKey("sql-01_latest.hba1c")))
        #expect(Draft.isValidKey(Draft.mockKey(interview: 42, questionID: "what-counts-as-phi")))
    }

    @Test func anythingElseIsRefused() {
        for key in [
            "", "question", "question:", ":q1", "notes:q1", "question:q1:x:y", "question:q 1", "question:../x",
            "lab:q1/2", "question:é", "QUESTION:q1", "question:" + String(repeating: "a", count: 200),
        ] {
            #expect(!Draft.isValidKey(key), "\(key)")
        }
    }
}
