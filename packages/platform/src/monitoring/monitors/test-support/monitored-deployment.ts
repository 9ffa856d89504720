import type { JobRecord } from '@ballast/contracts'
import { type TestData, openTestData } from '../../../data/test-support/open-test-data.js'
import { ANONYMOUS_ADMIN } from '../../../governance/actor.js'
import type { Services } from '../../../runtime/services.js'
import { runTrainJob } from '../../../runtime/train-job.js'
import { type LoadedModel, PredictionLog, loadModel } from '../../../serving/index.js'

/** A seeded generator (mulberry32) so that every run sees the same data. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface Applicant {
  income: number
  age: number
  region: string
}

/** How applicants are drawn: `shift` moves incomes up, `regions` changes who applies. */
export interface Population {
  incomeMean?: number
  regions?: readonly string[]
  /** The true relation: without `flip`, higher income → fewer defaults; with it, the reverse. */
  flip?: boolean
}

const REGIONS = ['north', 'north', 'south', 'east']

export function applicants(n: number, random: () => number, population: Population = {}) {
  const regions = population.regions ?? REGIONS
  const rows: Applicant[] = []
  const labels: number[] = []
  for (let i = 0; i < n; i++) {
    const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())
    const income = Number(((population.incomeMean ?? 50) + 10 * normal).toFixed(3))
    const age = Number((20 + 50 * random()).toFixed(1))
    const region = regions[Math.floor(random() * regions.length)]!
    const score =
      (population.flip === true ? 1 : -1) * ((income - 50) / 6) +
      (age - 45) / 25 +
      (region === 'south' ? 0.8 : 0)
    rows.push({ income, age, region })
    labels.push(random() < 1 / (1 + Math.exp(-score)) ? 1 : 0)
  }
  return { rows, labels }
}

export interface MonitoredDeployment {
  t: TestData
  /** Serves `rows` at `time` (epoch ms) and logs them; returns the request ids. */
  serve(rows: readonly Applicant[], time: number): Promise<string[]>
  label(ids: readonly string[], labels: readonly number[]): Promise<void>
  dispose(): Promise<void>
}

/** Trains a GBDT on `loans@1` and registers it as the next version of model `loans`. */
export async function trainLoans(
  services: Services,
  params: Record<string, string>,
  alias?: string,
): Promise<void> {
  await runTrainJob({
    job: { id: `job-${params.numTrees}`, kind: 'train', createdBy: 'alice' } as JobRecord,
    payload: {
      dataset: 'loans@1',
      target: 'default',
      task: 'classification',
      algo: 'gbdt',
      params,
      register: 'loans',
      ...(alias === undefined ? {} : { alias }),
    },
    services,
    signal: new AbortController().signal,
    progress: () => undefined,
    log: () => undefined,
  })
}

/**
 * A GBDT classifier trained on 3,000 applicants (`loans` dataset → model `loans@prod`),
 * deployed as `loans`, with a prediction log the test writes through.
 */
export async function openMonitoredDeployment(): Promise<MonitoredDeployment> {
  const t = await openTestData()
  const random = seeded(7)
  const { rows, labels } = applicants(3000, random)
  const csv = [
    'income,age,region,default',
    ...rows.map((r, i) => `${r.income},${r.age},${r.region},${labels[i]}`),
  ]
  await t.services.data.ingest({
    name: 'loans',
    input: t.file('loans.csv', `${csv.join('\n')}\n`),
    actor: ANONYMOUS_ADMIN,
  })
  await trainLoans(t.services, { numTrees: '40' }, 'prod')
  await t.services.serving.deployments.create({ name: 'loans', model: 'loans@prod' }, 'alice')
  const model: LoadedModel = await loadModel({ registry: t.services.registry }, 'loans', 1)
  const log = new PredictionLog({ store: t.store, artifacts: t.artifacts, flushIntervalMs: 0 })
  let next = 0
  return {
    t,
    async serve(records, time) {
      const answers = await model.predictRecords(records as unknown as Record<string, unknown>[])
      const ids = records.map(() => `req-${String(next++).padStart(7, '0')}`)
      answers.forEach((answer, i) =>
        log.append({
          requestId: ids[i]!,
          deployment: 'loans',
          model: 'loans',
          version: 1,
          time,
          latencyMs: 1,
          inputs: JSON.stringify(records[i]),
          outputs: JSON.stringify(answer),
          shadow: false,
        }),
      )
      await log.flush()
      return ids
    },
    async label(ids, values) {
      await t.services.serving.feedback.record(
        'loans',
        ids.map((id, i) => ({ request_id: id, label: values[i]! })),
      )
    },
    async dispose() {
      await log.close()
      await model.close()
      await t.dispose()
    },
  }
}
