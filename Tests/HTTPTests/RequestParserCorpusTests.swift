import Testing
@testable import HTTP

@Suite struct RequestParserCorpusTests {
    static let corpus = headCorpus + framingCorpus + bodyCorpus

    @Test func corpusIsLargeAndNamesAreUnique() {
        #expect(Self.corpus.count >= 80)
        #expect(Set(Self.corpus.map(\.name)).count == Self.corpus.count)
    }

    @Test(arguments: corpus)
    func corpusCase(_ c: CorpusCase) {
        let out = parse([c.raw], limits: c.limits)
        #expect(!out.hasEmptyBodyPiece)
        let got = out.coalesced
        #expect(got.events == c.events, "\(got)")
        #expect(got.error?.status == c.status, "\(got)")
        if c.status == nil { #expect(got.leftover == c.leftover) }
    }
}

extension CorpusCase: CustomTestStringConvertible {
    var testDescription: String { name }
}
