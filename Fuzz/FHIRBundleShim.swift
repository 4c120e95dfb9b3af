// A bare swiftc build has no SwiftPM resource bundle: the FHIR library's definitions are read from
// the source tree instead (Fuzz/fhir-search.sh runs from the repository's root).
import Foundation

extension Bundle {
    static let module: Bundle = {
        let path = ProcessInfo.processInfo.environment["ROUNDS_FUZZ_FHIR_SOURCES"] ?? "Sources/FHIR"
        guard let bundle = Bundle(path: path) else { fatalError("no FHIR sources at \(path)") }
        return bundle
    }()
}
