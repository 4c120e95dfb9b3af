import Foundation
import HL7v2
import Testing

@Suite struct ParserTests {
    @Test func mshIsNumberedFromItsFieldSeparator() throws {
        let message = try Message(Samples.adtA01)
        #expect(try message.value(at: "MSH-1") == "|")
        #expect(try message.value(at: "MSH-2") == #"^~\&"#)
        #expect(try message.value(at: "MSH-3") == "REGADT")
        #expect(try message.value(at: "MSH-9") == "ADT")
        #expect(try message.value(at: "MSH-9-2") == "A01")
        #expect(try message.value(at: "MSH-10") == "MSG00001")
        #expect(try message.value(at: "MSH-12") == "2.5.1")
        #expect(message.messageType == "ADT^A01")
        #expect(try message.value(at: "EVN-2") == "20240105083000", "other segments count from their id")
    }

    @Test func repetitionsComponentsAndSubcomponents() throws {
        let message = try Message(Samples.adtA01)
        #expect(try message.value(at: "PID-5-1") == "DOE")
        #expect(try message.value(at: "PID-5") == "DOE", "a missing component means the first, as in HAPI")
        #expect(try message.value(at: "PID-5-2") == "JANE")
        #expect(try message.value(at: "PID-3-1") == "000123")
        #expect(try message.value(at: "PID-3[2]-1") == "987-65-4320")
        #expect(try message.value(at: "PID-3[2]-4-1") == "SSA")
        #expect(try message.value(at: "PID-3[3]-1") == nil)
        #expect(message.segments[2].repetitions(of: 3) == 2)
        #expect(try message.value(at: "PV1-44") == "20240105082000")
        let oru = try Message(Samples.oruR01)
        #expect(try oru.value(at: "OBX[2]-5") == "142")
        #expect(try oru.value(at: "OBX[3]-5") == "Fasting | 10 h")
        #expect(try oru.value(at: "OBX[2]-6-2") == "milligram per deciliter")
        #expect(try oru.value(at: "OBX[2]-6-3") == "UCUM")
        #expect(try oru.value(at: "OBX[4]-5") == nil)
    }

    @Test func delimitersAreReadNotAssumed() throws {
        let text =
            "MSH#$*@%#SEND#FAC#RECV#FAC#20240101##ADT$A04#X1#P#2.5\rPID#1##42$$$HOSP$MR*43$$$HOSP$MR##ROE$RICHARD%X$@R@\r"
        let message = try Message(text)
        #expect(message.delimiters.field == UInt8(ascii: "#"))
        #expect(try message.value(at: "MSH-2") == "$*@%")
        #expect(try message.value(at: "MSH-9-2") == "A04")
        #expect(try message.value(at: "PID-3[2]-1") == "43")
        #expect(try message.value(at: "PID-5-2-2") == "X")
        #expect(try message.value(at: "PID-5-3") == "*", "escapes use this message's escape character")
        #expect(message.encoded() == text)
    }

    @Test func fiveEncodingCharactersFromVersionTwoSeven() throws {
        let message = try Message("MSH|^~\\&#|A|B|C|D|20240101||ADT^A04|1|P|2.7\rNTE|1||cut\\P\\here\r")
        #expect(message.delimiters.truncation == UInt8(ascii: "#"))
        #expect(try message.value(at: "NTE-3") == "cut#here")
    }

