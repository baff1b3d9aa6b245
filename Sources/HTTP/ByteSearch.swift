/// Finds a fixed byte pattern in a buffer with Boyer-Moore-Horspool: after a mismatch it skips
/// ahead by up to the pattern's length, so a multipart delimiter of ~40 bytes is found looking at
/// a small fraction of a large file's bytes, instead of re-comparing at every position.
///
/// Built once per pattern (the skip table is 256 entries), then used for every search.
struct ByteSearch {
    let pattern: [UInt8]
    private var skip: [Int]

    init(_ pattern: [UInt8]) {
        precondition(!pattern.isEmpty, "ByteSearch needs a non-empty pattern")
        self.pattern = pattern
        skip = [Int](repeating: pattern.count, count: 256)
        for index in 0..<(pattern.count - 1) {
            skip[Int(pattern[index])] = pattern.count - 1 - index
        }
    }

    /// The index of the first occurrence of the pattern in `haystack[from...]`, or nil.
    func firstIndex(in haystack: [UInt8], from start: Int) -> Int? {
        let m = pattern.count
        guard start >= 0, haystack.count - start >= m else { return nil }
        return haystack.withUnsafeBufferPointer { hay -> Int? in
            pattern.withUnsafeBufferPointer { needle -> Int? in
                skip.withUnsafeBufferPointer { skip -> Int? in
                    let last = m - 1
                    var position = start
                    while position <= hay.count - m {
                        let tail = hay[position + last]
                        if tail == needle[last] {
                            var index = last - 1
                            while index >= 0, hay[position + index] == needle[index] { index -= 1 }
                            if index < 0 { return position }
                        }
                        position += skip[Int(tail)]
                    }
                    return nil
                }
            }
        }
    }
}
