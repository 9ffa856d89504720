import { randomInt } from 'node:crypto'
import type { PythonRandomState } from './detector-state-format.js'

/** Words of the Mersenne Twister's state. */
export const MT_WORDS = 624
const N = MT_WORDS
const M = 397

/**
 * The Mersenne Twister of CPython's `random.Random(seed)` for integer seeds, with the parts of
 * its API that River's KSWIN uses (`getrandbits`, `randbelow`, `sample` of a range). Same seed,
 * same draws as Python, so KSWIN's drift indices match River's exactly.
 */
export class PythonRandom {
  private readonly mt = new Uint32Array(N)
  private index = N

  /** `seed` is an integer (its absolute value is used, as CPython does); omitted = random. */
  constructor(seed?: number) {
    const s = Math.abs(seed ?? randomInt(0, 2 ** 48 - 1))
    // CPython splits the seed into 32-bit words, least significant first.
    const key: number[] = []
    let rest = s
    do {
      key.push(rest % 2 ** 32)
      rest = Math.floor(rest / 2 ** 32)
    } while (rest > 0)
    this.initByArray(key)
  }

  /** The generator's full state: the next draws of a generator rebuilt from it are the same. */
  getState(): PythonRandomState {
    return { mt: Array.from(this.mt), index: this.index }
  }

  /** A generator at `state` (624 unsigned 32-bit words and an index in [0, 624]); unchecked. */
  static fromState(state: PythonRandomState): PythonRandom {
    // Seeding with 0 is cheap; every word is overwritten next.
    const r = new PythonRandom(0)
    r.mt.set(state.mt)
    r.index = state.index
    return r
  }

  private initGenrand(s: number): void {
    const mt = this.mt
    mt[0] = s >>> 0
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1] as number
      mt[i] = (Math.imul(1812433253, prev ^ (prev >>> 30)) + i) >>> 0
    }
    this.index = N
  }

  private initByArray(key: readonly number[]): void {
    const mt = this.mt
    this.initGenrand(19650218)
    let i = 1
    let j = 0
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const prev = mt[i - 1] as number
      mt[i] =
        (((mt[i] as number) ^ Math.imul(prev ^ (prev >>> 30), 1664525)) +
          (key[j] as number) +
          j) >>>
        0
      i++
      j++
      if (i >= N) {
        mt[0] = mt[N - 1] as number
        i = 1
      }
      if (j >= key.length) j = 0
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = mt[i - 1] as number
      mt[i] = (((mt[i] as number) ^ Math.imul(prev ^ (prev >>> 30), 1566083941)) - i) >>> 0
      i++
      if (i >= N) {
        mt[0] = mt[N - 1] as number
        i = 1
      }
    }
    mt[0] = 0x80000000
  }

  /** One 32-bit output of MT19937. */
  nextUint32(): number {
    const mt = this.mt
    if (this.index >= N) {
      for (let kk = 0; kk < N; kk++) {
        const y = ((mt[kk] as number) & 0x80000000) | ((mt[(kk + 1) % N] as number) & 0x7fffffff)
        mt[kk] = ((mt[(kk + M) % N] as number) ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0)) >>> 0
      }
      this.index = 0
    }
    let y = mt[this.index++] as number
    y ^= y >>> 11
    y ^= (y << 7) & 0x9d2c5680
    y ^= (y << 15) & 0xefc60000
    y ^= y >>> 18
    return y >>> 0
  }

  /** Python's `getrandbits(k)` for 0 <= k <= 32. */
  getrandbits(k: number): number {
    if (k === 0) return 0
    return this.nextUint32() >>> (32 - k)
  }

  /** Python's `_randbelow(n)`: uniform integer in [0, n) by rejection, for 0 < n < 2^32. */
  randbelow(n: number): number {
    const k = 32 - Math.clz32(n)
    let r = this.getrandbits(k)
    while (r >= n) r = this.getrandbits(k)
    return r
  }

  /** Python's `sample(range(n), k)`: k distinct integers of [0, n) in selection order. */
  sampleRange(n: number, k: number, out: Int32Array = new Int32Array(k)): Int32Array {
    let setsize = 21
    if (k > 5) setsize += 4 ** Math.ceil(Math.log(k * 3) / Math.log(4))
    if (n <= setsize) {
      const pool = new Int32Array(n)
      for (let i = 0; i < n; i++) pool[i] = i
      for (let i = 0; i < k; i++) {
        const j = this.randbelow(n - i)
        out[i] = pool[j] as number
        pool[j] = pool[n - i - 1] as number
      }
    } else {
      const selected = new Set<number>()
      for (let i = 0; i < k; i++) {
        let j = this.randbelow(n)
        while (selected.has(j)) j = this.randbelow(n)
        selected.add(j)
        out[i] = j
      }
    }
    return out
  }
}
