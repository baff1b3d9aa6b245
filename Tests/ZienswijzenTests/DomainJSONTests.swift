import Foundation
import Testing
import ZienswijzenDomain
import ZienswijzenStore

private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
private func parse(_ s: String) throws -> JSONValue { try JSONValue.parse(Array(s.utf8)) }

@Suite("JSON parsing")
struct DomainJSONParseTests {
    @Test func parsesEveryTypeKeepingOrder() throws {
        let v = try parse(#" { "b": [1, -2.5, 1e2, true, false, null], "a": {"x": "y"} } "#)
        #expect(v == .object([("b", [.int(1), .number(-2.5), .number(100), true, false, .null]), ("a", ["x": "y"])]))
        #expect(v.objectValue?.map(\.0) == ["b", "a"])
        #expect(v["b"]?.arrayValue?[3].boolValue == true)
        #expect(v["b"]?.arrayValue?[0].intValue == 1)
    }

    @Test func booleansAreNotNumbers() throws {
        let v = try parse("[true, 1, 0, false]")
        #expect(v == [.bool(true), .int(1), .int(0), .bool(false)])
        #expect(v.arrayValue?[0].intValue == nil)
        #expect(v.arrayValue?[1].boolValue == nil)
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        let v = try parse(#""a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\ude00 's-Gravenhage""#)
        #expect(v == .string("a\"b\\c/d\u{8}\u{c}\n\r\té😀 's-Gravenhage"))
    }

    @Test(arguments: [
        "", " ", "{", "[1,]", "{\"a\":1,}", "{'a':1}", "01", "1.", ".5", "-", "+1", "1e", "NaN", "Infinity",
        "[1] x", "tru", "nul", "\"abc", "\"a\u{01}b\"", "\"\\x\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\u12G4\"",
        "{\"a\":1,\"a\":2}", "/* c */ 1", "[1\u{0C}]", "1e999",
    ])
    func refusesMalformed(_ input: String) {
        #expect(throws: JSONParseError.self) { try parse(input) }
    }

    @Test func refusesInvalidUTF8() {
        #expect(throws: JSONParseError.self) { try JSONValue.parse([0x22, 0xC3, 0x28, 0x22]) }
        #expect(throws: JSONParseError.self) { try JSONValue.parse([0x22, 0xED, 0xA0, 0x80, 0x22]) }  // encoded surrogate
    }

    @Test func limitsDepth() throws {
        let ok = String(repeating: "[", count: JSONValue.maxDepth) + String(repeating: "]", count: JSONValue.maxDepth)
        _ = try parse(ok)
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONParseError.self) { try parse(deep) }
    }

    @Test func skipsByteOrderMark() throws {
        #expect(try JSONValue.parse([0xEF, 0xBB, 0xBF] + Array("{}".utf8)) == .object([]))
    }

    @Test func errorDetailIsDutchWithPosition() {
        do {
            _ = try JSONValue.parse(Array("{\"a\" 1}".utf8))
            Issue.record("expected an error")
        } catch {
            #expect(error.offset == 5)
            #expect(error.detail.contains("Ongeldige JSON op positie 5"))
        }
    }

    @Test func largeIntegersBecomeDoubles() throws {
        #expect(try parse("9223372036854775807") == .int(Int.max))
        #expect(try parse("9223372036854775808") == .number(9_223_372_036_854_775_808))
    }
}

@Suite("JSON writing")
struct DomainJSONWriteTests {
    @Test func writesCompactInOrder() {
        let v: JSONValue = ["z": 1, "a": [true, nil, "x"], "m": ["k": 2.5]]
        #expect(text(v.serialized()) == #"{"z":1,"a":[true,null,"x"],"m":{"k":2.5}}"#)
    }

    @Test func escapesOnlyWhatMustBeEscaped() {
        let v = JSONValue.string("\"\\/\u{8}\u{C}\n\r\t\u{0}\u{1F}\u{7F}é€😀 's-Gravenhage")
        #expect(text(v.serialized()) == "\"\\\"\\\\/\\b\\f\\n\\r\\t\\u0000\\u001f\u{7F}é€😀 's-Gravenhage\"")
    }

    @Test func prettyIndentsByTwo() {
        let v: JSONValue = ["a": [1, 2], "b": [:], "c": []]
        #expect(text(v.serialized(pretty: true)) == "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {},\n  \"c\": []\n}\n")
    }

    @Test func roundTripsThroughParser() throws {
        let v: JSONValue = ["tekst": "regel 1\nregel 2\t\u{1}", "n": -12, "d": 0.1, "e": [], "o": ["x": nil]]
        #expect(try JSONValue.parse(v.serialized()) == v)
        #expect(try JSONValue.parse(v.serialized(pretty: true)) == v)
    }

