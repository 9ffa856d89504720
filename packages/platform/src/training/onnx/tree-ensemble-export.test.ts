import { describe, expect, it } from 'vitest'
import { inspectOnnx } from './onnx-import.js'
import { OnnxModel } from './onnx-runtime.js'
import { evaluateTreeEnsemble } from './tree-ensemble-eval.js'
import { exportTreeEnsemble, flattenTreeEnsemble } from './tree-ensemble-export.js'
import { planCategoryRanks } from './tree-ensemble-sets.js'
import type { TreeEnsembleJson, TreeNode } from './tree-ensemble-json.js'

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z))

function stump(task: TreeEnsembleJson['task'], missingGoesLeft: boolean): TreeEnsembleJson {
  return {
    task,
    nClasses: task === 'regression' ? 1 : 2,
    baseScore: [0.5],
    featureNames: ['distance'],
    trees: [
      {
        classIndex: 0,
        nodes: [
          { feature: 0, threshold: 100, missingGoesLeft, left: 1, right: 2 },
          { leaf: -1.25 },
          { leaf: 2 },
        ],
      },
    ],
  }
}

async function runColumns(bytes: Uint8Array, columns: Record<string, number[]>, rows: number) {
  const model = await OnnxModel.load(bytes)
  const feeds = Object.fromEntries(
    Object.entries(columns).map(([name, values]) => [name, Float32Array.from(values)]),
  )
  return model.run(feeds, rows)
}

