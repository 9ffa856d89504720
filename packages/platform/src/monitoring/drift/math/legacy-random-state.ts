const N = 624
const M = 397

/**
 * numpy's legacy global generator (`np.random.seed(n)` then `np.random.permutation`): MT19937
 * seeded by init_genrand, integers below a bound by masked rejection, Fisher-Yates from the end.
 * Reproducing it value for value lets permutation tests give Evidently's exact p-values.
 */
export class LegacyRandomState {
  private readonly mt = new Uint32Array(N)
  private index = N

  constructor(seed: number) {
    this.mt[0] = seed >>> 0
    for (let i = 1; i < N; i++) {
      const prev = this.mt[i - 1]!
      this.mt[i] = (Math.imul(1812433253, prev ^ (prev >>> 30)) + i) >>> 0
    }
  }

  nextUint32(): number {
    if (this.index >= N) this.twist()
    let y = this.mt[this.index++]!
    y ^= y >>> 11
    y ^= (y << 7) & 0x9d2c5680
    y ^= (y << 15) & 0xefc60000
    y ^= y >>> 18
    return y >>> 0
  }

  /** A uniform integer in [0, max], max < 2^32. */
  interval(max: number): number {
    if (max === 0) return 0
    let mask = max
    mask |= mask >>> 1
    mask |= mask >>> 2
    mask |= mask >>> 4
    mask |= mask >>> 8
    mask |= mask >>> 16
    mask >>>= 0
    let value: number
    do value = (this.nextUint32() & mask) >>> 0
    while (value > max)
    return value
  }

  /** Shuffles in place as `RandomState.shuffle` does on a one-dimensional array. */
  shuffle(values: Int32Array): void {
    // interval() and nextUint32() inlined: this loop runs n times per permutation.
    const mt = this.mt
    for (let i = values.length - 1; i > 0; i--) {
      let mask = i
      mask |= mask >>> 1
      mask |= mask >>> 2
      mask |= mask >>> 4
      mask |= mask >>> 8
      mask |= mask >>> 16
      let j: number
      do {
        if (this.index >= N) this.twist()
        let y = mt[this.index++]!
        y ^= y >>> 11
        y ^= (y << 7) & 0x9d2c5680
        y ^= (y << 15) & 0xefc60000
        y ^= y >>> 18
        j = (y & mask) >>> 0
      } while (j > i)
      const t = values[i]!
      values[i] = values[j]!
      values[j] = t
    }
  }

  private twist(): void {
    const mt = this.mt
    for (let i = 0; i < N; i++) {
      const y = (mt[i]! & 0x80000000) | (mt[(i + 1) % N]! & 0x7fffffff)
      let next = mt[(i + M) % N]! ^ (y >>> 1)
      if (y & 1) next ^= 0x9908b0df
      mt[i] = next >>> 0
    }
    this.index = 0
  }
}
