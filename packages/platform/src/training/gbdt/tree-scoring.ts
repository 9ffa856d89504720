import type { GbdtTreeJson } from './gbdt-json.js'

/**
 * Adds one tree's leaf values to scores[i * K + k] for every row of column-major features
 * (used for rows outside the bag and for the validation set, which have no leaf ranges).
 */
export function addTreeScores(
  tree: GbdtTreeJson,
  features: Float64Array[],
  scores: Float64Array,
  K: number,
  k: number,
  skip?: Uint8Array,
): void {
  const sets = tree.categories.map((c) => (c ? new Set(c) : null))
  const { feature, threshold, defaultLeft, left, right, value } = tree
  const n = features[0]?.length ?? 0
  for (let i = 0; i < n; i++) {
    if (skip && skip[i] === 1) continue
    let node = 0
    for (let f = feature[0]!; f >= 0; f = feature[node]!) {
      const x = features[f]![i]!
      let goLeft: boolean
      if (x !== x) goLeft = defaultLeft[node]!
      else {
        const cats = sets[node]
        goLeft = cats ? cats.has(x) : x <= threshold[node]!
      }
      node = goLeft ? left[node]! : right[node]!
    }
    scores[i * K + k]! += value[node]!
  }
}
