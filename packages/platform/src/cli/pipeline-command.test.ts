import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { PipelineRunWire } from '@ballast/contracts'
import { afterAll, describe, expect, it } from 'vitest'
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
})
