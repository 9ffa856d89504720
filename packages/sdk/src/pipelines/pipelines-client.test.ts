import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Ballast } from '../ballast.js'
import { fakeFetch, jsonResponse } from '../test-support/fake-fetch.js'
import { definePipeline } from './pipeline-builder.js'

const URL_BASE = 'http://ballast.test'

function runWire(status: string, steps: { step: string; status: string; attempts: number }[]) {
  return {
    id: 'r1',
    pipeline: 'loans',
    status,
    steps: steps.map((s) => ({ ...s, kind: 'ingest', error: null })),
  }
}

describe('Pipelines', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ballast-sdk-pipelines-'))
    await writeFile(path.join(dir, 'loans.csv'), 'income,default\n1,0\n2,1\n')
    await writeFile(
      path.join(dir, 'suite.json'),
      JSON.stringify({
        expectations: [
          { expectation_type: 'expect_column_values_to_not_be_null', kwargs: { column: 'income' } },
        ],
      }),
    )
    await writeFile(path.join(dir, 'policy.json'), '{"rules":[{"validation":"passed"}]}')
    await writeFile(path.join(dir, 'suite.yaml'), 'expectations: []\n')
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))

  const loans = definePipeline({ name: 'loans' }, (p) => {
    const data = p.ingest('data', { file: 'loans.csv', dataset: 'loans' })
    const check = p.validate('check', { dataset: data.outputs.dataset, suite: 'suite.json' })
    p.evaluate('gate', {
      challenger: 'loans/2',
      champion: 'loans@prod',
      data: { dataset: data.outputs.dataset, target: 'default' },
      policy: 'policy.json',
      facts: { validation: check.outputs.passed },
    })
  })

  it('apply() uploads ingest files as dataset versions and sends suites and policies inline', async () => {
    const fake = fakeFetch((call) => {
      if (call.path === '/api/v1/datasets/loans/versions') {
        return jsonResponse(201, { version: { name: 'loans', version: 3 }, existing: false })
      }
      return jsonResponse(201, { pipeline: { name: 'loans' } })
    })
    const uploads: unknown[] = []
    const ballast = new Ballast({ url: URL_BASE, fetch: fake.fetch })
    const applied = await ballast.pipelines.apply(loans, {
      baseDir: dir,
      onUpload: (u) => uploads.push(u),
    })
    expect(applied).toEqual({ name: 'loans' })
    const [upload, apply] = fake.calls
    expect([upload!.method, upload!.path, upload!.query.get('source')]).toEqual([
      'POST',
      '/api/v1/datasets/loans/versions',
      'loans.csv',
    ])
    expect(upload!.text).toBe('income,default\n1,0\n2,1\n')
    expect(uploads).toEqual([
      { step: 'data', file: path.join(dir, 'loans.csv'), dataset: 'loans@3', existing: false },
    ])
    const sent = apply!.json as { spec: { steps: { with: Record<string, unknown> }[] } }
    expect(apply!.path).toBe('/api/v1/pipelines')
    expect(sent.spec.steps.map((s) => s.with)).toEqual([
      { dataset: 'loans@3' },
      {
        dataset: '${{ steps.data.outputs.dataset }}',
        suite: {
          expectations: [
            {
              expectation_type: 'expect_column_values_to_not_be_null',
              kwargs: { column: 'income' },
            },
          ],
        },
      },
      {
        challenger: 'loans/2',
        champion: 'loans@prod',
        data: { dataset: '${{ steps.data.outputs.dataset }}', target: 'default' },
        policy: { rules: [{ validation: 'passed' }] },
        facts: { validation: '${{ steps.check.outputs.passed }}' },
      },
    ])
  })

  it("with files: 'server', sends paths as written", async () => {
    const fake = fakeFetch(() => jsonResponse(201, { pipeline: { name: 'loans' } }))
    const ballast = new Ballast({ url: URL_BASE, fetch: fake.fetch })
    await ballast.pipelines.apply(loans, { files: 'server' })
    expect(fake.calls.map((c) => c.path)).toEqual(['/api/v1/pipelines'])
    expect((fake.calls[0]!.json as { spec: unknown }).spec).toEqual(loans)
  })

  it('names the step field of a file it cannot use, before anything is sent', async () => {
    const fake = fakeFetch(() => jsonResponse(201, {}))
    const ballast = new Ballast({ url: URL_BASE, fetch: fake.fetch })
    const missing = definePipeline({ name: 'p' }, (p) => {
      p.ingest('data', { file: 'nope.csv' })
    })
    await expect(ballast.pipelines.apply(missing, { baseDir: dir })).rejects.toThrow(
      `pipeline 'p': steps[0].with.file: cannot read '${path.join(dir, 'nope.csv')}': ENOENT`,
    )
    const yamlSuite = definePipeline({ name: 'p' }, (p) => {
      p.validate('check', { dataset: 'loans@1', suite: 'suite.yaml' })
    })
    await expect(ballast.pipelines.apply(yamlSuite, { baseDir: dir })).rejects.toThrow(
      "pipeline 'p': steps[0].with.suite: '" +
        path.join(dir, 'suite.yaml') +
        "' is not JSON (Unexpected token",
    )
    const named = definePipeline({ name: 'p', params: { name: 'loans' } }, (p) => {
      p.ingest('data', { file: 'loans.csv', dataset: p.param('name') })
    })
    await expect(ballast.pipelines.apply(named, { baseDir: dir })).rejects.toThrow(
      "pipeline 'p': steps[0].with.dataset: a file is uploaded before the run starts, so its dataset name and format must be written out, not referenced",
    )
    const filtered = {
      name: 'p',
      steps: [{ name: 'data', kind: 'ingest', with: { file: 'loans.csv', where: 'income > 1' } }],
    }
    await expect(
      ballast.pipelines.apply(filtered as never, { baseDir: dir }),
    ).rejects.toMatchObject({
      code: 'INVALID_PARAMETER_VALUE',
      message:
        "pipeline 'p': steps[0].with.where: not an input of an ingest step reading a file (it takes file, dataset, format); filter the file before it is uploaded",
    })
    expect(fake.calls).toEqual([])
  })

  it('run() starts a run with params and follows each step until the run ends', async () => {
    const states = [
      runWire('running', [{ step: 'data', status: 'running', attempts: 1 }]),
      runWire('running', [{ step: 'data', status: 'running', attempts: 1 }]),
      runWire('running', [{ step: 'data', status: 'running', attempts: 2 }]),
      runWire('failed', [{ step: 'data', status: 'failed', attempts: 2 }]),
    ]
    let reads = 0
    const fake = fakeFetch((call) => {
      if (call.path === '/api/v1/pipelines/loans/runs') {
        return jsonResponse(202, { run: runWire('running', []) })
      }
      return jsonResponse(200, { run: states[Math.min(reads++, states.length - 1)] })
    })
    const ballast = new Ballast({ url: URL_BASE, fetch: fake.fetch })
    const seen: string[] = []
    const run = await ballast.pipelines.run('loans', {
      params: { window: 10 },
      pollMs: 1,
      onStep: (s) => seen.push(`${s.step} ${s.status}/${s.attempts}`),
    })
    expect(run.status).toBe('failed')
    expect(seen).toEqual(['data running/1', 'data running/2', 'data failed/2'])
    expect(fake.calls[0]!.json).toEqual({ params: { window: 10 } })
    expect(fake.calls.slice(1).map((c) => c.path)).toEqual(
      Array(4).fill('/api/v1/pipeline-runs/r1'),
    )
  })

  it('waitForRun() gives up after timeoutMs with an error a script can act on; the run goes on', async () => {
    const fake = fakeFetch(() => jsonResponse(200, { run: runWire('running', []) }))
    const ballast = new Ballast({ url: URL_BASE, fetch: fake.fetch })
    await expect(
      ballast.pipelines.waitForRun('r1', { pollMs: 5, timeoutMs: 30 }),
    ).rejects.toMatchObject({
      code: 'TEMPORARILY_UNAVAILABLE',
      message: 'pipeline run r1 had not ended after 30 ms (it is running; it goes on)',
    })
    await expect(ballast.pipelines.waitForRun('r1', { pollMs: 0 })).rejects.toThrow(
      'invalid pollMs 0: expected an integer >= 1',
    )
  })

  it('run({ wait: false }) returns the started run at once', async () => {
    const fake = fakeFetch(() => jsonResponse(202, { run: runWire('running', []) }))
    const ballast = new Ballast({ url: URL_BASE, fetch: fake.fetch })
    const run = await ballast.pipelines.run('loans', { wait: false })
    expect(run.status).toBe('running')
    expect(fake.calls.length).toBe(1)
  })
})
