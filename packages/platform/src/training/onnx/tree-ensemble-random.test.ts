import { describe, expect, it } from 'vitest'
import { OnnxModel } from './onnx-runtime.js'
import { evaluateTreeEnsemble } from './tree-ensemble-eval.js'
import { exportTreeEnsemble } from './tree-ensemble-export.js'
import type { TreeEnsembleJson, TreeNode } from './tree-ensemble-json.js'

const N_FEATURES = 8
const N_ROWS = 400
const THRESHOLDS = [-1.3, -0.4, 0.1, 0.35, 0.9, 1.7]
const CODES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]

function mulberry32(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

// Depth-first, so every child index is greater than its parent's; some branches stop early.
function randomTree(random: () => number, depth: number): TreeNode[] {
  const nodes: TreeNode[] = []
  const grow = (level: number): number => {
    const index = nodes.length
    if (level === depth || (level > 1 && random() < 0.1)) {
      nodes.push({ leaf: (random() - 0.5) * 0.4 })
      return index
    }
    if (random() < 0.2) {
      // A set split on category codes, as a GBDT with categorical features has.
      const codes = CODES.filter(() => random() < 0.4)
      const split = {
        feature: Math.floor(random() * N_FEATURES),
        categories: codes.length > 0 ? codes : [3],
        left: 0,
        right: 0,
      }
      nodes.push(split)
      split.left = grow(level + 1)
      split.right = grow(level + 1)
      return index
    }
    const split = {
      feature: Math.floor(random() * N_FEATURES),
      // Half the thresholds are shared values the data also takes, to exercise x == threshold.
      threshold:
        random() < 0.5
          ? (THRESHOLDS[Math.floor(random() * THRESHOLDS.length)] ?? 0)
          : random() * 4 - 2,
      missingGoesLeft: random() < 0.5,
      left: 0,
      right: 0,
    }
    nodes.push(split)
    split.left = grow(level + 1)
    split.right = grow(level + 1)
    return index
  }
  grow(0)
  return nodes
}

function randomEnsemble(task: TreeEnsembleJson['task'], seed: number): TreeEnsembleJson {
  const random = mulberry32(seed)
  const nClasses = task === 'multiclass' ? 3 : task === 'binary' ? 2 : 1
  const k = task === 'multiclass' ? 3 : 1
  return {
    task,
    nClasses,
    baseScore: Array.from({ length: k }, () => random() - 0.5),
    featureNames: Array.from({ length: N_FEATURES }, (_, i) => `f${i}`),
    trees: Array.from({ length: 100 }, (_, t) => ({
      classIndex: t % k,
      nodes: randomTree(random, 6),
    })),
  }
}

function randomColumns(seed: number): Float32Array[] {
  const random = mulberry32(seed)
  return Array.from({ length: N_FEATURES }, () =>
    Float32Array.from({ length: N_ROWS }, () => {
      const u = random()
      if (u < 0.05) return Number.NaN
      if (u < 0.15) return THRESHOLDS[Math.floor(random() * THRESHOLDS.length)] ?? 0
      if (u < 0.45) return Math.floor(random() * 12)
      return random() * 4 - 2
    }),
  )
}

describe.each(['regression', 'binary', 'multiclass'] as const)(
  '100 trees of depth 6 (%s) in onnxruntime',
  (task) => {
    it('match the float32 reference evaluator to 1e-5', async () => {
      const model = randomEnsemble(task, 42)
      const columns = randomColumns(7)
      const feeds = Object.fromEntries(model.featureNames.map((name, j) => [name, columns[j]!]))
      const out = await (await OnnxModel.load(exportTreeEnsemble(model))).run(feeds, N_ROWS)
      let maxError = 0
      for (let r = 0; r < N_ROWS; r++) {
        const expected = evaluateTreeEnsemble(
          model,
          columns.map((c) => c[r]!),
        )
        if (task === 'regression') {
          maxError = Math.max(
            maxError,
            Math.abs((out.prediction!.values[r] as number) - expected.value),
          )
          continue
        }
        expect(out.label!.values[r]).toBe(expected.value)
        expected.probabilities!.forEach((p, c) => {
          const actual = out.probabilities!.values[r * model.nClasses + c] as number
          maxError = Math.max(maxError, Math.abs(actual - p))
        })
      }
      expect(maxError).toBeLessThan(1e-5)
    })
  },
)

describe('float32 thresholds', () => {
  const stump = (threshold: number): TreeEnsembleJson => ({
    task: 'regression',
    nClasses: 1,
    baseScore: [0],
    featureNames: ['x'],
    trees: [
      {
        classIndex: 0,
        nodes: [
          { feature: 0, threshold, missingGoesLeft: false, left: 1, right: 2 },
          { leaf: 1 },
          { leaf: 2 },
        ],
      },
    ],
  })

  it('are the largest float32 at or below: 1 - 2^-30 becomes 1 - 2^-24, so x = 1 goes right', async () => {
    const model = stump(1 - 2 ** -30)
    const x = Float32Array.of(1, 1 - 2 ** -24)
    const out = await (await OnnxModel.load(exportTreeEnsemble(model))).run({ x }, 2)
    expect(out.prediction?.values).toEqual([2, 1])
    expect(evaluateTreeEnsemble(model, [1]).value).toBe(2)
    expect(evaluateTreeEnsemble(model, [1 - 2 ** -24]).value).toBe(1)
  })

  it('send every float32 input to the side the double threshold does', async () => {
    const random = mulberry32(11)
    for (let k = 0; k < 20; k++) {
      const threshold = (random() - 0.5) * 10 ** Math.floor(random() * 8 - 4)
      // The float32 values around the threshold: its rounding and its neighbours.
      const near = Math.fround(threshold)
      const x = Float32Array.of(near, near * (1 + 2 ** -23), near * (1 - 2 ** -23), near / 2)
      const out = await (await OnnxModel.load(exportTreeEnsemble(stump(threshold)))).run({ x }, 4)
      expect(out.prediction?.values).toEqual(Array.from(x, (v) => (v <= threshold ? 1 : 2)))
    }
  })
})