    @Test func agreesWithFoundationReader() throws {
        let v: JSONValue = ["naam": "A. de Griffier \u{1} \"x\"", "getal": 48213]
        let object = try #require(try JSONSerialization.jsonObject(with: Data(v.serialized())) as? [String: Any])
        #expect(object["naam"] as? String == "A. de Griffier \u{1} \"x\"")
        #expect((object["getal"] as? NSNumber)?.intValue == 48213)
    }

    @Test func nonFiniteNumbersBecomeNull() {
        #expect(text(JSONValue.array([.number(.nan), .number(.infinity)]).serialized()) == "[null,null]")
    }
}

@Suite("JSON canonical form (RFC 8785)")
struct DomainJCSTests {
    /// RFC 8785 §3.2.2 (input) and §3.2.3 (output).
    @Test func rfc8785MainExample() throws {
        let input = #"""
        {
          "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
          "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
          "literals": [null, true, false]
        }
        """#
        let expected = #"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}"#
        #expect(text(try parse(input).canonical()) == expected)
    }

    /// RFC 8785 §3.2.3: sorting by UTF-16 code units puts U+1F600 (a surrogate pair, D83D) before U+FB33.
    @Test func sortsByUTF16CodeUnits() throws {
        let input = #"""
        {"\u20ac": "Euro Sign", "\r": "Carriage Return", "\ufb33": "Hebrew Letter Dalet With Dagesh",
         "1": "One", "\ud83d\ude00": "Emoji: Grinning Face", "\u0080": "Control",
         "\u00f6": "Latin Small Letter O With Diaeresis"}
        """#
        let parsed = try parse(input)
        let keys = ["\r", "1", "\u{80}", "ö", "€", "😀", "\u{FB33}"]
        var pairs: [String] = []
        for key in keys {
            let value = try #require(parsed[key]?.stringValue)
            pairs.append(text(JSONValue.string(key).serialized()) + ":" + text(JSONValue.string(value).serialized()))
        }
        let expected = "{" + pairs.joined(separator: ",") + "}"
        #expect(text(parsed.canonical()) == expected)
        #expect(expected.hasPrefix(#"{"\r":"Carriage Return","1":"One","\#u{80}":"Control""#))
        // Unicode scalar order would put U+FB33 before U+1F600; UTF-16 order does not.
        let emoji = try #require(expected.range(of: "😀")), dalet = try #require(expected.range(of: "\u{FB33}"))
        #expect(emoji.lowerBound < dalet.lowerBound)
    }

    /// RFC 8785 Appendix B: IEEE 754 values and their ECMAScript text.
    @Test(arguments: [
        (0x0000_0000_0000_0000 as UInt64, "0"), (0x8000_0000_0000_0000, "0"),
        (0x0000_0000_0000_0001, "5e-324"), (0x8000_0000_0000_0001, "-5e-324"),
        (0x7FEF_FFFF_FFFF_FFFF, "1.7976931348623157e+308"), (0xFFEF_FFFF_FFFF_FFFF, "-1.7976931348623157e+308"),
        (0x4340_0000_0000_0000, "9007199254740992"), (0xC340_0000_0000_0000, "-9007199254740992"),
        (0x4430_0000_0000_0000, "295147905179352830000"), (0x44B5_2D02_C7E1_4AF5, "9.999999999999997e+22"),
        (0x44B5_2D02_C7E1_4AF6, "1e+23"), (0x44B5_2D02_C7E1_4AF7, "1.0000000000000001e+23"),
        (0x444B_1AE4_D6E2_EF4E, "999999999999999700000"), (0x444B_1AE4_D6E2_EF4F, "999999999999999900000"),
        (0x444B_1AE4_D6E2_EF50, "1e+21"), (0x3EB0_C6F7_A0B5_ED8C, "9.999999999999997e-7"),
        (0x3EB0_C6F7_A0B5_ED8D, "0.000001"), (0x41B3_DE43_5555_5553, "333333333.3333332"),
        (0x41B3_DE43_5555_5554, "333333333.33333325"), (0x41B3_DE43_5555_5555, "333333333.3333333"),
        (0x41B3_DE43_5555_5556, "333333333.3333334"), (0x41B3_DE43_5555_5557, "333333333.33333343"),
        (0xBECB_F647_612F_3696, "-0.0000033333333333333333"), (0x43143FF3C1CB0959, "1424953923781206.2"),
    ])
    func ecmascriptNumbers(bits: UInt64, expected: String) {
        #expect(text(JSONValue.number(Double(bitPattern: bits)).canonical()) == expected)
    }

    @Test func integersAndNesting() throws {
        let v: JSONValue = ["b": [["d": 1, "c": 2]], "a": .int(48213), "'s-Gravenhage": "Den Haag\u{1}😀"]
        #expect(text(v.canonical()) == #"{"'s-Gravenhage":"Den Haag\u0001😀","a":48213,"b":[{"c":2,"d":1}]}"#)
    }
}
