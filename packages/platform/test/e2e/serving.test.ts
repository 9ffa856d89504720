import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { DeploymentEventsResponse } from '@ballast/contracts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type SpawnedServer,
  WEATHER,
  ballastOk,
  ensureBuilt,
  readParquet,
  spawnServer,
} from './support/ballast-process.js'

const CLASSES = ['drizzle', 'fog', 'rain', 'snow', 'sun']
const RECORD = { date: '2015-06-01', precipitation: 0, temp_max: 25, temp_min: 12, wind: 3 }
const LOOPS = 8

/** One answer of the load: when it came, its status and, when 200, which version answered. */
interface Answer {
  time: number
  status: number
  version?: number
  requestId?: string
  prediction?: string
  error?: string
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Steady predict traffic from concurrent callers, each reusing its keep-alive connection. */
function startLoad(url: string) {
  const answers: Answer[] = []
  let running = true
  const loop = async () => {
    while (running) {
      try {
        const response = await fetch(`${url}/api/v1/deployments/weather/predict`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ records: [RECORD] }),
        })
        const time = Date.now()
        if (response.status !== 200) {
          answers.push({ time, status: response.status, error: await response.text() })
          continue
        }
        const body = (await response.json()) as {
          version: number
          predictions: { request_id: string; prediction: string }[]
        }
        answers.push({
          time,
          status: 200,
          version: body.version,
          requestId: body.predictions[0]?.request_id,
          prediction: body.predictions[0]?.prediction,
        })
      } catch {
        // A refused or reset connection is a failed request as much as a 5xx.
        answers.push({ time: Date.now(), status: 0 })
      }
    }
  }
  const loops = Array.from({ length: LOOPS }, loop)
  return {
    answers,
    stop: async () => {
      running = false
      await Promise.all(loops)
    },
  }
}

