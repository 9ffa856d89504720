/**
 * Equal-width bin edges over [min, max], computed exactly as `numpy.histogram(a, bins)` computes
 * them (`np.linspace(min, max, bins + 1)`: edge i is i·step + min, the last edge is max), so a
 * profile's histogram can be checked against numpy bin for bin.
 *
 * A constant column (min = max) gets one bin [min, max] holding every value; numpy would widen the
 * range by ±0.5, which invents a scale the data does not have.
 */
export function histogramEdges(min: number, max: number, bins: number): number[] {
  if (min === max) return [min, max]
  const step = (max - min) / bins
  const edges = Array.from({ length: bins + 1 }, (_, i) => i * step + min)
  edges[bins] = max
  return edges
}
