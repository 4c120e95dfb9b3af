import Foundation
import Testing

@testable import FHIR

@Suite struct BundleTests {
    static func bundle(type: String = "transaction", entries: String, extra: String = "") -> String {
        #"{"resourceType": "Bundle", "type": "\#(type)"\#(extra), "entry": [\#(entries)]}"#
    }

    static let patient = #"""
        {"fullUrl": "urn:uuid:3f1c2a9e-6b7d-4e21-9a55-0c8f2d1b7e40",
         "resource": {"resourceType": "Patient", "name": [{"family": "Chen"}]},
         "request": {"method": "POST", "url": "Patient"}}
        """#

    static func observation(subject: String, url: String = "Observation", fullUrl: String? = nil) -> String {
        let full = fullUrl.map { #""fullUrl": "\#($0)", "# } ?? ""
        return #"""
            {\#(full)"resource": {"resourceType": "Observation", "status": "final",
              "code": {"coding": [{"system": "http://loinc.org", "code": "2345-7"}]},
              "subject": {"reference": "\#(subject)"}},
             "request": {"method": "POST", "url": "\#(url)"}}
            """#
    }

    static let observationURL = "urn:uuid:9b2e7c41-0d3a-4f6e-8c12-5e7a9b3d1f02"

    func issues(_ text: String) -> [FHIR.Issue] { FHIRValidator().validate(text) }

    @Test func aTransactionThatCreatesAPatientAndObservationIsValid() {
        let issues = issues(
            Self.bundle(
                entries: Self.patient + ","
                    + Self.observation(
                        subject: "urn:uuid:3f1c2a9e-6b7d-4e21-9a55-0c8f2d1b7e40", fullUrl: Self.observationURL)))
        #expect(issues.isEmpty, "\(issues)")
    }

    @Test func unresolvedUUIDReferencesAreErrors() {
        let issues = issues(
            Self.bundle(
                entries: Self.patient + ","
                    + Self.observation(
                        subject: "urn:uuid:00000000-0000-4000-8000-000000000000", fullUrl: Self.observationURL)))
        #expect(
            issues.contains { $0.code == "not-found" && $0.location == "Bundle.entry[1].resource.subject.reference" })
    }

    @Test func serverReferencesAreNotedNotRefused() {
        let issues = issues(
            Self.bundle(entries: Self.observation(subject: "Patient/123", fullUrl: Self.observationURL)))
        #expect(!issues.hasErrors)
        #expect(issues.contains { $0.severity == .information && $0.message.contains("already exist") })
    }

    @Test func transactionEntriesNeedRequestAndFullUrl() {
        let noRequest =
            #"{"fullUrl": "urn:uuid:3f1c2a9e-6b7d-4e21-9a55-0c8f2d1b7e40", "resource": {"resourceType": "Patient", "gender": "male"}}"#
        #expect(issues(Self.bundle(entries: noRequest)).contains { $0.invariant == "bdl-3" })
        let noFullUrl = Self.observation(subject: "Patient/1")
        #expect(
            issues(Self.bundle(entries: noFullUrl)).contains {
                $0.location == "Bundle.entry[0].fullUrl" && $0.code == "required"
            })
        #expect(issues(Self.bundle(type: "collection", entries: Self.patient)).contains { $0.invariant == "bdl-3" })
    }

    @Test func postGoesToTheResourceType() {
        let issues = issues(
            Self.bundle(entries: Self.observation(subject: "Patient/1", url: "Patient", fullUrl: Self.observationURL)))
        #expect(issues.contains { $0.location == "Bundle.entry[0].request.url" })
    }

    @Test func fullUrlsAreUniqueAndUnversioned() {
        let twice = issues(Self.bundle(entries: Self.patient + "," + Self.patient))
        #expect(twice.contains { $0.invariant == "bdl-7" && $0.location == "Bundle.entry[1].fullUrl" })
        let versioned =
            #"{"fullUrl": "http://example.org/fhir/Patient/1/_history/2", "resource": {"resourceType": "Patient", "id": "1"}}"#
        #expect(issues(Self.bundle(type: "collection", entries: versioned)).contains { $0.invariant == "bdl-8" })
        let disagree =
            #"{"fullUrl": "http://example.org/fhir/Patient/1", "resource": {"resourceType": "Patient", "id": "2"}}"#
        #expect(
            issues(Self.bundle(type: "collection", entries: disagree)).contains {
                $0.location == "Bundle.entry[0].fullUrl"
            })
    }

    @Test func totalAndSearchBelongToSearchResults() {
        let issues = issues(Self.bundle(entries: Self.patient, extra: #", "total": 1"#))
        #expect(issues.contains { $0.invariant == "bdl-1" })
        let searchset =
            #"{"resourceType": "Bundle", "type": "searchset", "total": 1, "entry": [{"fullUrl": "http://x.org/fhir/Patient/1", "resource": {"resourceType": "Patient", "id": "1"}, "search": {"mode": "match"}}]}"#
        #expect(!FHIRValidator().validate(searchset).hasErrors)
    }

    @Test func documentsAndMessagesHaveTheirFirstEntry() {
        let document = issues(
            Self.bundle(
                type: "document",
                entries:
                    #"{"fullUrl": "urn:uuid:3f1c2a9e-6b7d-4e21-9a55-0c8f2d1b7e40", "resource": {"resourceType": "Patient", "gender": "male"}}"#
            ))
        #expect(Set(document.compactMap(\.invariant)).isSuperset(of: ["bdl-9", "bdl-10", "bdl-11"]))
        let message = issues(
            Self.bundle(
                type: "message",
                entries:
                    #"{"fullUrl": "urn:uuid:3f1c2a9e-6b7d-4e21-9a55-0c8f2d1b7e40", "resource": {"resourceType": "Patient", "gender": "male"}}"#
            ))
        #expect(message.contains { $0.invariant == "bdl-12" })
    }

    @Test func entriesOfUnsupportedTypesAreNotedNotFailed() {
        let issues = issues(
            Self.bundle(
                type: "collection",
                entries:
                    #"{"fullUrl": "urn:uuid:3f1c2a9e-6b7d-4e21-9a55-0c8f2d1b7e40", "resource": {"resourceType": "Medication", "id": "m"}}"#
            ))
        #expect(!issues.hasErrors)
        #expect(issues.contains { $0.code == "not-supported" && $0.location == "Bundle.entry[0].resource" })
    }
}
