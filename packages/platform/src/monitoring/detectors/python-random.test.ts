import { describe, expect, it } from 'vitest'
import { pythonOracle } from '../../training/test-support/python-oracle.js'
import { PythonRandom } from './python-random.js'

describe('PythonRandom', () => {
  it("draws what CPython's random.Random(seed) draws", () => {
    const seeds = [0, 1, 42, 12345, 2 ** 32 + 5, 2 ** 40 + 7, -5]
    const expected = pythonOracle<{ bits: number[]; small: number[][]; large: number[] }[]>(
      `
import random
out = []
for seed in data:
    r = random.Random(seed)
    bits = [r.getrandbits(32) for _ in range(5)] + [r.getrandbits(7) for _ in range(5)]
    small = [r.sample(range(70), 30) for _ in range(3)]
    large = r.sample(range(5000), 40)
    out.append({'bits': bits, 'small': small, 'large': large})
print(json.dumps(out))`,
      seeds,
    )
    seeds.forEach((seed, i) => {
      const r = new PythonRandom(seed)
      const bits = [...Array.from({ length: 5 }, () => r.getrandbits(32))]
      bits.push(...Array.from({ length: 5 }, () => r.getrandbits(7)))
      const small = [0, 1, 2].map(() => Array.from(r.sampleRange(70, 30)))
      const large = Array.from(r.sampleRange(5000, 40))
      expect({ bits, small, large }).toEqual(expected[i])
    })
  })
})
