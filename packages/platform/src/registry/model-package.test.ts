import type { ModelSignature } from '@ballast/contracts'
import { describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { packageModel, readModelPackage, toSplitOrient } from './model-package.js'

const ONNX = Uint8Array.from([8, 8, 0x12, 0x07])
const SIGNATURE: ModelSignature = {
  inputs: [
    { name: 'distance', type: 'double', required: true },
    { name: 'origin', type: 'string', required: false },
    { name: 'when', type: 'datetime', required: true },
  ],
  outputs: [
    { name: 'prediction', type: 'tensor', tensorSpec: { dtype: 'float32', shape: [-1, 1] } },
  ],
}
const RUN = '0123456789abcdef0123456789abcdef'
const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes)

describe('packageModel', () => {
  const files = packageModel({
    onnx: ONNX,
    signature: SIGNATURE,
    inputExample: [
      { distance: 12.5, origin: 'SEA', when: '2001-01-01T00:00:00Z' },
      { distance: 3, when: '2001-01-02T00:00:00Z' },
    ],
    runId: RUN,
    task: 'regression',
    target: 'delay',
    algo: 'gbdt',
    metadata: { framework: 'ballast' },
    createdAt: new Date('2026-11-26T02:57:11.123Z'),
  })
  const byPath = new Map(files.map((f) => [f.path, f.bytes]))

  it('writes MLmodel, model.onnx and input_example.json', () => {
    expect(files.map((f) => f.path)).toEqual(['MLmodel', 'model.onnx', 'input_example.json'])
    expect(byPath.get('model.onnx')).toBe(ONNX)
  })

  it('writes MLmodel as MLflow does: onnx flavor, column and tensor specs as JSON strings', () => {
    const mlmodel = parseYaml(text(byPath.get('MLmodel'))) as Record<string, unknown>
    expect(mlmodel).toEqual({
      artifact_path: 'model',
      flavors: { onnx: { onnx_version: '1.12.0', data: 'model.onnx' } },
      model_uuid: expect.stringMatching(/^[0-9a-f]{32}$/),
      run_id: RUN,
      utc_time_created: '2026-11-26 02:57:11.123000',
      signature: {
        inputs:
          '[{"type":"double","name":"distance","required":true},' +
          '{"type":"string","name":"origin","required":false},' +
          '{"type":"datetime","name":"when","required":true}]',
        outputs:
          '[{"type":"tensor","tensor-spec":{"dtype":"float32","shape":[-1,1]},"name":"prediction"}]',
        params: null,
      },
      saved_input_example_info: {
        artifact_path: 'input_example.json',
        type: 'dataframe',
        pandas_orient: 'split',
      },
      ballast: {
        task: 'regression',
        target: 'delay',
        algo: 'gbdt',
        metadata: { framework: 'ballast' },
      },
    })
  })

  it("writes the input example in pandas' split orient, null where a record lacks a column", () => {
    expect(JSON.parse(text(byPath.get('input_example.json')))).toEqual({
      columns: ['distance', 'origin', 'when'],
      data: [
        [12.5, 'SEA', '2001-01-01T00:00:00Z'],
        [3, null, '2001-01-02T00:00:00Z'],
      ],
    })
  })

  it('reads back what it wrote', () => {
    const pkg = readModelPackage(files)
    expect(pkg).toMatchObject({
      artifactPath: 'model',
      runId: RUN,
      onnxFile: 'model.onnx',
      signature: SIGNATURE,
      inputExampleFile: 'input_example.json',
      inputExample: [
        { distance: 12.5, origin: 'SEA', when: '2001-01-01T00:00:00Z' },
        { distance: 3, origin: null, when: '2001-01-02T00:00:00Z' },
      ],
      task: 'regression',
      classes: null,
      target: 'delay',
      algo: 'gbdt',
      metadata: { framework: 'ballast' },
    })
  })

  it('keeps classes and leaves out the example when there is none', () => {
    const small = packageModel({
      onnx: ONNX,
      signature: SIGNATURE,
      runId: RUN,
      task: 'classification',
      classes: ['no', 'yes'],
    })
    expect(small.map((f) => f.path)).toEqual(['MLmodel', 'model.onnx'])
    expect(readModelPackage(small)).toMatchObject({
      classes: ['no', 'yes'],
      inputExampleFile: null,
      inputExample: null,
    })
  })
})

describe('readModelPackage', () => {
  const mlmodel = (yaml: string) => [{ path: 'MLmodel', bytes: new TextEncoder().encode(yaml) }]

  it("reads an MLmodel written by MLflow's sklearn flavor (no onnx file, no ballast section)", () => {
    const pkg = readModelPackage(
      mlmodel(
        [
          'artifact_path: model',
          'flavors:',
          '  python_function: {loader_module: mlflow.sklearn, python_version: 3.11.4}',
          '  sklearn: {pickled_model: model.pkl, sklearn_version: 1.3.0}',
          'run_id: abc',
          'signature:',
          '  inputs: \'[{"type": "long", "name": "x"}]\'',
          '  outputs: \'[{"type": "tensor", "tensor-spec": {"dtype": "int64", "shape": [-1]}}]\'',
        ].join('\n'),
      ),
    )
    expect(pkg.onnxFile).toBeNull()
    expect(pkg.signature).toEqual({
      inputs: [{ name: 'x', type: 'long', required: true }],
      outputs: [{ name: '0', type: 'tensor', tensorSpec: { dtype: 'int64', shape: [-1] } }],
    })
  })

  it('refuses a missing MLmodel, YAML without flavors and a signature of unknown types', () => {
    expect(() => readModelPackage([])).toThrow('the model package has no MLmodel file')
    expect(() => readModelPackage(mlmodel('artifact_path: model\n'))).toThrow(
      'MLmodel: invalid flavors',
    )
    expect(() =>
      readModelPackage(
        mlmodel(
          'flavors: {onnx: {data: model.onnx}}\nsignature:\n  inputs: \'[{"type": "int128"}]\'\n',
        ),
      ),
    ).toThrow('MLmodel: signature.inputs is not an MLflow signature')
  })
})

describe('toSplitOrient', () => {
  it('orders columns by first appearance', () => {
    expect(toSplitOrient([{ b: 1 }, { a: 2, b: 3 }])).toEqual({
      columns: ['b', 'a'],
      data: [
        [1, null],
        [3, 2],
      ],
    })
  })
})
