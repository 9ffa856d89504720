import { describe, expect, it } from 'vitest'
import { type MlflowTestClient, useMlflowTestClient } from './test-support/mlflow-test-client.js'

let t: MlflowTestClient
useMlflowTestClient((client) => (t = client))

async function getRun(runId: string) {
  const res = await t.get('runs/get', { run_id: runId })
  expect(res.status).toBe(200)
  return res.body.run
}

describe('params and tags', () => {
  it('makes params write-once: the same value again is fine, another is refused', async () => {
    const { runId } = await t.createRun()
    expect(await t.post('runs/log-parameter', { run_id: runId, key: 'lr', value: '0.1' })).toEqual({
      status: 200,
      body: {},
    })
    expect(
      (await t.post('runs/log-parameter', { run_id: runId, key: 'lr', value: '0.1' })).status,
    ).toBe(200)
    expect(await t.post('runs/log-parameter', { run_id: runId, key: 'lr', value: '0.2' })).toEqual({
      status: 400,
      body: {
        error_code: 'INVALID_PARAMETER_VALUE',
        message:
          `Changing param values is not allowed. Param with key='lr' was already logged with ` +
          `value='0.1' for run ID='${runId}'. Attempted logging new value '0.2'.`,
      },
    })
    expect((await getRun(runId)).data.params).toEqual([{ key: 'lr', value: '0.1' }])
  })

  it('refuses a param value over 6000 and a tag value over 8000 characters', async () => {
    const { runId } = await t.createRun()
    const param = await t.post('runs/log-parameter', {
      run_id: runId,
      key: 'p',
      value: 'x'.repeat(6001),
    })
    expect(param.body.message).toBe(
      "'value' exceeds the maximum length of 6000 characters (got 6001)",
    )
    expect(
      (await t.post('runs/set-tag', { run_id: runId, key: 't', value: 'x'.repeat(8000) })).status,
    ).toBe(200)
    const tag = await t.post('runs/set-tag', { run_id: runId, key: 't', value: 'x'.repeat(8001) })
    expect(tag.body.message).toBe(
      "'value' exceeds the maximum length of 8000 characters (got 8001)",
    )
  })

  it('refuses invalid key names, naming the key and the field', async () => {
    const { runId } = await t.createRun()
    const cases: [string, string][] = [
      ['a/../b', "would resolve to 'b'"],
      ['/abs', "would resolve to '/abs'"],
      ['..', "would resolve to '..'"],
      ['a//b', "would resolve to 'a/b'"],
      ['bad*char', 'Names may only contain alphanumerics'],
      ['k'.repeat(251), 'exceeds the maximum length of 250 characters'],
    ]
    for (const [key, reason] of cases) {
      const res = await t.post('runs/log-parameter', { run_id: runId, key, value: '1' })
      expect(res.status).toBe(400)
      expect(res.body.error_code).toBe('INVALID_PARAMETER_VALUE')
      expect(res.body.message).toContain(reason)
    }
    const batch = await t.post('runs/log-batch', {
      run_id: runId,
      metrics: [
        { key: 'ok', value: 1, timestamp: 1 },
        { key: 'x/./y', value: 1, timestamp: 1 },
      ],
    })
    expect(batch.body.message).toContain(
      `Invalid value "x/./y" for parameter 'metrics[1].key' supplied`,
    )
    for (const key of ['train/loss', 'val acc', 'épreuve.1', 'a:b', '-x_y.z']) {
      expect((await t.post('runs/set-tag', { run_id: runId, key, value: 'v' })).status).toBe(200)
    }
  })

  it('sets tags last-write-wins and deletes them; deleting a missing tag is a 404', async () => {
    const { runId } = await t.createRun()
    await t.post('runs/set-tag', { run_id: runId, key: 'k', value: 'a' })
    await t.post('runs/set-tag', { run_id: runId, key: 'k', value: 'b' })
    expect((await getRun(runId)).data.tags).toContainEqual({ key: 'k', value: 'b' })
    expect(await t.post('runs/delete-tag', { run_id: runId, key: 'k' })).toEqual({
      status: 200,
      body: {},
    })
    expect((await getRun(runId)).data.tags).not.toContainEqual({ key: 'k', value: 'b' })
    expect(await t.post('runs/delete-tag', { run_id: runId, key: 'k' })).toEqual({
      status: 404,
      body: {
        error_code: 'RESOURCE_DOES_NOT_EXIST',
        message: `No tag with name: k in run with id ${runId}`,
      },
    })
  })
})

