/** Below this length the built-in sort is as fast as the radix passes and their histograms. */
const RADIX_MIN_LENGTH = 4096
const DIGITS = 4
const BUCKETS = 1 << 16

/**
 * Ascending copy of `values`, ordered as `Float64Array.prototype.sort` orders them (−0 before +0).
 * An LSD radix sort over the 64 bits in four 16-bit digits: on 1M values it is several times
 * faster than V8's comparison sort, which dominates a drift report on large samples.
 */
export function sortedFloat64(values: Float64Array): Float64Array {
  const n = values.length
  if (n < RADIX_MIN_LENGTH) return Float64Array.from(values).sort()
  let source = new Float64Array(n)
  let target = new Float64Array(n)
  const counts = new Uint32Array(DIGITS * BUCKETS)
  let words = new Uint32Array(source.buffer)
  // Map each double to an unsigned key of the same order: flip every bit of a negative number,
  // only the sign bit of a positive one (words are little-endian: [low, high]).
  for (let i = 0; i < n; i++) {
    const v = values[i]!
    // NaN's ordering (last, whatever its sign bit) is left to the built-in sort.
    if (v !== v) return Float64Array.from(values).sort()
    source[i] = v
    const high = words[2 * i + 1]!
    const mask = high >>> 31 === 1 ? 0xffffffff : 0
    const low = (words[2 * i]! ^ mask) >>> 0
    const top = (high ^ (mask | 0x80000000)) >>> 0
    words[2 * i] = low
    words[2 * i + 1] = top
    counts[low & 0xffff]!++
    counts[BUCKETS + (low >>> 16)]!++
    counts[2 * BUCKETS + (top & 0xffff)]!++
    counts[3 * BUCKETS + (top >>> 16)]!++
  }
  let targetWords = new Uint32Array(target.buffer)
  for (let d = 0; d < DIGITS; d++) {
    const base = d * BUCKETS
    // A digit every key shares does not reorder anything.
    let skip = false
    let offset = 0
    for (let b = 0; b < BUCKETS; b++) {
      const c = counts[base + b]!
      if (c === n) skip = true
      counts[base + b] = offset
      offset += c
    }
    if (skip) continue
    const word = d >> 1
    const shift = (d & 1) * 16
    for (let i = 0; i < n; i++) {
      const low = words[2 * i]!
      const high = words[2 * i + 1]!
      const digit = ((word === 0 ? low : high) >>> shift) & 0xffff
      const at = counts[base + digit]!++
      targetWords[2 * at] = low
      targetWords[2 * at + 1] = high
    }
    ;[source, target] = [target, source]
    ;[words, targetWords] = [targetWords, words]
  }
  for (let i = 0; i < n; i++) {
    const top = words[2 * i + 1]!
    const mask = top >>> 31 === 1 ? 0 : 0xffffffff
    words[2 * i] = (words[2 * i]! ^ mask) >>> 0
    words[2 * i + 1] = (top ^ (mask | 0x80000000)) >>> 0
  }
  return source
}
