import Testing

@testable import RoundsCore

@Suite struct PorterStemmerTests {
    /// Pairs from Porter's 1980 paper and its reference vocabulary.
    @Test(arguments: [
        ("caresses", "caress"), ("ponies", "poni"), ("cats", "cat"), ("feed", "feed"), ("agreed", "agre"),
        ("plastered", "plaster"), ("motoring", "motor"), ("sing", "sing"), ("hopping", "hop"), ("falling", "fall"),
        ("hissing", "hiss"), ("filing", "file"), ("happy", "happi"), ("relational", "relat"),
        ("conditional", "condit"), ("rational", "ration"), ("digitizer", "digit"), ("operator", "oper"),
        ("hopefulness", "hope"), ("electrical", "electr"), ("goodness", "good"), ("allowance", "allow"),
        ("adjustment", "adjust"), ("adoption", "adopt"), ("effective", "effect"), ("generalizations", "gener"),
        ("oscillators", "oscil"), ("controlling", "control"), ("rolling", "roll"),
    ])
    func paperExamples(word: String, stem: String) {
        #expect(PorterStemmer.stem(word) == stem)
    }

    @Test func wordFormsShareAStem() {
        let forms = ["encrypt", "encrypted", "encrypting", "encryption", "encrypts"]
        #expect(Set(forms.map(PorterStemmer.stem)).count == 1)
    }

    @Test func shortWordsAndCodesAreUnchanged() {
        #expect(PorterStemmer.stem("is") == "is")
        #expect(PorterStemmer.stem("hl7") == "hl7")
        #expect(PorterStemmer.stem("4548") == "4548")
    }
}