describe('exportTreeEnsemble', () => {
  it('regression stump: left at and below the threshold, right above, NaN as told', async () => {
    const x = [99, 100, 100.01, Number.NaN]
    const left = await runColumns(exportTreeEnsemble(stump('regression', true)), { distance: x }, 4)
    expect(left.prediction).toEqual({ dims: [4, 1], values: [-0.75, -0.75, 2.5, -0.75] })
    const right = await runColumns(
      exportTreeEnsemble(stump('regression', false)),
      { distance: x },
      4,
    )
    expect(right.prediction?.values).toEqual([-0.75, -0.75, 2.5, 2.5])
  })

  it('binary stump: logistic probabilities of both classes and the label', async () => {
    const out = await runColumns(
      exportTreeEnsemble(stump('binary', false)),
      { distance: [1, 500, Number.NaN] },
      3,
    )
    expect(out.label).toEqual({ dims: [3], values: [0, 1, 1] })
    expect(out.probabilities?.dims).toEqual([3, 2])
    const p = out.probabilities?.values as number[]
    const expected = [-0.75, 2.5, 2.5].flatMap((z) => [1 - sigmoid(z), sigmoid(z)])
    p.forEach((v, i) => expect(v).toBeCloseTo(expected[i] ?? Number.NaN, 6))
  })

  it('binary label follows the probability even when every leaf is positive', async () => {
    // Raw score 0.3 + 0 = 0.3 > 0 → p1 = 0.574 → class 1 (onnxruntime's own label would say 0).
    const model: TreeEnsembleJson = {
      ...stump('binary', true),
      baseScore: [0],
      trees: [
        {
          classIndex: 0,
          nodes: [
            { feature: 0, threshold: 0, missingGoesLeft: true, left: 1, right: 2 },
            { leaf: 0.3 },
            { leaf: 0.7 },
          ],
        },
      ],
    }
    const out = await runColumns(exportTreeEnsemble(model), { distance: [-1] }, 1)
    expect(out.label?.values).toEqual([1])
    expect((out.probabilities?.values as number[])[1]).toBeCloseTo(sigmoid(0.3), 6)
  })

  it('3-class softmax ensemble over two named inputs', async () => {
    const split = (feature: number, threshold: number, a: number, b: number): TreeNode[] => [
      { feature, threshold, missingGoesLeft: true, left: 1, right: 2 },
      { leaf: a },
      { leaf: b },
    ]
    const model: TreeEnsembleJson = {
      task: 'multiclass',
      nClasses: 3,
      baseScore: [0.1, 0.2, 0.3],
      featureNames: ['a', 'b'],
      trees: [
        { classIndex: 0, nodes: split(0, 0, 1, -1) },
        { classIndex: 1, nodes: split(1, 0, -1, 1) },
        { classIndex: 2, nodes: split(0, 5, 0, 2) },
      ],
    }
    const out = await runColumns(exportTreeEnsemble(model), { a: [-1, 10], b: [-1, 10] }, 2)
    // Row 0: scores [1.1, -0.8, 0.3]; row 1: [-0.9, 1.2, 2.3].
    const softmax = (s: number[]) => {
      const e = s.map(Math.exp)
      const t = e.reduce((x, y) => x + y, 0)
      return e.map((v) => v / t)
    }
    const expected = [...softmax([1.1, -0.8, 0.3]), ...softmax([-0.9, 1.2, 2.3])]
    expect(out.label).toEqual({ dims: [2], values: [0, 2] })
    expect(out.probabilities?.dims).toEqual([2, 3])
    ;(out.probabilities?.values as number[]).forEach((v, i) =>
      expect(v).toBeCloseTo(expected[i] ?? Number.NaN, 6),
    )
  })

  it('a tree that is a single leaf adds its value to every row', async () => {
    const model: TreeEnsembleJson = {
      ...stump('regression', true),
      trees: [...stump('regression', true).trees, { classIndex: 0, nodes: [{ leaf: 0.25 }] }],
    }
    const out = await runColumns(exportTreeEnsemble(model), { distance: [1, 1000] }, 2)
    expect(out.prediction?.values).toEqual([-0.5, 2.75])
  })

  it('set split: codes in the set go left; other codes, unseen codes and NaN go right', async () => {
    // Root: colour in {2, 5, 9} → node 1, else node 4; node 1 splits distance <= 100.
    const model: TreeEnsembleJson = {
      task: 'regression',
      nClasses: 1,
      baseScore: [0],
      featureNames: ['distance', 'colour'],
      trees: [
        {
          classIndex: 0,
          nodes: [
            { feature: 1, categories: [2, 5, 9], left: 1, right: 4 },
            { feature: 0, threshold: 100, missingGoesLeft: true, left: 2, right: 3 },
            { leaf: 1 },
            { leaf: 2 },
            { leaf: 3 },
          ],
        },
      ],
    }
    const colour = [2, 5, 9, 0, 3, 10, 1000, Number.NaN, 9]
    const distance = [50, 50, 50, 50, 50, 50, 50, 50, 500]
    const out = await runColumns(exportTreeEnsemble(model), { distance, colour }, 9)
    expect(out.prediction?.values).toEqual([1, 1, 1, 3, 3, 3, 3, 3, 2])
    // JSON node i is ONNX node i; the set's further tests take ids 5 and 6, after the tree's nodes.
    const flat = flattenTreeEnsemble(model)
    expect(flat.nodeIds).toEqual([0, 1, 2, 3, 4, 5, 6])
    expect(flat.modes).toEqual([
      'BRANCH_EQ',
      'BRANCH_LEQ',
      'LEAF',
      'LEAF',
      'LEAF',
      'BRANCH_EQ',
      'BRANCH_EQ',
    ])
    expect(flat.values.filter((_, k) => flat.modes[k] === 'BRANCH_EQ')).toEqual([2, 5, 9])
    expect(flat.trueIds.filter((_, k) => flat.modes[k] === 'BRANCH_EQ')).toEqual([1, 1, 1])
    expect(flat.falseIds.filter((_, k) => flat.modes[k] === 'BRANCH_EQ')).toEqual([5, 6, 4])
    expect(colour.map((c, i) => evaluateTreeEnsemble(model, [distance[i]!, c]).value)).toEqual([
      1, 1, 1, 3, 3, 3, 3, 3, 2,
    ])
  })

  it('set splits over 100 codes (four rank blocks) agree with the evaluator on every input', async () => {
    // Codes 0…99 in sets that span blocks, one threshold split on the same feature, and inputs
    // that are codes, unseen codes, negative, fractional, -0 and NaN.
    const model: TreeEnsembleJson = {
      task: 'regression',
      nClasses: 1,
      baseScore: [0],
      featureNames: ['distance', 'airport'],
      trees: [
        [0, 31, 32, 64, 99],
        Array.from({ length: 32 }, (_, i) => 3 * i + 1),
        [5, 50, 95],
      ].map((categories, t) => ({
        classIndex: 0,
        nodes: [
          { feature: 1, categories, left: 1, right: 4 },
          { feature: 1, threshold: 40 + t, missingGoesLeft: t === 1, left: 2, right: 3 },
          { leaf: 1 + t },
          { leaf: 10 + 10 * t },
          { leaf: 100 + 100 * t },
        ],
      })),
    }
    const airport = [
      ...Array.from({ length: 100 }, (_, i) => i),
      100,
      1000,
      -1,
      0.5,
      31.5,
      -0,
      Number.NaN,
    ]
    const distance = airport.map(() => 1)
    const expected = airport.map((c) => evaluateTreeEnsemble(model, [1, c]).value)
    for (const setSplits of ['ranks', 'chains'] as const) {
      const out = await runColumns(
        exportTreeEnsemble(model, { setSplits }),
        { distance, airport },
        airport.length,
      )
      expect(out.prediction?.values).toEqual(expected)
    }
    // Ranked: equality tests on block columns 2, 3, … with block-local values 1…32, one run per
    // block, so that onnxruntime merges each run into one bit-mask test.
    const flat = flattenTreeEnsemble(model, planCategoryRanks(model))
    const tests = flat.modes.flatMap((m, k) =>
      m === 'BRANCH_EQ' ? [{ feature: flat.featureIds[k]!, value: flat.values[k]! }] : [],
    )
    expect(tests.length).toBe(5 + 32 + 3)
    expect(
      tests.every((t) => t.feature >= 2 && t.feature < 6 && t.value >= 1 && t.value <= 32),
    ).toBe(true)
    expect(flat.modes.filter((m) => m === 'BRANCH_LEQ').length).toBe(3)
  })

  it('refuses set splits without codes, with codes that are not float32, or repeated', () => {
    const withCategories = (categories: number[]): TreeEnsembleJson => {
      const model = stump('regression', true)
      model.trees[0]!.nodes[0] = { feature: 0, categories, left: 1, right: 2 }
      return model
    }
    expect(() => exportTreeEnsemble(withCategories([]))).toThrow(
      'trees[0].nodes[0].categories is empty',
    )
    expect(() => exportTreeEnsemble(withCategories([1, 0.1]))).toThrow(
      'trees[0].nodes[0].categories has 0.1, which is not a finite float32',
    )
    expect(() => exportTreeEnsemble(withCategories([1, Number.NaN]))).toThrow(
      'trees[0].nodes[0].categories has NaN, which is not a finite float32',
    )
    expect(() => exportTreeEnsemble(withCategories([4, 1, 4]))).toThrow(
      'trees[0].nodes[0].categories has 4 twice',
    )
  })

  it('refuses a split on a feature that is not declared', () => {
    const model = stump('regression', true)
    model.trees[0]!.nodes[0] = {
      feature: 3,
      threshold: 1,
      missingGoesLeft: true,
      left: 1,
      right: 2,
    }
    expect(() => exportTreeEnsemble(model)).toThrow('trees[0].nodes[0].feature 3 is not in [0, 1)')
  })

  it('refuses a base score of the wrong length', () => {
    expect(() => exportTreeEnsemble({ ...stump('regression', true), baseScore: [0, 1] })).toThrow(
      "baseScore must have 1 value(s) for task 'regression', got 2",
    )
  })

  it('writes producer, doc string and task metadata', async () => {
    const info = await inspectOnnx(exportTreeEnsemble(stump('binary', true)))
    expect(info.producer).toEqual({ name: 'ballast', version: '' })
    expect(info.metadata).toEqual({ task: 'binary' })
  })
})
