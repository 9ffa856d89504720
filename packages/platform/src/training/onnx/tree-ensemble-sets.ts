import { isLeaf, isSetSplit } from './tree-ensemble-json.js'
import type { TreeEnsembleJson } from './tree-ensemble-json.js'

/** Ranks per block: block b of a feature holds ranks 32b … 32b + 31 as the values 1 … 32. */
export const RANK_BLOCK = 32

/**
 * The ranks of one categorical feature's codes: the graph maps `codes[k]` to `ranks[k]` and every
 * other value (NaN, unknown codes) to NaN, so that set splits become tests on ranks.
 */
export interface CategoryRanks {
  feature: number
  codes: number[]
  ranks: number[]
}

/** Columns of rank blocks a feature needs. */
export function rankBlockCount(ranks: CategoryRanks): number {
  return Math.ceil((ranks.ranks.reduce((a, b) => Math.max(a, b), -1) + 1) / RANK_BLOCK)
}

// Above this many codes the local search (quadratic in the codes per pass) is skipped: ranks
// follow the codes' numeric order, which is still exact, only slower to evaluate.
const MAX_ORDERED_CODES = 1024
const MAX_PASSES = 2

/**
 * One rank order per feature that has set splits. A set costs one test per block of ranks it
 * touches (see blockSetTests), so codes that sets hold together should share a block. Starting
 * from the codes' numeric order (the tabular preprocessing numbers categories by frequency, and
 * sets mostly hold frequent ones), a local search swaps pairs of codes between blocks while that
 * lowers the number of (set, block) pairs.
 */
export function planCategoryRanks(model: TreeEnsembleJson): CategoryRanks[] {
  const setsByFeature = new Map<number, number[][]>()
  for (const tree of model.trees) {
    for (const node of tree.nodes) {
      if (isLeaf(node) || !isSetSplit(node)) continue
      const sets = setsByFeature.get(node.feature) ?? []
      sets.push(node.categories)
      setsByFeature.set(node.feature, sets)
    }
  }
  return [...setsByFeature.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([feature, sets]) => ({ feature, ...rankCodes(sets) }))
}

function rankCodes(sets: readonly number[][]): Omit<CategoryRanks, 'feature'> {
  const codes = [...new Set(sets.flat())].sort((a, b) => a - b)
  const n = codes.length
  const blocks = Math.ceil(n / RANK_BLOCK)
  if (n > MAX_ORDERED_CODES || blocks < 2) return { codes, ranks: codes.map((_, i) => i) }
  const index = new Map(codes.map((c, i) => [c, i]))
  const setsOf: number[][] = codes.map(() => [])
  sets.forEach((set, s) => {
    for (const c of set) setsOf[index.get(c)!]!.push(s)
  })
  // block[i]: the block of code i; count[s * blocks + b]: codes of set s in block b.
  const block = Int32Array.from(codes.keys(), (i) => Math.floor(i / RANK_BLOCK))
  const count = new Int32Array(sets.length * blocks)
  setsOf.forEach((list, i) => {
    for (const s of list) count[s * blocks + block[i]!]!++
  })
  const ofJ = new Int32Array(sets.length).fill(-1)
  const mark = new Int32Array(sets.length).fill(-1)
  // Change in (set, block) pairs when code i moves from block from to block to, ignoring the
  // sets marked as holding both codes of a swap (their counts do not change).
  const moveGain = (i: number, from: number, to: number, skip: number): number => {
    let delta = 0
    for (const s of setsOf[i]!) {
      if (mark[s] === skip) continue
      if (count[s * blocks + from] === 1) delta--
      if (count[s * blocks + to] === 0) delta++
    }
    return delta
  }
  const move = (i: number, from: number, to: number, skip: number): void => {
    for (const s of setsOf[i]!) {
      if (mark[s] === skip) continue
      count[s * blocks + from]!--
      count[s * blocks + to]!++
    }
    block[i] = to
  }
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    let improved = false
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const a = block[i]!
        const b = block[j]!
        if (a === b) continue
        const key = i * n + j
        for (const s of setsOf[j]!) ofJ[s] = key
        // Sets holding both codes keep their counts; the others lose one code and gain one.
        let shared = 0
        for (const s of setsOf[i]!) {
          if (ofJ[s] === key) {
            mark[s] = key
            shared++
          }
        }
        if (shared === setsOf[i]!.length && shared === setsOf[j]!.length) continue
        if (moveGain(i, a, b, key) + moveGain(j, b, a, key) < 0) {
          move(i, a, b, key)
          move(j, b, a, key)
          improved = true
        }
      }
    }
    if (!improved) break
  }
  // Block by block, codes in numeric order within each.
  const used = new Int32Array(blocks)
  return { codes, ranks: codes.map((_, i) => block[i]! * RANK_BLOCK + used[block[i]!]!++) }
}

/** The equality tests of one block: `values` are block-local (1 … RANK_BLOCK), ascending. */
export interface BlockTests {
  block: number
  values: number[]
}

/**
 * A set of ranks as equality tests on block-local values, grouped by block. onnxruntime turns a
 * run of BRANCH_EQ tests on one feature with one true target and values in 1 … 32 into a single
 * bit-mask test, so a set costs one test per block it touches, however many codes it holds.
 */
export function blockSetTests(memberRanks: readonly number[]): BlockTests[] {
  const byBlock = new Map<number, number[]>()
  for (const r of [...memberRanks].sort((a, b) => a - b)) {
    const block = Math.floor(r / RANK_BLOCK)
    const values = byBlock.get(block) ?? []
    values.push((r % RANK_BLOCK) + 1)
    byBlock.set(block, values)
  }
  return [...byBlock.entries()].map(([block, values]) => ({ block, values }))
}
