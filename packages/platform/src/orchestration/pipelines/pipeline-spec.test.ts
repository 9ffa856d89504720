import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { STEP_CATALOG } from '../../runtime/steps/index.js'
import { checkPipelineSpec, parsePipelineYaml } from './pipeline-spec.js'

const dir = mkdtempSync(path.join(tmpdir(), 'ballast-spec-test-'))
writeFileSync(path.join(dir, 'jan.parquet'), 'x')
writeFileSync(path.join(dir, 'flights.yaml'), 'x')
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const FLIGHTS = `name: flights-delay
description: retrain the delay model on recent labelled traffic
params: { window: 200000 }
triggers:
  - schedule: "0 3 * * *"
  - dataset: flights
  - event: [drift_detected, performance_degraded]
    monitor: flights
limits: { debounce: 10m, max_runs_per_day: 3 }
steps:
  - name: data
    kind: ingest
    with: { file: jan.parquet, dataset: flights }
  - name: check
    kind: validate
    with: { dataset: "\${{ steps.data.outputs.dataset }}", suite: flights.yaml }
  - name: train
    kind: train
    with: { dataset: "\${{ steps.data.outputs.dataset }}", target: delayed, task: classification, algo: gbdt, params: { numTrees: 100 }, register: flights }
  - name: tell
    kind: command
    with: { run: ["node", "notify.js", "\${{ steps.train.outputs.model }}"] }
`

const parse = (text: string) =>
  parsePipelineYaml(text, 'flights.yaml', { steps: STEP_CATALOG, baseDir: dir })

/** FLIGHTS with one line replaced. */
const edited = (from: string, to: string) => {
  expect(FLIGHTS).toContain(from)
  return FLIGHTS.replace(from, to)
}

describe('pipeline YAML', () => {
  it('reads the documented example into a PipelineSpec, files resolved against its folder', () => {
    const spec = parse(FLIGHTS)
    expect(spec.triggers).toEqual([
      { kind: 'schedule', cron: '0 3 * * *' },
      { kind: 'dataset', dataset: 'flights' },
      { kind: 'event', events: ['drift_detected', 'performance_degraded'], monitor: 'flights' },
    ])
    expect(spec.limits).toEqual({ debounceMs: 600_000, maxRunsPerDay: 3 })
    expect(spec.params).toEqual({ window: 200000 })
    expect(spec.steps.map((s) => s.kind)).toEqual(['ingest', 'validate', 'train', 'command'])
    expect(spec.steps[0]!.with).toEqual({ file: path.join(dir, 'jan.parquet'), dataset: 'flights' })
    expect(spec.steps[1]!.with.suite).toBe(path.join(dir, 'flights.yaml'))
    // The same shape from TypeScript checks the same.
    expect(checkPipelineSpec(spec, 'sdk', { steps: STEP_CATALOG })).toEqual(spec)
  })

  it('names the file, the line and the field of the first problem', () => {
    expect(() =>
      parse(edited('suite: flights.yaml }', 'suite: flights.yaml, color: red }')),
    ).toThrow(
      'flights.yaml:16: steps[1].with.color: unknown input; expected one of dataset, suite, allow_failure',
    )
    expect(() => parse(edited('task: classification', 'task: clustering'))).toThrow(
      "flights.yaml:19: steps[2].with.task: 'clustering' is not one of",
    )
    expect(() => parse(edited('kind: command', 'kind: shell'))).toThrow(
      'flights.yaml:21: steps[3].kind: Invalid option',
    )
    expect(() => parse(edited('  - name: tell', '  - name: check'))).toThrow(
      "flights.yaml:20: steps[3].name: step name 'check' is used twice",
    )
    expect(() => parse(edited('debounce: 10m', 'debounce: soon'))).toThrow(
      'flights.yaml:9: limits.debounce: expected a duration like 30s, 10m, 1h or 1d',
    )
    expect(() =>
      parse(edited('    monitor: flights', '    monitor: flights\n    colour: red')),
    ).toThrow('flights.yaml:7: triggers[2]')
    expect(() => parse(edited('file: jan.parquet', 'file: feb.parquet'))).toThrow(
      `flights.yaml:13: steps[0].with.file: file 'feb.parquet' does not exist (${path.join(dir, 'feb.parquet')})`,
    )
    expect(() => parse('name: x\nsteps: [\n')).toThrow(/^flights\.yaml:3: /)
    // A schedule is checked field by field when the pipeline is applied, not at its first check.
    expect(() => parse(edited('"0 3 * * *"', '"0 25 * * *"'))).toThrow(
      /^flights\.yaml:5: triggers\[0\]\.schedule: .*hour.*25/,
    )
  })

  it('refuses references to later or unknown steps and to unknown params', () => {
    expect(() =>
      parse(
        edited(
          'dataset: "${{ steps.data.outputs.dataset }}", suite',
          'dataset: "${{ steps.train.outputs.dataset }}", suite',
        ),
      ),
    ).toThrow(
      "flights.yaml:16: steps[1].with: step 'check' depends on 'train', which is a later step; a step may only use earlier steps",
    )
    expect(() => parse(edited('numTrees: 100', 'numTrees: "${{ params.trees }}"'))).toThrow(
      "flights.yaml:19: steps[2].with.params.numTrees: ${{ params.trees }}: no param 'trees' in params",
    )
    expect(() =>
      parse(edited('"${{ steps.train.outputs.model }}"', '"${{ step.train }}"')),
    ).toThrow("flights.yaml:22: steps[3].with.run[2]: unknown reference '${{ step.train }}'")
  })

  it('checks a TypeScript spec with the field named', () => {
    expect(() =>
      checkPipelineSpec(
        { name: 'p', steps: [{ name: 'a', kind: 'command', with: { run: [] } }] },
        'p.ts',
        { steps: STEP_CATALOG },
      ),
    ).toThrow('p.ts: steps[0].with.run: required: the command and its arguments')
    expect(() => checkPipelineSpec({ name: 'p', steps: [] }, 'p.ts')).toThrow(
      'p.ts: steps: a pipeline needs at least one step',
    )
  })
})
