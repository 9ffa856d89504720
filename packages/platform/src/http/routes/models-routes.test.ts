import { createHash } from 'node:crypto'
import { GetModelVersionResponse, ModelCard } from '@ballast/contracts'
import { describe, expect, it } from 'vitest'
import { packageModel } from '../../registry/index.js'
import { OnnxGraphBuilder } from '../../training/index.js'
import { zipMapClassifier } from '../../training/onnx/test-support/zipmap-classifier.js'
import { readJson } from '../test-support/open-test-app.js'
import {
  type MlflowTestClient,
  TEST_NOW,
  useMlflowTestClient,
} from './test-support/mlflow-test-client.js'
import { sendJson } from './test-support/registry-test-helpers.js'

let t: MlflowTestClient
useMlflowTestClient((client) => (t = client))

/** y = x: the smallest model onnxruntime loads. */
function identityModel(): Uint8Array {
  return new OnnxGraphBuilder()
    .input('x', 'float', ['N', 1])
    .node({ opType: 'Identity', inputs: ['x'], outputs: ['y'] })
    .output('y', 'float', ['N', 1])
    .build({ metadata: { task: 'regression' } })
}

const DIGEST = 'a'.repeat(36)

/** A run with a model package under `model/`, a training dataset, metrics and a git commit. */
async function runWithPackage(options: { signature?: boolean } = {}): Promise<string> {
  const { experimentId, runId } = await t.createRun()
  const files = packageModel({
    onnx: identityModel(),
    signature: {
      inputs: [{ name: 'x', type: 'double', required: true }],
      outputs: [{ name: 'y', type: 'tensor', tensorSpec: { dtype: 'float32', shape: [-1, 1] } }],
    },
    inputExample: [{ x: 1.5 }],
    runId,
    task: 'regression',
    target: 'delay',
    algo: 'gbdt',
  })
  for (const file of files) {
    let bytes = file.bytes
    if (options.signature === false && file.path === 'MLmodel') {
      const yaml = new TextDecoder().decode(bytes).replace(/signature:\n( {2}.*\n)+/, '')
      bytes = new TextEncoder().encode(yaml)
    }
    await t.services.tracking.artifacts.upload(
      `${experimentId}/${runId}/artifacts/model/${file.path}`,
      bytes,
    )
  }
  await t.post('runs/log-inputs', {
    run_id: runId,
    datasets: [
      {
        tags: [{ key: 'mlflow.data.context', value: 'training' }],
        dataset: {
          name: 'flights',
          digest: DIGEST,
          source_type: 'ballast',
          source: 'ballast:flights@2',
        },
      },
    ],
  })
  await t.post('runs/log-batch', {
    run_id: runId,
    metrics: [
      { key: 'test_rmse', value: 0.5, timestamp: 1, step: 0 },
      { key: 'cv_rmse', value: 0.6, timestamp: 1, step: 0 },
      { key: 'train_loss', value: 0.1, timestamp: 1, step: 0 },
    ],
    params: [{ key: 'split', value: 'time' }],
    tags: [{ key: 'mlflow.source.git.commit', value: 'deadbeef' }],
  })
  return runId
}

async function register(name: string, runId: string) {
  await t.post('registered-models/create', { name })
  return t.post('model-versions/create', { name, source: `runs:/${runId}/model` })
}

async function getVersion(path: string) {
  const res = await t.request(`/api/v1/models/${path}`)
  return { status: res.status, body: await readJson(res) }
}

const upload = (name: string, body: Uint8Array, query = '') =>
  t.request(`/api/v1/models/${name}/import${query}`, { method: 'POST', body })

