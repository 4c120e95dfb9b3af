// libFuzzer entry point for the FHIR library's JSON parser: every input must parse or throw
// JSONSyntaxError, never crash or hang, and whatever parses must survive serialise → parse unchanged.
// Build and run with Fuzz/fhir-json.sh. (The validator needs the bundled definitions, which a bare
// swiftc build has not; its robustness is covered by RobustnessTests.)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    guard let value = try? JSONValue(parsing: text) else { return 0 }
    guard let again = try? JSONValue(parsing: value.serialized), again == value,
        let pretty = try? JSONValue(parsing: value.pretty), pretty == value
    else { fatalError("serialise → parse changed the value") }
    return 0
}
