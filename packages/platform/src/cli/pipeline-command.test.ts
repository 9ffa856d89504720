import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { PipelineRunWire } from '@ballast/contracts'
import { afterAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../config/index.js'
import { startServer } from '../http/server.js'
import { openRuntime } from '../runtime/open-runtime.js'
import { cliSandbox } from './test-support/run-cli.js'

const WEATHER = path.resolve(
  path.dirname(new URL(import.meta.url).pathname),
  '../../../../node_modules/vega-datasets/data/seattle-weather.csv',
)

describe('ballast pipeline', () => {
  const sandbox = cliSandbox()
  afterAll(() => sandbox.dispose())

  it('applies a file, runs it in process to the end, and lists it', async () => {
    writeFileSync(path.join(sandbox.dir, 'weather.csv'), readFileSync(WEATHER))
    writeFileSync(
      path.join(sandbox.dir, 'weather.yaml'),
      [
        'name: weather',
        'params: { label: first }',
        'steps:',
        '  - name: data',
        '    kind: ingest',
        '    with: { file: weather.csv }',
        '  - name: note',
        '    kind: command',
        `    with: { run: ["${process.execPath}", "-e", "require('fs').writeFileSync('note.txt', process.argv[1])", "\${{ params.label }} \${{ steps.data.outputs.dataset }}"], cwd: . }`,
        '',
      ].join('\n'),
    )
    const out = await sandbox.json<{ run: PipelineRunWire }>([
      'pipeline',
      'run',
      'weather.yaml',
      '--param',
      'label=second',
    ])
    expect(out.run.status).toBe('succeeded')
    expect(out.run.params).toEqual({ label: 'second' })
    expect(out.run.steps.map((s) => [s.step, s.status])).toEqual([
      ['data', 'succeeded'],
      ['note', 'succeeded'],
    ])
    expect(out.run.steps[0]!.outputs).toMatchObject({ dataset: 'weather@1', rows: 1461 })
    expect(readFileSync(path.join(sandbox.dir, 'note.txt'), 'utf8')).toBe('second weather@1')

    const list = await sandbox.run(['pipeline', 'list'])
    expect(list.stdout).toMatch(
      /^NAME +STEPS +TRIGGERS +DIGEST +UPDATED\nweather +2 +0 +[0-9a-f]{12} /,
    )
    const runs = await sandbox.json<{ runs: PipelineRunWire[] }>(['pipeline', 'runs', 'weather'])
    expect(runs.runs.map((r) => r.id)).toEqual([out.run.id])
    const shown = await sandbox.run(['pipeline', 'run-show', out.run.id])
    expect(shown.stdout).toContain(`run ${out.run.id} of weather: succeeded`)
    const missing = await sandbox.run(['pipeline', 'show', 'nope'])
    expect(missing.code).toBe(3)
    expect(missing.stderr).toContain("pipeline 'nope' does not exist")
  }, 60_000)

  it('with --url, uploads ingest files and sends suites and policies inline', async () => {
    writeFileSync(
      path.join(sandbox.dir, 'suite.yaml'),
      'expectations:\n  - expectation_type: expect_column_to_exist\n    kwargs: { column: weather }\n',
    )
    writeFileSync(
      path.join(sandbox.dir, 'policy.yaml'),
      'rules:\n  - metric: accuracy\n    min: 0.5\n',
    )
    writeFileSync(
      path.join(sandbox.dir, 'gate.yaml'),
      [
        'name: gate',
        'steps:',
        '  - name: data',
        '    kind: ingest',
        '    with: { file: weather.csv, dataset: weather-up }',
        '  - name: check',
        '    kind: validate',
        '    with: { dataset: "${{ steps.data.outputs.dataset }}", suite: suite.yaml }',
        '  - name: gate',
        '    kind: evaluate',
        '    with:',
        '      challenger: weather-gbdt/1',
        '      champion: weather-gbdt@champion',
        '      data: { dataset: "${{ steps.data.outputs.dataset }}", target: weather }',
        '      policy: policy.yaml',
        '',
      ].join('\n'),
    )
    const runtime = await openRuntime(
      loadConfig({ flags: { home: sandbox.home, 'log.level': 'warn' }, env: {}, cwd: sandbox.dir }),
    )
    const server = await startServer(runtime, { host: '127.0.0.1', port: 0, serving: false })
    try {
      const started = await sandbox.run(
        ['--url', server.url, 'pipeline', 'run', 'gate.yaml', '--detach'],
        { home: false },
      )
      expect(started.code, started.stderr).toBe(0)
      expect(started.stderr).toContain(
        `uploaded ${path.join(sandbox.dir, 'weather.csv')} as weather-up@1`,
      )
      const shown = await sandbox.run(['--url', server.url, 'pipeline', 'show', 'gate', '--json'], {
        home: false,
      })
      const { pipeline } = JSON.parse(shown.stdout) as {
        pipeline: { spec: { steps: { with: unknown }[] } }
      }
      expect(pipeline.spec.steps.map((s) => s.with)).toEqual([
        { dataset: 'weather-up@1' },
        {
          dataset: '${{ steps.data.outputs.dataset }}',
          suite: {
            expectations: [
              { expectation_type: 'expect_column_to_exist', kwargs: { column: 'weather' } },
            ],
          },
        },
        {
          challenger: 'weather-gbdt/1',
          champion: 'weather-gbdt@champion',
          data: { dataset: '${{ steps.data.outputs.dataset }}', target: 'weather' },
          policy: { rules: [{ metric: 'accuracy', min: 0.5 }] },
        },
      ])
    } finally {
      await server.close()
    }
  }, 60_000)
})