describe('model version details', () => {
  it('stores the package of a version made from a run (MLflow route) and serves it', async () => {
    const runId = await runWithPackage()
    expect((await register('delay', runId)).status).toBe(200)
    const { status, body } = await getVersion('delay/versions/1')
    expect(status).toBe(200)
    expect(GetModelVersionResponse.parse(body)).toEqual(body)
    const onnx = identityModel()
    expect(body.details).toEqual({
      flavor: 'onnx',
      signature: {
        inputs: [{ name: 'x', type: 'double', required: true }],
        outputs: [{ name: 'y', type: 'tensor', tensorSpec: { dtype: 'float32', shape: [-1, 1] } }],
      },
      input_example: [{ x: 1.5 }],
      onnx_path: 'model/model.onnx',
      onnx_sha256: createHash('sha256').update(onnx).digest('hex'),
      onnx_size: onnx.length,
      task: 'regression',
      classes: null,
      target: 'delay',
      algo: 'gbdt',
    })
    expect(body.lineage).toMatchObject({
      run_id: runId,
      datasets: [
        {
          name: 'flights',
          version: 2,
          digest: DIGEST,
          source: 'ballast:flights@2',
          context: 'training',
        },
      ],
      metrics: { test_rmse: 0.5, cv_rmse: 0.6, train_loss: 0.1 },
      git_commit: 'deadbeef',
    })
    const rows = await t.services.store.db
      .selectFrom('model_version_datasets')
      .selectAll()
      .execute()
    expect(rows.map((r) => ({ ...r, version: Number(r.version) }))).toEqual([
      {
        name: 'delay',
        version: 1,
        position: 0,
        dataset_name: 'flights',
        dataset_version: 2,
        digest: DIGEST,
        context: 'training',
      },
    ])
  })

  it('reads the signature from the ONNX graph when MLmodel has none', async () => {
    const runId = await runWithPackage({ signature: false })
    await register('delay', runId)
    const { body } = await getVersion('delay/versions/latest')
    expect(body.details.signature).toEqual({
      inputs: [{ name: 'x', type: 'tensor', tensorSpec: { dtype: 'float32', shape: [-1, 1] } }],
      outputs: [{ name: 'y', type: 'tensor', tensorSpec: { dtype: 'float32', shape: [-1, 1] } }],
    })
  })

  it('registers a run without a package with empty details', async () => {
    const { runId } = await t.createRun()
    expect((await register('bare', runId)).status).toBe(200)
    const { body } = await getVersion('bare/versions/1')
    expect(Object.values(body.details).every((v) => v === null)).toBe(true)
    const onnx = await getVersion('bare/versions/1/onnx')
    expect(onnx.status).toBe(400)
    expect(onnx.body.message).toContain('has no ONNX file')
  })

  it('registers a version whose MLmodel it cannot read (newer MLflow types) without details', async () => {
    const { experimentId, runId } = await t.createRun()
    const mlmodel =
      'flavors: {python_function: {loader_module: mlflow.pyfunc.model}}\n' +
      'signature:\n  inputs: \'[{"type": "array", "items": {"type": "string"}, "name": "x"}]\'\n'
    await t.services.tracking.artifacts.upload(
      `${experimentId}/${runId}/artifacts/model/MLmodel`,
      new TextEncoder().encode(mlmodel),
    )
    expect((await register('newer', runId)).status).toBe(200)
    expect((await getVersion('newer/versions/1')).body.details.signature).toBeNull()
  })

  it('keeps details with a renamed model and drops them with a deleted version or model', async () => {
    const runId = await runWithPackage()
    await register('a', runId)
    await t.post('model-versions/create', { name: 'a', source: `runs:/${runId}/model` })
    const count = async (table: 'model_version_details' | 'model_version_datasets') =>
      (await t.services.store.db.selectFrom(table).select(['name', 'version']).execute()).map(
        (r) => `${r.name}/${Number(r.version)}`,
      )
    await t.post('registered-models/rename', { name: 'a', new_name: 'b' })
    expect(await count('model_version_details')).toEqual(['b/1', 'b/2'])
    expect(await count('model_version_datasets')).toEqual(['b/1', 'b/2'])
    expect((await getVersion('b/versions/2')).body.details.task).toBe('regression')
    await sendJson(t, 'DELETE', 'model-versions/delete', { name: 'b', version: '1' })
    expect(await count('model_version_details')).toEqual(['b/2'])
    expect(await count('model_version_datasets')).toEqual(['b/2'])
    await sendJson(t, 'DELETE', 'registered-models/delete', { name: 'b' })
    expect(await count('model_version_details')).toEqual([])
    expect(await count('model_version_datasets')).toEqual([])
  })

  it('resolves @alias and latest, and answers 404 for a missing alias', async () => {
    const runId = await runWithPackage()
    await register('m', runId)
    await t.post('model-versions/create', { name: 'm', source: `runs:/${runId}/model` })
    await t.post('registered-models/alias', { name: 'm', alias: 'champion', version: '1' })
    expect((await getVersion('m/versions/@champion')).body.version).toMatchObject({
      version: 1,
      aliases: ['champion'],
    })
    expect((await getVersion('m/versions/latest')).body.version.version).toBe(2)
    expect(await getVersion('m/versions/@nope')).toEqual({
      status: 404,
      body: {
        error_code: 'RESOURCE_DOES_NOT_EXIST',
        message: 'Model Version (name=m, version=@nope) not found',
      },
    })
    expect((await getVersion('m/versions/two')).status).toBe(400)
  })
})

