// Bit packing at every width, against a bit-by-bit reference.
import Testing

@testable import KolomFormat

@Suite struct BitPackingTests {
  @Test(arguments: Array(0...64))
  func packThenUnpackIsIdentityAtWidth(width: Int) {
    var rng = SeededRandom(seed: UInt64(width) &* 977)
    for count in [0, 1, 7, 64, 65, 128, 333, 4_096] {
      let mask: UInt64 = width == 64 ? ~0 : (1 << UInt64(width)) &- 1
      let base = Int64.random(in: -1000...1000, using: &rng)
      let values = (0..<count).map { _ in Int64(bitPattern: rng.next() & mask) &+ base }
      let words = BitPacking.pack(values, base: base, width: width)
      #expect(words.count == BitPacking.wordCount(count: count, width: width))
      var out = [Int64](repeating: 0, count: count)
      let highest = words.withUnsafeBufferPointer { w in
        out.withUnsafeMutableBufferPointer { BitPacking.unpack(w, count: count, width: width, base: base, into: $0) }
      }
      #expect(out == values)
      // The largest offset comes back with the values (it bounds codes without another pass).
      #expect(highest == (values.map { UInt64(bitPattern: $0 &- base) }.max() ?? 0))
      #expect(referenceBits(words, count: count, width: width) == values.map { UInt64(bitPattern: $0 &- base) })
    }
  }

  @Test func widthIsTheSmallestThatHoldsTheRange() {
    #expect(BitPacking.width(forRange: 0) == 0)
    #expect(BitPacking.width(forRange: 1) == 1)
    #expect(BitPacking.width(forRange: 41) == 6)
    #expect(BitPacking.width(forRange: 341) == 9)
    #expect(BitPacking.width(forRange: UInt64.max) == 64)
  }

  /// Reads value i as bits i·w ..< (i+1)·w, LSB-first, one bit at a time: the spec's words.
  private func referenceBits(_ words: [UInt64], count: Int, width: Int) -> [UInt64] {
    (0..<count).map { i in
      var v: UInt64 = 0
      for b in 0..<width {
        let bit = i * width + b
        if words[bit / 64] >> UInt64(bit % 64) & 1 == 1 { v |= 1 << UInt64(b) }
      }
      return v
    }
  }
}

@Suite struct ChecksumTests {
  @Test func xxh3MatchesTheVectorsInTheSpec() {
    #expect(Checksum.xxh3([UInt8]()) == 0x2d06_8005_38d3_94c2)
    #expect(Checksum.xxh3(Array("abc".utf8)) == 0x78af_5f94_892f_3950)
    #expect(Checksum.xxh3([0x18, 0, 0, 0, 0, 0, 0, 0]) == 0xbe7f_9506_a52d_0949)
  }
}