describe('metrics', () => {
  it('keeps the latest point by step, then timestamp: a lower step logged later does not win', async () => {
    const { runId } = await t.createRun()
    await t.post('runs/log-metric', {
      run_id: runId,
      key: 'loss',
      value: 0.5,
      timestamp: 10,
      step: 5,
    })
    await t.post('runs/log-metric', {
      run_id: runId,
      key: 'loss',
      value: 0.9,
      timestamp: 20,
      step: 1,
    })
    await t.post('runs/log-metric', { run_id: runId, key: 'acc', value: 0.1, timestamp: '30' })
    expect((await getRun(runId)).data.metrics).toEqual([
      { key: 'acc', value: 0.1, timestamp: 30, step: 0 },
      { key: 'loss', value: 0.5, timestamp: 10, step: 5 },
    ])
    await t.post('runs/log-metric', {
      run_id: runId,
      key: 'loss',
      value: 0.4,
      timestamp: 40,
      step: 5,
    })
    expect((await getRun(runId)).data.metrics).toContainEqual({
      key: 'loss',
      value: 0.4,
      timestamp: 40,
      step: 5,
    })
  })

  it('stores NaN and infinities as MLflow does', async () => {
    const { runId } = await t.createRun()
    await t.post('runs/log-batch', {
      run_id: runId,
      metrics: [
        { key: 'nan', value: 'NaN', timestamp: 1, step: 0 },
        { key: 'inf', value: 'Infinity', timestamp: 1, step: 0 },
        { key: 'ninf', value: '-Infinity', timestamp: 1, step: 0 },
      ],
    })
    const res = await t.request(`/api/2.0/mlflow/runs/get?run_id=${runId}`)
    const text = await res.text()
    expect(text).toContain('{"key":"nan","value":"NaN","timestamp":1,"step":0}')
    expect(JSON.parse(text).run.data.metrics).toEqual([
      { key: 'inf', value: 1.7976931348623157e308, timestamp: 1, step: 0 },
      { key: 'nan', value: 'NaN', timestamp: 1, step: 0 },
      { key: 'ninf', value: -1.7976931348623157e308, timestamp: 1, step: 0 },
    ])
  })

  it('refuses a metric value that is not a number and a negative timestamp', async () => {
    const { runId } = await t.createRun()
    const text = await t.post('runs/log-metric', {
      run_id: runId,
      key: 'm',
      value: 'high',
      timestamp: 1,
    })
    expect(text.status).toBe(400)
    expect(text.body.message).toContain("'value'")
    const missing = await t.post('runs/log-metric', { run_id: runId, key: 'm', timestamp: 1 })
    expect(missing.body.message).toBe("Missing value for required parameter 'value'.")
    const negative = await t.post('runs/log-metric', {
      run_id: runId,
      key: 'm',
      value: 1,
      timestamp: -1,
    })
    expect(negative.body.message).toContain("Invalid value -1 for parameter 'timestamp' supplied")
    const fraction = await t.post('runs/log-metric', {
      run_id: runId,
      key: 'm',
      value: 1,
      timestamp: 1,
      step: 1.5,
    })
    expect(fraction.body.message).toContain("'step'")
  })
})

