import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DuckEngine } from '../../data/index.js'
import {
  type Applicant,
  type MonitoredDeployment,
  applicants,
  openMonitoredDeployment,
  seeded,
} from '../../monitoring/monitors/test-support/monitored-deployment.js'
import { ingestStep } from './ingest-step.js'
import { predictionsSource } from './predictions-source.js'
import { readLabelledWindow, writeLabelledWindow } from './production-window.js'

const T0 = Date.UTC(2026, 10, 2)

let d: MonitoredDeployment
let rows: Applicant[]
let labels: number[]

/** 10 predictions a minute apart; all but the 4th and 8th labelled. */
beforeAll(async () => {
  d = await openMonitoredDeployment()
  ;({ rows, labels } = applicants(10, seeded(3)))
  const ids: string[] = []
  for (let i = 0; i < rows.length; i++) ids.push(...(await d.serve([rows[i]!], T0 + i * 60_000)))
  const labelled = ids
    .map((id, i) => [id, labels[i]!] as const)
    .filter((_, i) => i !== 3 && i !== 7)
  await d.label(
    labelled.map(([id]) => id),
    labelled.map(([, l]) => l),
  )
}, 60_000)
afterAll(() => d.dispose())

const LABELLED = [0, 1, 2, 4, 5, 6, 8, 9]

describe('labelled production window', () => {
  it('takes the most recent labelled predictions, oldest first, leaving out the newest skipped', async () => {
    const window = await readLabelledWindow(d.t.services, {
      deployment: 'loans',
      last: 3,
      skipLast: 2,
    })
    const expected = LABELLED.slice(-5, -2)
    expect(window).toMatchObject({ deployment: 'loans', model: 'loans', version: 1 })
    expect(window.columns.map((c) => c.name)).toEqual(['income', 'age', 'region'])
    expect(window.records).toEqual(expected.map((i) => rows[i]))
    expect(window.labels).toEqual(expected.map((i) => String(labels[i])))
    expect(window.times).toEqual(expected.map((i) => T0 + i * 60_000))

    const all = await readLabelledWindow(d.t.services, { deployment: 'loans', last: 100 })
    expect(all.records).toHaveLength(LABELLED.length)
    const early = await readLabelledWindow(d.t.services, {
      deployment: 'loans',
      last: 100,
      to: T0 + 3 * 60_000,
    })
    expect(early.labels).toEqual([0, 1, 2].map((i) => String(labels[i])))
  })

  it('names the problem when nothing is left', async () => {
    await expect(
      readLabelledWindow(d.t.services, { deployment: 'loans', last: 5, skipLast: 8 }),
    ).rejects.toThrow(
      "deployment 'loans' has no labelled predictions before the 8 most recent: record feedback",
    )
    await expect(
      readLabelledWindow(d.t.services, { deployment: 'loans', last: 0 }),
    ).rejects.toThrow(
      "Invalid value for parameter 'last': expected an integer of at least 1, got 0",
    )
  })

  it('writes typed input columns and the label as the model was trained on them', async () => {
    const file = d.t.file('window.parquet', '')
    const written = await writeLabelledWindow(d.t.services, { deployment: 'loans', last: 4 }, file)
    expect(written).toEqual({ rows: 4, model: 'loans', version: 1, label: 'default' })
    const engine = await DuckEngine.open()
    try {
      const types = await engine.all(`DESCRIBE SELECT * FROM read_parquet('${file}')`)
      expect(types.map((t) => [t.column_name, t.column_type])).toEqual([
        ['income', 'DOUBLE'],
        ['age', 'DOUBLE'],
        ['region', 'VARCHAR'],
        ['default', 'BIGINT'],
      ])
      const back = await engine.all(`SELECT * FROM read_parquet('${file}')`)
      expect(back).toEqual(LABELLED.slice(-4).map((i) => ({ ...rows[i], default: labels[i] })))
    } finally {
      engine.close()
    }
  })

  it('ingests the window as a dataset version for training', async () => {
    const logged: string[] = []
    const source = await predictionsSource(
      { services: d.t.services, actor: 'system:pipeline:retrain', log: (m) => logged.push(m) },
      { predictions: { deployment: 'loans', last: 5 }, dataset: 'loans-live', label: 'y' },
    )
    expect(source).toEqual({ dataset: 'loans-live@1', digest: expect.any(String), rows: 5 })
    expect(logged).toEqual(["ingested 5 labelled predictions of 'loans' as loans-live@1"])
    // The ingest step takes the same source, and its cache key follows the window's content.
    const inputs = { predictions: { deployment: 'loans', last: 5 }, dataset: 'loans-live' }
    expect(() => ingestStep.validate(inputs, 'steps[0].with')).not.toThrow()
    const digests = await ingestStep.inputDigests!(d.t.services, inputs)
    expect(await ingestStep.inputDigests!(d.t.services, inputs)).toEqual(digests)
    const other = await ingestStep.inputDigests!(d.t.services, {
      ...inputs,
      predictions: { deployment: 'loans', last: 6 },
    })
    expect(other.predictions).not.toBe(digests.predictions)
    const step = await ingestStep.run(
      {
        services: d.t.services,
        actor: 'system:pipeline:retrain',
        log: () => undefined,
      } as unknown as Parameters<typeof ingestStep.run>[0],
      { ...inputs, label: 'y' },
    )
    expect(step).toEqual(source)
    const read = await d.t.services.data.readColumns('loans-live', 1)
    expect(read.columns.map((c) => c.name)).toEqual(['income', 'age', 'region', 'y'])
    await expect(
      predictionsSource(
        { services: d.t.services, actor: 'a', log: () => undefined },
        { predictions: { deployment: 'loans' }, dataset: 'x' },
      ),
    ).rejects.toThrow(
      "Invalid value for parameter 'with.predictions.last': expected a number of predictions, got undefined",
    )
  })
})
