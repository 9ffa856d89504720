import { describe, expect, it } from 'vitest'
import { OnnxModel } from './onnx-runtime.js'
import { evaluateTreeEnsemble } from './tree-ensemble-eval.js'
import { exportTreeEnsemble } from './tree-ensemble-export.js'
import type { TreeEnsembleJson, TreeNode } from './tree-ensemble-json.js'

const N_FEATURES = 8
const N_ROWS = 400
const THRESHOLDS = [-1.3, -0.4, 0.1, 0.35, 0.9, 1.7]

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
  it('round as onnxruntime rounds them: 1 - 2^-30 is 1 in float32, so x = 1 goes left', async () => {
    const model: TreeEnsembleJson = {
      task: 'regression',
      nClasses: 1,
      baseScore: [0],
      featureNames: ['x'],
      trees: [
        {
          classIndex: 0,
          nodes: [
            { feature: 0, threshold: 1 - 2 ** -30, missingGoesLeft: false, left: 1, right: 2 },
            { leaf: 1 },
            { leaf: 2 },
          ],
        },
      ],
    }
    const out = await (
      await OnnxModel.load(exportTreeEnsemble(model))
    ).run({ x: Float32Array.of(1) }, 1)
    expect(out.prediction?.values).toEqual([1])
    expect(evaluateTreeEnsemble(model, [1]).value).toBe(1)
  })
})