describe('runs/log-batch', () => {
  it('writes params, metrics and tags together', async () => {
    const { runId } = await t.createRun()
    const res = await t.post('runs/log-batch', {
      run_id: runId,
      metrics: [
        { key: 'loss', value: 1.5, timestamp: 100, step: 0 },
        { key: 'loss', value: 1.0, timestamp: 200, step: 1 },
      ],
      params: [{ key: 'depth', value: '3' }],
      tags: [{ key: 'phase', value: 'train' }],
    })
    expect(res).toEqual({ status: 200, body: {} })
    const run = await getRun(runId)
    expect(run.data).toEqual({
      metrics: [{ key: 'loss', value: 1, timestamp: 200, step: 1 }],
      params: [{ key: 'depth', value: '3' }],
      tags: [
        { key: 'mlflow.runName', value: run.info.run_name },
        { key: 'phase', value: 'train' },
      ],
    })
  })

  it('stores a retried batch once', async () => {
    const { runId } = await t.createRun()
    const batch = {
      run_id: runId,
      metrics: Array.from({ length: 10 }, (_, i) => ({
        key: 'm',
        value: i / 10,
        timestamp: 100 + i,
        step: i,
      })),
    }
    await t.post('runs/log-batch', batch)
    await t.post('runs/log-batch', batch)
    const history = await t.get('metrics/get-history', { run_id: runId, metric_key: 'm' })
    expect(history.body.metrics).toHaveLength(10)
    expect(history.body.metrics[9]).toEqual({ key: 'm', value: 0.9, timestamp: 109, step: 9 })
  })

  it('writes nothing when the batch is over a limit', async () => {
    const { runId } = await t.createRun()
    const metrics = Array.from({ length: 1001 }, (_, i) => ({ key: 'm', value: i, timestamp: i }))
    const res = await t.post('runs/log-batch', { run_id: runId, metrics })
    expect(res).toEqual({
      status: 400,
      body: {
        error_code: 'INVALID_PARAMETER_VALUE',
        message:
          'A batch logging request can contain at most 1000 metrics. Got 1001 metrics. ' +
          'Please split up metrics across multiple requests and try again.',
      },
    })
    const params = Array.from({ length: 101 }, (_, i) => ({ key: `p${i}`, value: '1' }))
    expect((await t.post('runs/log-batch', { run_id: runId, params })).body.message).toContain(
      'at most 100 params. Got 101 params.',
    )
    const total = await t.post('runs/log-batch', {
      run_id: runId,
      metrics: metrics.slice(0, 950),
      params: params.slice(0, 60),
    })
    expect(total.body.message).toContain('at most 1000 metrics, params, and tags. Got 1010')
    expect(await t.get('metrics/get-history', { run_id: runId, metric_key: 'm' })).toEqual({
      status: 200,
      body: {},
    })
    expect((await getRun(runId)).data.params).toBeUndefined()
  })

  it('writes nothing when any entry is invalid or a param would change', async () => {
    const { runId } = await t.createRun()
    await t.post('runs/log-parameter', { run_id: runId, key: 'fixed', value: 'a' })
    const invalid = await t.post('runs/log-batch', {
      run_id: runId,
      metrics: [{ key: 'm', value: 1, timestamp: 1 }],
      tags: [{ key: 'bad key?', value: 'v' }],
    })
    expect(invalid.body.message).toContain("parameter 'tags[0].key'")
    const changed = await t.post('runs/log-batch', {
      run_id: runId,
      metrics: [{ key: 'm', value: 1, timestamp: 1 }],
      params: [
        { key: 'new', value: '1' },
        { key: 'fixed', value: 'b' },
      ],
      tags: [{ key: 't', value: 'v' }],
    })
    expect(changed.status).toBe(400)
    expect(changed.body.message).toContain(
      "Param with key='fixed' was already logged with value='a'",
    )
    const run = await getRun(runId)
    expect(run.data.metrics).toBeUndefined()
    expect(run.data.params).toEqual([{ key: 'fixed', value: 'a' }])
    expect(run.data.tags).toEqual([{ key: 'mlflow.runName', value: run.info.run_name }])
  })

  it('refuses duplicate param keys in one batch', async () => {
    const { runId } = await t.createRun()
    const res = await t.post('runs/log-batch', {
      run_id: runId,
      params: [
        { key: 'a', value: '1' },
        { key: 'a', value: '2' },
      ],
    })
    expect(res.body.message).toBe(
      "Duplicate parameter keys have been submitted: 'a'. Please ensure the request contains only one param value per param key.",
    )
  })

  it('words refusals of malformed bodies as the request schema does', async () => {
    const { runId } = await t.createRun()
    const R = runId
    const cases: Array<[unknown, string]> = [
      [{ metrics: [] }, "Missing value for required parameter 'run_id'."],
      [
        { run_id: R, metrics: [{ key: 'm', value: 'high', timestamp: 1 }] },
        "Invalid value for parameter 'metrics.0.value': Invalid input: expected number, received string",
      ],
      [
        {
          run_id: R,
          metrics: [
            { key: 'm', value: 1, timestamp: 1 },
            { key: 'm', value: 1, timestamp: 1.5, step: '2x' },
          ],
        },
        "Invalid value for parameter 'metrics.1.timestamp': Invalid input: expected integer, received number " +
          "Invalid value for parameter 'metrics.1.step': Invalid input: expected integer, received string",
      ],
      [
        { run_id: R, metrics: [{ value: 1, timestamp: 1 }] },
        "Missing value for required parameter 'metrics.0.key'.",
      ],
      [
        { run_id: R, metrics: [{ key: 'm', value: null, timestamp: 1 }] },
        "Missing value for required parameter 'metrics.0.value'.",
      ],
      [
        { run_id: R, params: [{ key: 'p', value: 1 }], tags: 'x' },
        "Invalid value for parameter 'params.0.value': Invalid input: expected string, received number " +
          "Invalid value for parameter 'tags': Invalid input: expected array, received string",
      ],
      [
        { run_id: R, metrics: { key: 'm' } },
        "Invalid value for parameter 'metrics': Invalid input: expected array, received object",
      ],
    ]
    for (const [body, message] of cases) {
      expect(await t.post('runs/log-batch', body)).toEqual({
        status: 400,
        body: { error_code: 'INVALID_PARAMETER_VALUE', message },
      })
    }
    expect(await t.get('metrics/get-history', { run_id: runId, metric_key: 'm' })).toEqual({
      status: 200,
      body: {},
    })
  })

  it('stores what the schema reads from spellings only it accepts', async () => {
    const { runId } = await t.createRun()
    const res = await t.post('runs/log-batch', {
      run_uuid: runId,
      metrics: [{ key: 'm', value: '2.5', timestamp: '7', step: '3' }],
    })
    expect(res).toEqual({ status: 200, body: {} })
    expect((await t.get('metrics/get-history', { run_id: runId, metric_key: 'm' })).body).toEqual({
      metrics: [{ key: 'm', value: 2.5, timestamp: 7, step: 3 }],
    })
  })

  it('answers 404 for a missing run even with an empty batch', async () => {
    const res = await t.post('runs/log-batch', { run_id: 'a'.repeat(32) })
    expect(res.status).toBe(404)
  })
})