    @Test func escapesAreDecodedInLeavesOnly() throws {
        let d = Delimiters.standard
        #expect(Escaping.unescape(#"A\F\B\S\C\T\D\R\E\E\"#, d) == #"A|B^C&D~E\"#)
        #expect(Escaping.unescape(#"line one\.br\line two"#, d) == "line one\nline two")
        #expect(Escaping.unescape(#"\X0D0A\"#, d) == "\r\n", "Epic-style hex CR LF")
        #expect(Escaping.unescape(#"caf\XC3A9\"#, d) == "café", "hex bytes read as UTF-8")
        #expect(Escaping.unescape(#"caf\XE9\"#, d) == "café", "or as ISO 8859-1 when not UTF-8")
        #expect(Escaping.unescape(#"\F\\S\"#, d) == "|^", "back-to-back escapes")
        #expect(Escaping.unescape(#"\H\bold\N\"#, d) == #"\H\bold\N\"#, "highlighting is kept as written")
        #expect(Escaping.unescape(#"ends with \E\"#, d) == #"ends with \"#)
        #expect(Escaping.unescape(#"a stray \ here"#, d) == #"a stray \ here"#)
        #expect(Escaping.unescape(#"\X0\"#, d) == #"\X0\"#, "odd hex is kept, not guessed")
        let oru = try Message(Samples.oruR01)
        #expect(
            try oru.value(at: "NTE-3")
                == "Above goal for most adults with diabetes & review therapy.\nRepeat in 3 months.")
        for text in [#"a|b^c&d~e\f"#, "two\nlines", "plain", "é ñ 中文"] {
            #expect(Escaping.unescape(Escaping.escape(text, d), d) == text)
        }
        #expect(Escaping.escape("x|y", d) == #"x\F\y"#)
    }

    @Test func anExplicitNullIsNotEmpty() throws {
        let message = try Message("MSH|^~\\&|A|B|C|D|20240101||ADT^A08|1|P|2.5.1\rPID|1||7^^^H^MR||\"\"|||\r")
        let path = try Path("PID-5")
        #expect(message.lookup(path) == .null)
        #expect(message.lookup(try Path("PID-7")) == .empty)
        #expect(message.lookup(try Path("PID-30")) == .absent)
        #expect(message.lookup(try Path("NK1-2")) == .absent)
        #expect(try message.value(at: "PID-5") == nil)
    }

    @Test func lineEndingsAreAcceptedAndReported() throws {
        let lf = Samples.adtA01.replacingOccurrences(of: "\r", with: "\n")
        let crlf = Samples.adtA01.replacingOccurrences(of: "\r", with: "\r\n")
        for (text, note) in [(lf, "LF"), (crlf, "CR LF")] {
            let message = try Message(text)
            #expect(message.segments.map(\.id) == ["MSH", "EVN", "PID", "PV1"])
            #expect(message.notes.contains { $0.contains(note) })
            #expect(message.encoded() == Samples.adtA01, "encoded with CR, the standard")
        }
        #expect(try Message(Samples.adtA01).notes.isEmpty)
    }

    @Test func encodingReproducesTheMessage() throws {
        for text in [
            Samples.adtA01, Samples.oruR01, "MSH|^~\\&\r", "MSH|^~\\&|\rPID|\rZZ1\r",
            // Found by libFuzzer: a bare MSH later in the message gained a field separator on encoding.
            "MSH#$*@-%#A#@.2M1#B#C#D#62\rMSH\r",
        ] {
            #expect(try Message(text).encoded() == text)
        }
    }

    @Test func malformedInputIsAnErrorThatSaysWhy() {
        func error(_ text: String) -> HL7Error? {
            do {
                _ = try Message(text)
                return nil
            } catch { return error }
        }
        #expect(error("") == .empty)
        #expect(error("\r\n\r") == .empty)
        #expect(error("PID|1||42\r") == .noMSH(found: "PID|1||42"))
        #expect(error("MSH") == .shortHeader("the message ends right after “MSH”"))
        #expect(error("MSH|^~\r")?.description.contains("4 encoding characters") == true)
        #expect(error("MSH|^~\\A|X\r")?.description.contains("cannot be a delimiter") == true)
        #expect(error("MSH|^~^&|X\r")?.description.contains("must all differ") == true)
        #expect(error("MSH|^~\\&|A\r\u{0}\u{1}\u{2}") == .binary(offset: 11))
        #expect(error("MSH|^~\\&|A\rpid|1\r") == .badSegmentID(line: 2, id: "pid|1"))
        do {
            _ = try Message(bytes: Array("MSH|^~\\&|".utf8) + [0xFF, 0xFE])
            Issue.record("invalid UTF-8 was accepted")
        } catch {
            #expect(error == .notUTF8(offset: 9))
        }
    }

    @Test(arguments: [
        ("PID", "needs a segment and a field"), ("pid-5", "not a segment id"), ("PID-0", "number from 1"),
        ("PID-5-x", "component"), ("PID-3[0]-1", "repetition"), ("OBX[2-5", "repetition"),
        ("PID-1-2-3-4", "at most"),
    ])
    func badPathsAreRefusedWithAReason(text: String, reason: String) {
        #expect {
            _ = try Path(text)
        } throws: { error in
            "\(error)".contains(reason)
        }
    }

    @Test func aFullPathRoundTrips() {
        #expect((try? Path("OBX[3]-5[2]-1-2"))?.description == "OBX[3]-5[2]-1-2")
    }

    @Test func mllpFramesAndUnframes() throws {
        let framed = MLLP.frame(Samples.adtA01) + [0x0D] + MLLP.frame(Samples.oruR01)
        #expect(framed.first == 0x0B)
        #expect(try MLLP.unframe(framed) == [Samples.adtA01, Samples.oruR01])
        #expect(throws: HL7Error.self) { try MLLP.unframe([0x0B] + Array("MSH|".utf8)) }
        #expect(throws: HL7Error.self) { try MLLP.unframe(Array("MSH|".utf8)) }
    }

    @Test func oruResultsAreGroupedByPatientOrderAndObservation() throws {
        let results = ORUResults(try Message(Samples.oruR01))
        #expect(results.patients.count == 1)
        let orders = results.patients[0].orders
        #expect(orders.count == 2)
        #expect(orders[0].orc?.id == "ORC")
        #expect(orders[0].observations.count == 1)
        #expect(orders[0].observations[0].notes.count == 1)
        #expect(orders[1].orc == nil)
        #expect(orders[1].observations.count == 2)
    }
}