/** Waits until `done` holds of the answers, polling; fails naming what it waited for. */
async function until(
  answers: Answer[],
  what: string,
  done: (answers: Answer[]) => boolean,
  timeoutMs = 10_000,
): Promise<number> {
  const start = Date.now()
  while (!done(answers)) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`)
    await sleep(20)
  }
  return Date.now() - start
}

/** The last `n` answers (at least `n` after `from`) all came from `version`. */
const settledOn =
  (version: number, from: number, n = 40) =>
  (answers: Answer[]) =>
    answers.length >= from + n && answers.slice(-n).every((a) => a.version === version)

/**
 * A live rollout under load, through the CLI and HTTP: canary, promote, rollback and an alias move
 * while callers keep predicting, none of them getting anything but a 200.
 */
describe('a live rollout through a server', () => {
  let dir: string
  let server: SpawnedServer
  let url: string

  beforeAll(async () => {
    ensureBuilt()
    dir = mkdtempSync(path.join(tmpdir(), 'ballast-serving-e2e-'))
    server = await spawnServer(dir)
    url = server.url
  }, 300_000)

  afterAll(async () => {
    await server?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it('canary, promote, rollback and an alias move fail no request and are all logged', async () => {
    await ballastOk(['data', 'ingest', WEATHER, '--name', 'weather', '--url', url], dir)
    const train = (trees: number, alias: string[]) =>
      ballastOk(
        [
          'train',
          ...['--dataset', 'weather@1', '--target', 'weather', '--task', 'classification'],
          ...['--algo', 'gbdt', '--param', `numTrees=${trees}`, '--split-by', 'date'],
          ...['--test-after', '2015-01-01', '--register', 'w', ...alias, '--url', url],
        ],
        dir,
      )
    await train(20, ['--alias', 'champion'])
    await train(40, [])

    const created = await ballastOk(
      ['deploy', 'create', 'weather', '--model', 'w@champion', '--url', url],
      dir,
    )
    expect(created).toBe("created deployment 'weather': w@champion, serving version 1\n")
    // The server picks the new deployment up at its next sync: until then it is ready with what
    // it serves, so the deployment's own readiness is waited for as well.
    const readyStart = Date.now()
    for (const probe of ['/v2/models/weather/ready', '/v2/health/ready']) {
      for (;;) {
        const ready = await fetch(`${url}${probe}`)
        await ready.text()
        if (ready.status === 200) break
        if (Date.now() - readyStart > 20_000) throw new Error(`${probe} never answered 200`)
        await sleep(100)
      }
    }

    const load = startLoad(url)
    const { answers } = load
    let stopped: number
    const marks: Record<string, number> = {}
    let canaryShare: number
    let promoteMs: number
    try {
      await until(answers, '50 answers from version 1', (a) => a.length >= 50)
      marks.canary = answers.length

      await ballastOk(
        ['deploy', 'canary', 'weather', '--model', 'w/2', '--percent', '30', '--url', url],
        dir,
      )
      await until(answers, 'an answer from version 2', (a) =>
        a.slice(marks.canary).some((x) => x.version === 2),
      )
      // Answers already in flight when the canary switched in are left out of the share.
      const from = answers.length + LOOPS
      await until(answers, '300 answers during the canary', (a) => a.length >= from + 300, 30_000)
      const split = answers.slice(from, from + 300)
      canaryShare = split.filter((a) => a.version === 2).length / split.length

      marks.promote = answers.length
      await ballastOk(['deploy', 'promote', 'weather', '--url', url], dir)
      promoteMs = await until(answers, 'only version 2 after promote', settledOn(2, marks.promote))

      marks.rollback = answers.length
      await ballastOk(['deploy', 'rollback', 'weather', '--url', url], dir)
      await until(answers, 'only version 1 after rollback', settledOn(1, marks.rollback))

      marks.alias = answers.length
      await ballastOk(['models', 'alias', 'set', 'w', 'champion', '2', '--url', url], dir)
      await until(answers, 'only version 2 after the alias moved', settledOn(2, marks.alias))
    } finally {
      stopped = Date.now()
      await load.stop()
    }

    const failed = answers.filter((a) => a.status !== 200)
    expect(failed.slice(0, 3)).toEqual([])
    expect(failed).toHaveLength(0)
    expect(answers.slice(0, marks.canary).every((a) => a.version === 1)).toBe(true)
    expect(canaryShare).toBeGreaterThan(0.2)
    expect(canaryShare).toBeLessThan(0.4)
    expect(promoteMs).toBeLessThan(5_000)
    // The stable versions the callers saw, in order, once each change settled.
    const stable = [marks.canary, marks.rollback, marks.alias, answers.length].map(
      (end) => answers[end - 1]!.version,
    )
    expect(stable).toEqual([1, 2, 1, 2])
    expect(answers.every((a) => CLASSES.includes(a.prediction!))).toBe(true)

    const history = JSON.parse(
      await ballastOk(['deploy', 'history', 'weather', '--json', '--url', url], dir),
    ) as DeploymentEventsResponse
    expect(
      history.events.map((e) => [e.action, e.before?.version ?? null, e.after?.version ?? null]),
    ).toEqual([
      ['alias-follow', 1, 2],
      ['rollback', 2, 1],
      ['promote', 1, 2],
      ['canary', 1, 1],
      ['create', null, 1],
    ])
    // Auth is off, so a person is 'anonymous'; the alias move is the server's own doing.
    expect(history.events.map((e) => e.actor)).toEqual([
      'system:alias-follow',
      'anonymous',
      'anonymous',
      'anonymous',
      'anonymous',
    ])
    const table = (await ballastOk(['deploy', 'history', 'weather', '--url', url], dir)).split('\n')
    expect(table[0]).toMatch(/^TIME\s+ACTOR\s+ACTION\s+VERSION\s+REVISION\s+DETAIL/)
    expect(table[1]).toMatch(/system:alias-follow\s+alias-follow\s+v1 -> v2/)
    expect(table[5]).toMatch(/anonymous\s+create\s+- -> v1/)

    const metadata = await fetch(`${url}/v2/models/weather`)
    expect(metadata.status).toBe(200)
    const [fp32, int64] = ['FP32', 'INT64']
    const input = (name: string, datatype = fp32) => ({ name, datatype, shape: [-1, 1] })
    expect(await metadata.json()).toEqual({
      name: 'weather',
      versions: ['2'],
      platform: 'onnxruntime',
      inputs: [
        input('date', int64),
        input('precipitation'),
        input('temp_max'),
        input('temp_min'),
        input('wind'),
      ],
      outputs: [
        { name: 'label', datatype: int64, shape: [-1] },
        { name: 'probabilities', datatype: fp32, shape: [-1, 5] },
      ],
      parameters: { model: 'w', version: 2, task: 'classification' },
    })
    const v1 = await fetch(`${url}/v1/models/weather:predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ instances: [RECORD] }),
    })
    expect(v1.status).toBe(200)
    const v1Body = (await v1.json()) as { predictions: unknown[] }
    // The same record through KServe V1 gets the label version 2 gave the load.
    expect(v1Body).toEqual({ predictions: [answers.at(-1)!.prediction] })

    const labelled = answers.filter((_, i) => i % 97 === 0).map((a) => a.requestId!)
    writeFileSync(
      path.join(dir, 'labels.csv'),
      `request_id,label\n${labelled.map((id) => `${id},rain`).join('\n')}\n`,
    )
    await ballastOk(['feedback', 'weather', '--file', 'labels.csv', '--url', url], dir)

    // The log is written once a second; wait for the flush that holds the last answers.
    await sleep(2_500)
    await ballastOk(
      ['predictions', 'export', 'weather', '--output', 'p.parquet', '--url', url],
      dir,
    )
    const rows = await readParquet(path.join(dir, 'p.parquet'))
    const beforeLastSecond = answers.filter((a) => a.time < stopped - 1_000).length
    expect(rows.length).toBeGreaterThanOrEqual(beforeLastSecond)
    // One more row: the KServe V1 answer above.
    expect(rows.length).toBeLessThanOrEqual(answers.length + 1)
    const byId = new Map(rows.map((r) => [r.request_id as string, r]))
    for (const a of answers.slice(0, answers.length - LOOPS * 20)) {
      if (a.time >= stopped - 1_000) break
      expect(Number(byId.get(a.requestId!)?.version)).toBe(a.version)
    }
    expect(labelled.map((id) => byId.get(id)?.label)).toEqual(labelled.map(() => 'rain'))
    expect(rows.filter((r) => r.label !== null)).toHaveLength(labelled.length)
  }, 120_000)
})