describe('POST /api/v1/models/:name/import', () => {
  it('imports an ONNX file: new run import-<name>, package logged, version 201', async () => {
    const onnx = identityModel()
    const res = await upload('imported', onnx, '?experiment=imports&description=from%20python')
    expect(res.status).toBe(201)
    const body = GetModelVersionResponse.parse(await readJson(res))
    expect(body.version).toMatchObject({
      name: 'imported',
      version: 1,
      description: 'from python',
      source: `runs:/${body.lineage.run_id}/model`,
    })
    expect(body.details).toMatchObject({
      flavor: 'onnx',
      task: 'regression',
      onnx_path: 'model/model.onnx',
      onnx_sha256: createHash('sha256').update(onnx).digest('hex'),
      signature: {
        inputs: [{ name: 'x', type: 'tensor', tensorSpec: { dtype: 'float32', shape: [-1, 1] } }],
        outputs: [{ name: 'y', type: 'tensor', tensorSpec: { dtype: 'float32', shape: [-1, 1] } }],
      },
    })
    expect(body.lineage.run_name).toBe('import-imported')
    const experiment = await t.get('experiments/get-by-name', { experiment_name: 'imports' })
    expect(body.lineage.experiment_id).toBe(experiment.body.experiment.experiment_id)
    const run = await t.get('runs/get', { run_id: body.lineage.run_id })
    expect(run.body.run.info.status).toBe('FINISHED')

    const download = await t.request('/api/v1/models/imported/versions/1/onnx')
    expect(download.status).toBe(200)
    expect(download.headers.get('content-type')).toBe('application/octet-stream')
    expect(download.headers.get('content-disposition')).toBe(
      'attachment; filename="imported-v1.onnx"',
    )
    expect(Buffer.from(await download.arrayBuffer()).equals(Buffer.from(onnx))).toBe(true)

    // A second import is the next version of the same model, in the default experiment.
    const again = await readJson(await upload('imported', onnx))
    expect(again.version.version).toBe(2)
    expect(again.lineage.experiment_id).toBe('0')
  })

  it('rewrites a ZipMap classifier: the signature shows the probability tensor', async () => {
    const res = await upload('zip', zipMapClassifier())
    expect(res.status).toBe(201)
    const body = await readJson(res)
    expect(body.details).toMatchObject({
      task: 'classification',
      classes: [0, 1],
      signature: {
        inputs: [
          { name: 'float_input', type: 'tensor', tensorSpec: { dtype: 'float32', shape: [-1, 2] } },
        ],
        outputs: [
          { name: 'output_label', type: 'tensor', tensorSpec: { dtype: 'int64', shape: [-1] } },
          {
            name: 'output_probability',
            type: 'tensor',
            tensorSpec: { dtype: 'float32', shape: [-1, 2] },
          },
        ],
      },
    })
  })

  it('refuses a pickle and garbage with 400 and the reason, registering nothing', async () => {
    const pickle = await upload('bad', Uint8Array.from([0x80, 0x04, 0x95, 0x10, 0, 0]))
    expect(pickle.status).toBe(400)
    expect(await readJson(pickle)).toEqual({
      error_code: 'INVALID_PARAMETER_VALUE',
      message:
        'not a usable ONNX model: this is a Python pickle file; pickle files are never loaded, ' +
        'export the model to ONNX',
    })
    const garbage = await upload('bad', new TextEncoder().encode('hello, not a model'))
    expect(garbage.status).toBe(400)
    expect((await readJson(garbage)).message).toMatch(/^not a usable ONNX model: /)
    expect((await t.get('registered-models/get', { name: 'bad' })).status).toBe(404)
  })
})

