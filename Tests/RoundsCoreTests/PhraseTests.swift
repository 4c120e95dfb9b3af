import Testing

@testable import RoundsCore

@Suite struct TextAnalyzerTests {
    @Test func dropsFunctionWordsAndKeepsRanges() {
        let text = AnalyzedText("We encrypt the backups.")
        #expect(text.tokens.map(\.word) == ["encrypt", "backups"])
        #expect(text.tokens[1].range == 15..<22)
        #expect(text.wordCount == 4)
        #expect(text.sentenceCount == 1)
    }

    @Test func splitsCodesAndSentences() {
        let text = AnalyzedText("Map ICD-10-CM codes. Then load v2.5.1 messages!")
        #expect(text.tokens.map(\.word) == ["map", "icd", "10", "cm", "codes", "load", "v2", "5", "1", "messages"])
        #expect(text.sentenceCount == 2)
        #expect(text.tokens.last?.sentence == 1)
    }

    @Test func recognisesNegationsAndPossessives() {
        let text = AnalyzedText("The patient's chart wasn’t shared, never emailed.")
        #expect(text.tokens.map(\.word) == ["patient", "chart", "wasn't", "shared", "never", "emailed"])
        #expect(text.tokens.filter(\.isNegation).map(\.word) == ["wasn't", "never"])
    }

    /// ASCII text takes a byte-level path; it must agree with the `Character` path on everything.
    @Test func asciiPathAgreesWithCharacterPath() {
        let ascii = """
            We didn't encrypt the backups; v2.5.1 failed. Next: audit logs, MFA (TOTP) and role-based access!

            - first item
            2) second item's value
            """
        let fast = AnalyzedText(ascii)
        // A curly apostrophe forces the Character path without changing any word or offset.
        let slow = AnalyzedText(ascii.replacingOccurrences(of: "item's", with: "item\u{2019}s"))
        #expect(fast.tokens == slow.tokens)
        #expect(fast.sentences == slow.sentences)
        #expect(fast.wordCount == slow.wordCount)
        #expect(fast.characterCount == slow.characterCount)
    }

    @Test func carriageReturnsCountAsOneCharacterWithTheirLineFeed() {
        let text = AnalyzedText("first line\r\nsecond")
        #expect(text.tokens.map(\.range) == [0..<5, 6..<10, 11..<17])
        #expect(text.characterCount == 17)
    }

    @Test func foldsAccents() {
        #expect(AnalyzedText("Café naïve").tokens.map(\.word) == ["cafe", "naive"])
    }
}

@Suite struct PhraseTests {
    @Test func matchesWordFormsInOrderWithSmallGaps() {
        let text = AnalyzedText("We encrypted all of the data at rest with AES-256.")
        let match = Phrase("encrypt data at rest").firstAffirmedMatch(in: text)
        #expect(match?.range == 3..<36)
    }

    @Test func refusesGapsOfMoreThanTwoWords() {
        let text = AnalyzedText("Encrypt the nightly offsite tape backup data.")
        #expect(Phrase("encrypt data").matches(in: text).isEmpty)
        #expect(Phrase("encrypt tape").matches(in: text).count == 1)
    }

    @Test func matchesWholeWordsOnly() {
        // "level i" must not match inside "Level II", nor "ack" inside "backup" or "mar" inside "market".
        #expect(Phrase("level i").matches(in: AnalyzedText("HCPCS Level II codes cover supplies.")).isEmpty)
        #expect(Phrase("level i").matches(in: AnalyzedText("HCPCS Level I is CPT.")).count == 1)
        #expect(Phrase("ack").matches(in: AnalyzedText("Restore the backup.")).isEmpty)
        #expect(Phrase("mar").matches(in: AnalyzedText("The market moved.")).isEmpty)
    }

    @Test func orderMatters() {
        #expect(Phrase("rest data").matches(in: AnalyzedText("data at rest")).isEmpty)
    }

    @Test func negationBeforeAMatchCancelsIt() {
        let negated = AnalyzedText("We did not encrypt the backups.")
        #expect(Phrase("encrypt backups").matches(in: negated).first?.isNegated == true)
        #expect(Phrase("encrypt backups").firstAffirmedMatch(in: negated) == nil)
        let contraction = AnalyzedText("We didn't encrypt the backups.")
        #expect(Phrase("encrypt backups").firstAffirmedMatch(in: contraction) == nil)
    }

    @Test func matchesStayInsideOneSentence() {
        let text = AnalyzedText("The provider stores encrypted data and has no key. The BAA still applies.")
        #expect(Phrase("encrypted so no baa").matches(in: text).isEmpty)
    }

    @Test func negationInsideAGapCancels() {
        let matches = Phrase("baa makes us compliant").matches(in: AnalyzedText("The BAA does not make us compliant."))
        #expect(matches.count == 1 && matches[0].isNegated)
    }

    @Test func negationInAnEarlierSentenceDoesNotCancel() {
        let text = AnalyzedText("That was not enough. Encrypt backups.")
        #expect(Phrase("encrypt backups").firstAffirmedMatch(in: text) != nil)
    }

    @Test func negationFarBeforeAMatchDoesNotCancel() {
        let text = AnalyzedText("No audit finding delayed the project, so we encrypt backups.")
        #expect(Phrase("encrypt backups").firstAffirmedMatch(in: text) != nil)
    }

    @Test func negationInsideThePhraseIsMatchedLiterally() {
        let text = AnalyzedText("Make sure there is no PHI in the logs.")
        #expect(Phrase("no PHI in logs").firstAffirmedMatch(in: text) != nil)
        #expect(Phrase("PHI in logs").firstAffirmedMatch(in: text) == nil)
    }

    @Test func functionWordPhrasesCanNeverMatch() {
        #expect(Phrase("the of and").canNeverMatch)
        #expect(!Phrase("minimum necessary").canNeverMatch)
    }

    @Test func findsEveryOccurrence() {
        let text = AnalyzedText("Safe Harbor first. Later, safe harbor again.")
        #expect(Phrase("safe harbor").matches(in: text).count == 2)
    }
}
