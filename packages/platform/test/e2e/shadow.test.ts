import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type SpawnedServer,
  WEATHER,
  ballastOk,
  ensureBuilt,
  readParquet,
  spawnServer,
} from './support/ballast-process.js'

const N = 60

interface RecordsAnswer {
  version: number
  predictions: { request_id: string; prediction: string; probabilities?: number[] }[]
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** N days spread over the whole file, without their label. */
function weatherRecords(): Record<string, unknown>[] {
  const lines = readFileSync(WEATHER, 'utf8').trim().split('\n').slice(1)
  return Array.from({ length: N }, (_, i) => {
    const [date, ...numbers] = lines[i * 24]!.split(',').slice(0, -1)
    const [precipitation, temp_max, temp_min, wind] = numbers.map(Number)
    return { date, precipitation, temp_max, temp_min, wind }
  })
}

/** The answer a caller gets for a record, as the log keeps it (without the id). */
const answerOf = ({ predictions: [p] }: RecordsAnswer) => ({
  prediction: p!.prediction,
  probabilities: p!.probabilities,
})

/**
 * A shadow through the CLI and a real server: callers only ever see the primary's answers, and
 * the prediction log holds the shadow's answer to each of their records under the same id.
 */
describe('a shadow deployment through a server', () => {
  let dir: string
  let server: SpawnedServer
  let url: string

  beforeAll(async () => {
    ensureBuilt()
    dir = mkdtempSync(path.join(tmpdir(), 'ballast-shadow-e2e-'))
    server = await spawnServer(dir)
    url = server.url
  }, 300_000)

  afterAll(async () => {
    await server?.stop()
    rmSync(dir, { recursive: true, force: true })
  }, 300_000)

  // Probes answer 503 (or 404 for a version) until the server's sync has loaded what they ask.
  const untilOk = async (probes: string[]) => {
    const start = Date.now()
    for (const probe of probes) {
      for (;;) {
        const response = await fetch(`${url}${probe}`)
        await response.text()
        if (response.status === 200) break
        if (Date.now() - start > 20_000) throw new Error(`${probe} never answered 200`)
        await sleep(100)
      }
    }
  }

  const predict = async (deployment: string, record: unknown, id: string) => {
    const response = await fetch(`${url}/api/v1/deployments/${deployment}/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': id },
      body: JSON.stringify({ records: [record] }),
    })
    return { status: response.status, body: (await response.json()) as RecordsAnswer }
  }

  it('answers every request with the primary and logs the shadow under the same ids', async () => {
    await ballastOk(['data', 'ingest', WEATHER, '--name', 'weather', '--url', url], dir)
    for (const trees of [10, 30]) {
      await ballastOk(
        [
          'train',
          ...['--dataset', 'weather@1', '--target', 'weather', '--task', 'classification'],
          ...['--algo', 'gbdt', '--param', `numTrees=${trees}`, '--split-by', 'date'],
          ...['--test-after', '2015-01-01', '--register', 'w', '--url', url],
        ],
        dir,
      )
    }
    const create = (name: string, model: string) =>
      ballastOk(['deploy', 'create', name, '--model', model, '--url', url], dir)
    expect(await create('weather', 'w/1')).toBe(
      "created deployment 'weather': w/1, serving version 1\n",
    )
    // Version 2 on its own, for the answers the shadow must have logged.
    await create('alone', 'w/2')
    await untilOk(['/v2/models/weather/ready', '/v2/models/alone/ready', '/v2/health/ready'])

    const shadow = ['deploy', 'shadow', 'weather', '--model', 'w/2', '--url', url]
    expect(await ballastOk(shadow, dir)).toBe("'weather' serves w/1, shadow v2\n")
    await untilOk(['/v2/models/weather/versions/2/ready', '/v2/health/ready'])
    const metadata = await (await fetch(`${url}/v2/models/weather`)).json()
    expect(metadata).toMatchObject({ versions: ['1', '2'], parameters: { version: 1 } })

    const records = weatherRecords()
    const primary: RecordsAnswer[] = []
    const alone: RecordsAnswer[] = []
    for (const [i, record] of records.entries()) {
      const answered = await predict('weather', record, `shadowed-${i}`)
      expect(answered.status).toBe(200)
      primary.push(answered.body)
      alone.push((await predict('alone', record, `alone-${i}`)).body)
    }
    expect(primary.map((a) => [a.version, a.predictions.map((p) => p.request_id)])).toEqual(
      records.map((_, i) => [1, [`shadowed-${i}-0`]]),
    )
    expect(alone.every((a) => a.version === 2)).toBe(true)
    // The versions disagree, so a shadow row that copied the primary's answer would be caught.
    const differ = alone.filter((a, i) => !isDeepStrictEqual(answerOf(a), answerOf(primary[i]!)))
    expect(differ.length).toBeGreaterThan(N / 2)

    // A graceful stop writes the rows still in memory; the export then reads the home itself.
    await server.stop()
    expect(server.process.exitCode).toBe(0)
    const exported = async (file: string, extra: string[]) => {
      await ballastOk(
        ['predictions', 'export', 'weather', '--output', file, '--home', 'h', ...extra],
        dir,
      )
      return readParquet(path.join(dir, file))
    }
    // Shadow answers are left out unless asked for.
    const seen = await exported('seen.parquet', [])
    expect(seen.map((r) => [r.request_id, Number(r.version), r.shadow])).toEqual(
      records.map((_, i) => [`shadowed-${i}-0`, 1, false]),
    )

    const rows = await exported('all.parquet', ['--include-shadow'])
    expect(rows).toHaveLength(2 * N)
    const logged = (i: number) =>
      rows
        .filter((r) => r.request_id === `shadowed-${i}-0`)
        .map((r) => ({
          version: Number(r.version),
          shadow: r.shadow,
          inputs: JSON.parse(r.inputs as string) as unknown,
          outputs: JSON.parse(r.outputs as string) as unknown,
        }))
        .sort((a, b) => a.version - b.version)
    expect(records.map((_, i) => logged(i))).toEqual(
      records.map((record, i) => [
        { version: 1, shadow: false, inputs: record, outputs: answerOf(primary[i]!) },
        { version: 2, shadow: true, inputs: record, outputs: answerOf(alone[i]!) },
      ]),
    )
  }, 300_000)
})