describe('runs/log-inputs', () => {
  it('links datasets with their tags, storing each dataset once per experiment', async () => {
    const { runId } = await t.createRun()
    const dataset = {
      name: 'iris',
      digest: 'abc123',
      source_type: 'local',
      source: '{"uri": "/data/iris.csv"}',
    }
    const body = {
      run_id: runId,
      datasets: [
        {
          tags: [{ key: 'mlflow.data.context', value: 'train' }],
          dataset: { ...dataset, schema: '{}' },
        },
      ],
    }
    expect(await t.post('runs/log-inputs', body)).toEqual({ status: 200, body: {} })
    expect(await t.post('runs/log-inputs', body)).toEqual({ status: 200, body: {} })
    const second = await t.post('runs/create', { experiment_id: '1' })
    await t.post('runs/log-inputs', { ...body, run_id: second.body.run.info.run_id })
    expect((await getRun(runId)).inputs).toEqual({
      dataset_inputs: [
        {
          tags: [{ key: 'mlflow.data.context', value: 'train' }],
          dataset: { ...dataset, schema: '{}' },
        },
      ],
    })
    const rows = await t.services.store.db.selectFrom('datasets').selectAll().execute()
    expect(rows).toHaveLength(1)
  })

  it('refuses a digest longer than 36 characters', async () => {
    const { runId } = await t.createRun()
    const res = await t.post('runs/log-inputs', {
      run_id: runId,
      datasets: [{ dataset: { name: 'd', digest: 'x'.repeat(37), source_type: 's', source: 's' } }],
    })
    expect(res.body.message).toBe(
      "'datasets[0].dataset.digest' exceeds the maximum length of 36 characters (got 37)",
    )
  })
})