describe('GET …/card', () => {
  it('answers the card as JSON and as Markdown', async () => {
    const runId = await runWithPackage()
    await register('delay', runId)
    await t.post('registered-models/set-tag', {
      name: 'delay',
      key: 'intended_use',
      value: 'Scheduling buffers at hub airports.',
    })
    const res = await t.request('/api/v1/models/delay/versions/1/card')
    expect(res.status).toBe(200)
    const card = ModelCard.parse(await readJson(res))
    expect(card.model_details).toEqual({
      name: 'delay',
      version: 1,
      aliases: [],
      task: 'regression',
      algo: 'gbdt',
      created_at: TEST_NOW,
      created_by: 'anonymous',
      run_id: runId,
      git_commit: 'deadbeef',
      description: '',
    })
    expect(card.intended_use).toEqual({
      text: 'Scheduling buffers at hub airports.',
      provided: true,
    })
    expect(card.metrics).toEqual({ cv_rmse: 0.6, test_rmse: 0.5 })
    expect(card.training_data).toEqual([
      { name: 'flights', version: 2, digest: DIGEST, rows: null },
    ])
    expect(card.caveats).toContain('Evaluated on a time split (time): later data was held out.')

    const md = await t.request('/api/v1/models/delay/versions/1/card?format=markdown')
    expect(md.headers.get('content-type')).toBe('text/markdown; charset=utf-8')
    const text = await md.text()
    expect(text).toContain('# Model card: delay version 1\n')
    expect(text).toContain('| x | double |')
    expect(text).toContain('| test_rmse | 0.5 |')
  })
})

describe('datasets and the models made from them', () => {
  it('GET /api/v1/datasets/:name lists model versions per dataset version; the card counts rows', async () => {
    async function* csv() {
      yield new TextEncoder().encode('x,y\n1,2\n3,4\n5,6\n')
    }
    const { version } = await t.services.data.ingest({
      name: 'tiny',
      input: csv(),
      sourceName: 'tiny.csv',
      actor: { kind: 'anonymous', name: 'anonymous', role: 'admin' },
    })
    const { runId } = await t.createRun()
    await t.post('runs/log-inputs', {
      run_id: runId,
      datasets: [
        {
          tags: [{ key: 'mlflow.data.context', value: 'evaluation' }],
          dataset: {
            name: 'tiny',
            digest: version.digest.slice(0, 36),
            source_type: 'ballast',
            source: 'ballast:tiny@1',
          },
        },
      ],
    })
    await register('m', runId)
    const res = await t.request('/api/v1/datasets/tiny')
    expect(res.status).toBe(200)
    expect((await readJson(res)).versions[0].models).toEqual([{ name: 'm', version: 1 }])
    const card = await readJson(await t.request('/api/v1/models/m/versions/1/card'))
    expect(card.evaluation_data).toEqual([
      { name: 'tiny', version: 1, digest: version.digest.slice(0, 36), rows: 3 },
    ])
    expect(card.intended_use.provided).toBe(false)
  })
})
