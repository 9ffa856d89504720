import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Ballast } from './ballast.js'
import { fakeFetch, jsonResponse } from './test-support/fake-fetch.js'

const URL_BASE = 'http://ballast.test'

describe('Ballast', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ballast-sdk-'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('experiment() creates the experiment, or gets it by name when another process created it first', async () => {
    const fake = fakeFetch((call) => {
      if (call.path.endsWith('/experiments/create')) {
        return (call.json as { name: string }).name === 'new'
          ? jsonResponse(200, { experiment_id: '5' })
          : jsonResponse(400, {
              error_code: 'RESOURCE_ALREADY_EXISTS',
              message: "Experiment 'taken' already exists.",
            })
      }
      return jsonResponse(200, {
        experiment: { experiment_id: '9', name: call.query.get('experiment_name') },
      })
    })
    const ballast = new Ballast({ url: URL_BASE, fetch: fake.fetch })
    await expect(ballast.experiment('new')).resolves.toEqual({ id: '5', name: 'new' })
    await expect(ballast.experiment('taken')).resolves.toEqual({ id: '9', name: 'taken' })
    expect(fake.calls.map((c) => `${c.method} ${c.path}?${c.query.toString()}`)).toEqual([
      'POST /api/2.0/mlflow/experiments/create?',
      'POST /api/2.0/mlflow/experiments/create?',
      'GET /api/2.0/mlflow/experiments/get-by-name?experiment_name=taken',
    ])
  })

  it('experiment() lets any other error through', async () => {
    const fake = fakeFetch(() =>
      jsonResponse(403, { error_code: 'PERMISSION_DENIED', message: 'viewer cannot create' }),
    )
    const ballast = new Ballast({ url: URL_BASE, fetch: fake.fetch })
    await expect(ballast.experiment('x')).rejects.toMatchObject({
      code: 'PERMISSION_DENIED',
      status: 403,
    })
  })

  it('startRun() resolves an experiment name and sends name, start time and tags', async () => {
    const fake = fakeFetch((call) =>
      call.path.endsWith('/experiments/create')
        ? jsonResponse(200, { experiment_id: '2' })
        : jsonResponse(200, {
            run: { info: { run_id: 'abc', experiment_id: '2', status: 'RUNNING', run_name: 'r' } },
          }),
    )
    const ballast = new Ballast({ url: URL_BASE, fetch: fake.fetch })
    const before = Date.now()
    const run = await ballast.startRun({
      experiment: 'fraud',
      name: 'r',
      tags: { team: 'risk', attempt: 2 },
    })
    expect(run.id).toBe('abc')
    expect(run.experimentId).toBe('2')
    const body = fake.calls[1]!.json as Record<string, unknown>
    expect(body).toMatchObject({
      experiment_id: '2',
      run_name: 'r',
      tags: [
        { key: 'team', value: 'risk' },
        { key: 'attempt', value: '2' },
      ],
    })
    expect(body.start_time).toBeGreaterThanOrEqual(before)
    await run.end()
  })

  it('getMetricHistory() follows page tokens and decodes non-finite values', async () => {
    const pages: Record<string, unknown> = {
      '': { metrics: [{ key: 'loss', value: 1, timestamp: 1, step: 0 }], next_page_token: 'p2' },
      p2: { metrics: [{ key: 'loss', value: 'NaN', timestamp: 2, step: 1 }], next_page_token: '' },
    }
    const fake = fakeFetch((call) => jsonResponse(200, pages[call.query.get('page_token') ?? '']))
    const ballast = new Ballast({ url: URL_BASE, fetch: fake.fetch })
    const history = await ballast.getMetricHistory('abc', 'loss')
    expect(history).toEqual([
      { key: 'loss', value: 1, timestamp: 1, step: 0 },
      { key: 'loss', value: Number.NaN, timestamp: 2, step: 1 },
    ])
    expect(fake.calls.map((c) => c.query.toString())).toEqual([
      'run_id=abc&metric_key=loss',
      'run_id=abc&metric_key=loss&page_token=p2',
    ])
  })

  it('listExperiments() follows page tokens; searchRuns() sends MLflow field names', async () => {
    const fake = fakeFetch((call) => {
      if (call.path.endsWith('/experiments/search')) {
        const token = (call.json as { page_token?: string }).page_token
        return jsonResponse(
          200,
          token === undefined
            ? { experiments: [{ experiment_id: '0', name: 'Default' }], next_page_token: 't' }
            : { experiments: [{ experiment_id: '1', name: 'a' }] },
        )
      }
      return jsonResponse(200, { runs: [], next_page_token: 'n' })
    })
    const ballast = new Ballast({ url: URL_BASE, fetch: fake.fetch })
    expect((await ballast.listExperiments()).map((e) => e.name)).toEqual(['Default', 'a'])
    const page = await ballast.searchRuns({
      experimentIds: ['1'],
      filter: 'metrics.auc > 0.9',
      orderBy: ['metrics.auc DESC'],
      maxResults: 5,
    })
    expect(page).toEqual({ runs: [], next_page_token: 'n' })
    expect(fake.calls.at(-1)!.json).toEqual({
      experiment_ids: ['1'],
      filter: 'metrics.auc > 0.9',
      order_by: ['metrics.auc DESC'],
      max_results: 5,
    })
  })

  it('logArtifact() streams the file to the run artifact path, and logArtifacts() a whole folder', async () => {
    const file = path.join(dir, 'model card.md')
    await writeFile(file, '# model\n')
    await mkdir(path.join(dir, 'plots', 'roc'), { recursive: true })
    await writeFile(path.join(dir, 'plots', 'a.txt'), 'a')
    await writeFile(path.join(dir, 'plots', 'roc', 'b.txt'), 'b')
    const fake = fakeFetch((call) =>
      call.path.endsWith('/runs/create')
        ? jsonResponse(200, {
            run: {
              info: {
                run_id: 'r9',
                experiment_id: '4',
                status: 'RUNNING',
                artifact_uri: 'mlflow-artifacts:/4/r9/artifacts',
              },
            },
          })
        : jsonResponse(200, {}),
    )
    const ballast = new Ballast({ url: URL_BASE, fetch: fake.fetch })
    const run = await ballast.startRun({ experiment: { id: '4' } })
    await run.logArtifact(file, 'docs')
    await run.logArtifacts(path.join(dir, 'plots'), 'figures')
    const puts = fake.calls.filter((c) => c.method === 'PUT')
    expect(puts.map((c) => [c.path, c.text])).toEqual([
      ['/api/2.0/mlflow-artifacts/artifacts/4/r9/artifacts/docs/model%20card.md', '# model\n'],
      ['/api/2.0/mlflow-artifacts/artifacts/4/r9/artifacts/figures/a.txt', 'a'],
      ['/api/2.0/mlflow-artifacts/artifacts/4/r9/artifacts/figures/roc/b.txt', 'b'],
    ])
    await expect(run.logArtifact(file, '../escape')).rejects.toThrow(
      "invalid artifactPath '../escape'",
    )
    await expect(run.logArtifact(path.join(dir, 'missing.bin'))).rejects.toMatchObject({
      code: 'INVALID_PARAMETER_VALUE',
    })
    await run.end()
  })

  it('logInputs() sends datasets with the context tag', async () => {
    const fake = fakeFetch((call) =>
      call.path.endsWith('/runs/create')
        ? jsonResponse(200, {
            run: { info: { run_id: 'r1', experiment_id: '1', status: 'RUNNING' } },
          })
        : jsonResponse(200, {}),
    )
    const run = await new Ballast({ url: URL_BASE, fetch: fake.fetch }).startRun()
    expect(fake.calls[0]!.json).toMatchObject({ experiment_id: '0' })
    await run.logInputs([
      {
        name: 'flights',
        digest: 'abc123',
        sourceType: 'local',
        source: 'file:///d.parquet',
        context: 'training',
      },
    ])
    expect(fake.calls[1]!.json).toEqual({
      run_id: 'r1',
      datasets: [
        {
          dataset: {
            name: 'flights',
            digest: 'abc123',
            source_type: 'local',
            source: 'file:///d.parquet',
          },
          tags: [{ key: 'mlflow.data.context', value: 'training' }],
        },
      ],
    })
    await run.end()
  })

  it('refuses options out of range', () => {
    expect(() => new Ballast({ url: URL_BASE, maxBatchSize: 1001 })).toThrow(
      'invalid maxBatchSize 1001: expected an integer from 1 to 1000',
    )
    expect(() => new Ballast({ url: URL_BASE, retries: -1 })).toThrow('invalid retries -1')
  })
})
