import { describe, expect, it, vi } from 'vitest'
import { gbdtToTreeEnsemble } from '../gbdt-onnx.js'
import { type GbdtObjective, trainGbdt } from '../gbdt/index.js'
import { seededRandom } from '../random.js'
import { OnnxGraphBuilder } from './onnx-builder.js'
import type * as OnnxBuilderModule from './onnx-builder.js'
import { exportLinearClassifier, exportLinearRegressor } from './linear-export.js'
import { addColumnInputs } from './preprocessing-export.js'
import { zipMapClassifier } from './test-support/zipmap-classifier.js'
import { exportTreeEnsemble } from './tree-ensemble-export.js'

// Every exporter builds through OnnxGraphBuilder; with `reference` set it gets the builder as first
// released (protobufjs message objects) instead, so one export can be written both ways.
const mode = vi.hoisted(() => ({ reference: false }))
vi.mock('./onnx-builder.js', async (importOriginal) => {
  const actual = await importOriginal<typeof OnnxBuilderModule>()
  const { ProtobufjsGraphBuilder } = await import('./test-support/protobufjs-graph-builder.js')
  function SwitchingBuilder() {
    return mode.reference ? new ProtobufjsGraphBuilder() : new actual.OnnxGraphBuilder()
  }
  return { ...actual, OnnxGraphBuilder: SwitchingBuilder }
})

function bothWays(build: () => Uint8Array): { direct: Uint8Array; reference: Uint8Array } {
  mode.reference = false
  const direct = build()
  mode.reference = true
  try {
    return { direct, reference: build() }
  } finally {
    mode.reference = false
  }
}

function categoricalGbdt(objective: GbdtObjective) {
  const rng = seededRandom(7)
  const n = 3000
  const colour = Float64Array.from({ length: n }, () => Math.floor(rng() * 40))
  const x = Float64Array.from({ length: n }, () => (rng() < 0.05 ? NaN : rng() * 10))
  const label = Float64Array.from({ length: n }, (_, i) => {
    const score = (colour[i]! % 3 === 0 ? 2 : 0) + (x[i]! > 5 ? 1 : 0) + rng()
    if (objective === 'regression') return score
    if (objective === 'binary') return score > 2 ? 1 : 0
    return Math.min(2, Math.floor(score))
  })
  const model = trainGbdt(
    { features: [x, colour], label, categorical: [false, true] },
    { objective, numTrees: 15, maxLeaves: 16 },
  )
  return gbdtToTreeEnsemble(model.toJSON(), ['x', 'colour'])
}

describe('OnnxGraphBuilder writes the same bytes as the released protobufjs encoder', () => {
  for (const objective of ['regression', 'binary', 'multiclass'] as const) {
    it(`for a ${objective} GBDT with categorical set splits`, () => {
      const ensemble = categoricalGbdt(objective)
      const { direct, reference } = bothWays(() =>
        exportTreeEnsemble(ensemble, { metadata: { owner: 'fraud-team', note: 'é ✈ 🛫' } }),
      )
      expect(direct.length).toBeGreaterThan(1000)
      expect(Buffer.compare(direct, reference)).toBe(0)
    })
  }

  it('for linear models with a scaler and string classes', () => {
    for (const build of [
      () =>
        exportLinearRegressor({
          coefficients: [[0.5, -2.25e-9]],
          intercepts: [-1e30],
          featureNames: ['a', 'b'],
          scaler: { mean: [1, 2], scale: [0, 3] },
        }),
      () =>
        exportLinearClassifier({
          coefficients: [
            [1, 2],
            [3, 4],
            [5, 6],
          ],
          intercepts: [0, 0.1, -0.1],
          classes: ['low', 'médium', 'hôch'],
          featureNames: ['a', 'b'],
        }),
    ]) {
      const { direct, reference } = bothWays(build)
      expect(Buffer.compare(direct, reference)).toBe(0)
    }
  })

  it('for preprocessing graphs (string tensors, int64 initializers) and a ZipMap output', () => {
    const preprocessing = () => {
      const builder = new OnnxGraphBuilder()
      const matrix = addColumnInputs(builder, [
        { kind: 'numeric', name: 'distance', fill: 12.5, scale: { mean: 3, scale: 2 } },
        { kind: 'onehot', name: 'origin', categories: ['SEA', 'SFO', 'Zürich'] },
        { kind: 'ordinal', name: 'carrier', categories: ['AA', 'UA'], unknownValue: NaN },
        { kind: 'datetime', name: 'departed', parts: ['year', 'hour', 'dayofweek'] },
      ])
      builder.output(matrix, 'float', ['N', 8])
      return builder.build({ docString: 'preprocessing', graphName: 'prep' })
    }
    for (const build of [preprocessing, zipMapClassifier]) {
      const { direct, reference } = bothWays(build)
      expect(Buffer.compare(direct, reference)).toBe(0)
    }
  })
})
