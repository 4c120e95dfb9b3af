// libFuzzer entry point for the HL7v2 parser: every input must parse or throw HL7Error, never crash,
// and whatever parses must survive encode → parse unchanged. Build and run with Fuzz/hl7v2.sh.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: start, count: count))
    guard let message = try? Message(bytes: bytes) else { return 0 }
    guard let again = try? Message(message.encoded()), again.segments == message.segments else {
        fatalError("encode → parse changed the message")
    }
    _ = StructureCheck().problems(in: message)
    _ = ORUResults(message)
    for path in ["MSH-9-2", "PID-3[2]-4-1", "OBX[2]-5", "NTE-3"] { _ = try? message.value(at: path) }
    return 0
}
