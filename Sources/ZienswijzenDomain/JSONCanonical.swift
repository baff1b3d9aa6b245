extension JSONValue {
    /// The RFC 8785 JSON Canonicalization Scheme (JCS) form, as UTF-8: no whitespace, object members
    /// sorted by their names compared as sequences of UTF-16 code units (recursively; array order
    /// kept), strings escaped as in `serialized()` (already the JCS rules), numbers in ECMAScript
    /// form. Any RFC 8785 implementation (e.g. the `canonicalize` packages for JavaScript, Python,
    /// Go, Java) gives the same bytes for the same value, which is what makes a digest over it
    /// recomputable by a council.
    ///
    /// Out of scope, as in RFC 8785: non-finite numbers (written `null`) and duplicate member names
    /// (kept in their relative order; the parser refuses them anyway).
    package func canonical() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        writeCanonical(into: &out)
        return out
    }

    private func writeCanonical(into out: inout [UInt8]) {
        switch self {
        case .null, .bool, .string:
            JSONWriter.write(self, into: &out, pretty: false, indent: 0)
        case .int(let n):
            // Through Double, as ECMAScript sees every number: integers beyond 2^53 round the
            // same way a JavaScript canonicalizer would round them.
            out.append(contentsOf: ECMAScriptNumber.format(Double(n)).utf8)
        case .number(let d):
            out.append(contentsOf: ECMAScriptNumber.format(d).utf8)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (n, element) in elements.enumerated() {
                if n > 0 { out.append(UInt8(ascii: ",")) }
                element.writeCanonical(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            let sorted = members.enumerated().sorted { a, b in
                if a.element.0.utf16.elementsEqual(b.element.0.utf16) { return a.offset < b.offset }
                return a.element.0.utf16.lexicographicallyPrecedes(b.element.0.utf16)
            }
            for (n, (_, member)) in sorted.enumerated() {
                if n > 0 { out.append(UInt8(ascii: ",")) }
                JSONWriter.writeString(member.0, into: &out)
                out.append(UInt8(ascii: ":"))
                member.1.writeCanonical(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }
}
