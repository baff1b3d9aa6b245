import Testing
@testable import HTTP

/// The character classes the response serializer checks every field with (RFC 9110 §5.6.2, §5.5).
@Suite struct HeaderCharacterTests {
    @Test func theTcharMasksHoldExactlyTheTokenCharacters() {
        let tchars = Set("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)
        for byte in UInt8(0)...UInt8(255) {
            let name = String(decoding: [byte], as: UTF8.self)
            // A byte >= 0x80 alone is not valid UTF-8 (it decodes to U+FFFD): never a token either way.
            #expect(ResponseSerializer.isToken(name) == tchars.contains(byte), "byte \(byte)")
        }
        #expect(!ResponseSerializer.isToken(""))
        #expect(ResponseSerializer.isToken("X-Request-ID"))
        #expect(!ResponseSerializer.isToken("X Request"))
    }

    @Test func fieldValuesRefuseEveryControlButTab() {
        for byte in UInt8(0)...UInt8(127) {
            let value = "a" + String(decoding: [byte], as: UTF8.self) + "b"
            let safe = byte == 0x09 || (byte >= 0x20 && byte != 0x7F)
            #expect(ResponseSerializer.isSafeFieldValue(value) == safe, "byte \(byte)")
        }
        #expect(ResponseSerializer.isSafeFieldValue("attachment; filename*=UTF-8''caf%C3%A9.pdf é"))
    }

    @Test func namesCompareWithoutRegardToASCIICaseOnly() {
        #expect(asciiCaseInsensitiveEquals("Content-Length", "content-LENGTH"))
        #expect(asciiCaseInsensitiveEquals("", ""))
        #expect(!asciiCaseInsensitiveEquals("Content-Length", "Content-Lengt"))
        #expect(!asciiCaseInsensitiveEquals("a-b", "a\u{0D}b"))  // '-' | 0x20 == 0x2D, CR | 0x20 == 0x2D: not letters
        #expect(!asciiCaseInsensitiveEquals("[", "{"))           // 0x5B | 0x20 == 0x7B, but not a letter
        #expect(!asciiCaseInsensitiveEquals("K", "\u{212A}"))    // KELVIN SIGN is not ASCII
    }
}
