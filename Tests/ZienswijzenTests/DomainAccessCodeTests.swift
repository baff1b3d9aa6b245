import Testing
import ZienswijzenDomain
import ZienswijzenStore

@Suite("Access codes")
struct DomainAccessCodeTests {
    @Test func formatIsFiveGroupsOfFourCrockfordSymbols() throws {
        let code = Toegangscode.generate()
        let groups = code.split(separator: "-", omittingEmptySubsequences: false)
        #expect(groups.count == 5)
        #expect(groups.allSatisfy { $0.count == 4 })
        #expect(code.allSatisfy { $0 == "-" || Toegangscode.alphabet.contains($0) })
        #expect(!code.contains { "ILOU".contains($0) })
        #expect(Toegangscode.normalize(code) == code.replacingOccurrences(of: "-", with: ""))
    }

    @Test func thousandCodesAreDistinctAndUseTheWholeAlphabet() {
        let codes = (0..<1000).map { _ in Toegangscode.generate() }
        #expect(Set(codes).count == 1000)
        let used = Set(codes.joined().filter { $0 != "-" })
        #expect(used.count == 32)  // 20 000 draws from 32 symbols: all appear unless the generator is broken
    }

    @Test func normalizeForgivesTypingHabits() {
        let canonical = "7K3MQX9D2HBTWV4N8RJE"
        #expect(Toegangscode.normalize("7K3M-QX9D-2HBT-WV4N-8RJE") == canonical)
        #expect(Toegangscode.normalize(" 7k3m qx9d 2hbt wv4n 8rje ") == canonical)
        #expect(Toegangscode.normalize("7k3mqx9d2hbtwv4n8rje") == canonical)
        #expect(Toegangscode.normalize("O1IL-0000-0000-0000-0000") == "01110000000000000000")
        #expect(Toegangscode.normalize("o1il-0000-0000-0000-0000") == "01110000000000000000")
    }

    @Test(arguments: ["", "7K3M-QX9D-2HBT-WV4N", "7K3M-QX9D-2HBT-WV4N-8RJE-AAAA", "7K3M-QX9D-2HBT-WV4N-8RJU",
                      "7K3M-QX9D-2HBT-WV4N-8RJ!", "7K3M_QX9D_2HBT_WV4N_8RJE", "7K3M-QX9D-2HBT-WV4N-8RJÉ"])
    func normalizeRefuses(_ typed: String) {
        #expect(Toegangscode.normalize(typed) == nil)
    }

    @Test func hashIsStableHexSHA256() {
        // SHA-256("7K3MQX9D2HBTWV4N8RJE"), computed independently with sha256sum.
        #expect(Toegangscode.hash(normalized: "7K3MQX9D2HBTWV4N8RJE") == "6f5952e4bded58d5fe63fcac36c90fae6c27cd7e05f46839ebec6f3fedd95544")
        #expect(Toegangscode.hash(normalized: "7K3MQX9D2HBTWV4N8RJE") != Toegangscode.hash(normalized: "7K3MQX9D2HBTWV4N8RJF"))
    }

    @Test func constantTimeEquals() {
        let a = Toegangscode.hash(normalized: "7K3MQX9D2HBTWV4N8RJE")
        var b = a
        #expect(Toegangscode.constantTimeEquals(a, b))
        b.removeLast()
        #expect(!Toegangscode.constantTimeEquals(a, b))
        b.append(a.last == "0" ? "1" : "0")
        #expect(!Toegangscode.constantTimeEquals(a, b))
        let firstFlipped = (a.first == "0" ? "1" : "0") + a.dropFirst()
        #expect(!Toegangscode.constantTimeEquals(a, firstFlipped))
        #expect(Toegangscode.constantTimeEquals("", ""))
        #expect(!Toegangscode.constantTimeEquals(a, ""))
    }
}
