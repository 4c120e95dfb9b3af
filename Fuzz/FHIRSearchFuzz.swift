// libFuzzer entry point for the FHIR library's search: every input must parse as a search URL or
// throw SearchError, never crash or hang, and whatever parses must run against the clinic fixture.
// Build and run with Fuzz/fhir-search.sh. (Issue 21: an empty parameter name, `Observation?=1`,
// indexed an empty array; a mutation fuzzer found it within seconds.)
import Foundation

let fixture: JSONValue = {
    let path = ProcessInfo.processInfo.environment["ROUNDS_FUZZ_FIXTURE"] ?? "Tests/FHIRTests/Fixtures/clinic.json"
    guard let text = try? String(contentsOfFile: path, encoding: .utf8), let value = try? JSONValue(parsing: text)
    else { fatalError("cannot read the fixture at \(path)") }
    return value
}()
let engine = SearchEngine(resources: [fixture])

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    guard let query = try? SearchQuery(text) else { return 0 }
    _ = engine.run(query)
    return 0
}
