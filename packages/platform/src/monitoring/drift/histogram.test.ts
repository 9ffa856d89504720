import { describe, expect, it } from 'vitest'
import { pythonOracle } from '../../training/test-support/python-oracle.js'
import { histogramCounts, sturgesEdges } from './histogram.js'
import { normalSample } from './test-support/evidently-oracle.js'

describe('sturgesEdges and histogramCounts', () => {
  it("match numpy's histogram_bin_edges(bins='sturges') and histogram exactly", () => {
    const a = normalSample(1000, 0, 1, 41)
    const b = normalSample(777, 1, 3, 42)
    const expected = pythonOracle<{ edges: number[]; a: number[]; b: number[] }>(
      `e = np.histogram_bin_edges(np.array(data['a'] + data['b']), bins='sturges')
print(json.dumps({'edges': e.tolist(), 'a': np.histogram(data['a'], e)[0].tolist(), 'b': np.histogram(data['b'], e)[0].tolist()}))`,
      { a: Array.from(a), b: Array.from(b) },
    )
    const edges = sturgesEdges([a, b])
    expect(Array.from(edges)).toEqual(expected.edges)
    expect(Array.from(histogramCounts(a, edges))).toEqual(expected.a)
    expect(Array.from(histogramCounts(b, edges))).toEqual(expected.b)
  })

  it('puts the maximum in the last bin and a value on an inner edge in the bin to its right', () => {
    const edges = Float64Array.of(0, 1, 2)
    expect(Array.from(histogramCounts(Float64Array.of(0, 1, 2, 2, 0.5), edges))).toEqual([2, 3])
  })

  it('widens a single value to one bin of width 1, as numpy does', () => {
    expect(Array.from(sturgesEdges([Float64Array.of(3, 3, 3)]))).toEqual([2.5, 3.5])
  })

  it('caps the number of bins when asked', () => {
    const many = Float64Array.from({ length: 1 << 20 }, (_, i) => i)
    expect(sturgesEdges([many]).length - 1).toBe(21)
    expect(sturgesEdges([many], 10).length - 1).toBe(10)
  })
})
