import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import {
  GetDatasetResponse,
  GetDatasetVersionResponse,
  IngestDatasetResponse,
  ListDatasetsResponse,
} from '@ballast/contracts'
import type { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { VEGA_DATA, type TestData, openTestData } from '../../data/test-support/open-test-data.js'
import { type AppEnv, createApp } from '../app.js'
import { readJson } from '../test-support/open-test-app.js'

let t: TestData
let app: Hono<AppEnv>
let editor: Record<string, string>
let viewer: Record<string, string>
const WEATHER = readFileSync(path.join(VEGA_DATA, 'seattle-weather.csv'))

beforeAll(async () => {
  t = await openTestData()
  app = createApp({
    services: t.services,
    auth: { enabled: true },
    artifactBodyLimitBytes: 200_000,
  })
  const e = await t.services.tokens.createToken({ name: 'ingester', role: 'editor' })
  const v = await t.services.tokens.createToken({ name: 'reader', role: 'viewer' })
  editor = { Authorization: `Bearer ${e.token}` }
  viewer = { Authorization: `Bearer ${v.token}` }
})
afterAll(async () => {
  await t.dispose()
})

const upload = (name: string, body: string | Uint8Array, query: string, headers = editor) =>
  app.request(`/api/v1/datasets/${name}/versions?${query}`, { method: 'POST', headers, body })

describe('datasets API', () => {
  it('POST …/versions ingests the body: 201 with the version, then 200 existing for the same bytes', async () => {
    const res = await upload('weather', WEATHER, 'source=seattle-weather.csv')
    expect(res.status).toBe(201)
    const body = IngestDatasetResponse.parse(await readJson(res))
    expect(body.existing).toBe(false)
    expect(body.version).toMatchObject({
      name: 'weather',
      version: 1,
      source: 'seattle-weather.csv',
      format: 'csv',
      row_count: 1461,
      column_count: 6,
      created_by: 'ingester',
    })
    expect(body.version.profile).toMatchObject({ rowCount: 1461 })
    expect(body.version.schema.columns[0]).toEqual({
      name: 'date',
      type: 'datetime',
      nullable: false,
      storage_type: 'DATE',
    })
    const again = await upload('weather', WEATHER, 'format=csv&source=seattle-weather.csv')
    expect(again.status).toBe(200)
    expect(await readJson(again)).toEqual({ version: body.version, existing: true })
  })

  it('GET lists datasets, shows one with its versions, and reads a version and its head', async () => {
    await upload('tiny', 'a,b\n1,x\n2,y\n3,z\n', 'format=csv')
    const list = ListDatasetsResponse.parse(
      await readJson(await app.request('/api/v1/datasets', { headers: viewer })),
    )
    expect(list.datasets.map((d) => [d.name, d.version_count, d.latest?.row_count])).toEqual([
      ['tiny', 1, 3],
      ['weather', 1, 1461],
    ])
    const shown = GetDatasetResponse.parse(
      await readJson(await app.request('/api/v1/datasets/tiny', { headers: viewer })),
    )
    expect(shown.versions).toHaveLength(1)
    expect(shown.versions[0]).toMatchObject({ version: 1, source: 'upload', runs: [] })
    const latest = GetDatasetVersionResponse.parse(
      await readJson(
        await app.request('/api/v1/datasets/tiny/versions/latest', { headers: viewer }),
      ),
    )
    expect(latest.version.schema.columns.map((c) => [c.name, c.type])).toEqual([
      ['a', 'integer'],
      ['b', 'string'],
    ])
    const head = await app.request('/api/v1/datasets/tiny/versions/1/head?n=2', { headers: viewer })
    expect(await readJson(head)).toEqual({
      name: 'tiny',
      version: 1,
      columns: ['a', 'b'],
      rows: [
        { a: 1, b: 'x' },
        { a: 2, b: 'y' },
      ],
    })
    const versions = await readJson(
      await app.request('/api/v1/datasets/tiny/versions', { headers: viewer }),
    )
    expect(versions.versions.map((v: { version: number }) => v.version)).toEqual([1])
  })

  it('GET …/versions/:version/parquet streams the stored Parquet, whose hash is the digest', async () => {
    const { version } = GetDatasetVersionResponse.parse(
      await readJson(await app.request('/api/v1/datasets/weather/versions/1', { headers: viewer })),
    )
    const res = await app.request('/api/v1/datasets/weather/versions/latest/parquet', {
      headers: viewer,
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/vnd.apache.parquet')
    const bytes = new Uint8Array(await res.arrayBuffer())
    expect(bytes.length).toBe(version.size_bytes)
    expect(Buffer.from(bytes.subarray(0, 4)).toString('latin1')).toBe('PAR1')
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(version.digest)
    const missing = await app.request('/api/v1/datasets/weather/versions/9/parquet', {
      headers: viewer,
    })
    expect(missing.status).toBe(404)
  })

  it('answers bad files with 400 naming the file and line, and leaves no dataset', async () => {
    const res = await upload('broken', 'a,b\n1,2\n3,4,5\n', 'source=ragged.csv')
    expect(res.status).toBe(400)
    expect(await readJson(res)).toEqual({
      error_code: 'INVALID_PARAMETER_VALUE',
      message: 'ragged.csv:3: expected 2 columns, found 3',
    })
    const missing = await app.request('/api/v1/datasets/broken', { headers: viewer })
    expect(missing.status).toBe(404)
    expect(await readJson(missing)).toEqual({
      error_code: 'RESOURCE_DOES_NOT_EXIST',
      message: "dataset 'broken' does not exist",
    })
  })

  it('takes no SQL, and names a bad format, name or version', async () => {
    const where = await upload('w', 'a\n1\n', 'format=csv&where=a%3E1')
    expect(where.status).toBe(400)
    expect((await readJson(where)).message).toBe("Unknown parameter(s) 'where'.")
    const format = await upload('w', 'a\n1\n', 'format=xlsx')
    expect(format.status).toBe(400)
    expect((await readJson(format)).message).toContain("Invalid value for parameter 'format'")
    const unnamed = await upload('w', 'a\n1\n', '')
    expect((await readJson(unnamed)).message).toBe(
      "cannot tell the format of 'upload' from its name: give the format (csv, tsv, json, ndjson, parquet)",
    )
    const badName = await upload('-x', 'a\n1\n', 'format=csv')
    expect((await readJson(badName)).message).toContain('invalid dataset name "-x"')
    const badVersion = await app.request('/api/v1/datasets/tiny/versions/0', { headers: viewer })
    expect(badVersion.status).toBe(400)
    expect((await readJson(badVersion)).message).toBe(
      'invalid dataset version "0": expected a version number (1, 2, …) or \'latest\'',
    )
    const noVersion = await app.request('/api/v1/datasets/tiny/versions/9', { headers: viewer })
    expect(noVersion.status).toBe(404)
    expect((await readJson(noVersion)).message).toBe("dataset 'tiny' has no version 9")
  })

  it('refuses an upload over the body limit with 413 naming the setting', async () => {
    const res = await upload('huge', `a\n${'1\n'.repeat(120_000)}`, 'format=csv')
    expect(res.status).toBe(413)
    expect(await readJson(res)).toEqual({
      error_code: 'REQUEST_LIMIT_EXCEEDED',
      message: 'request body exceeds the limit of 200000 bytes (server.artifactBodyLimitBytes)',
    })
  })

  it('gates the upload with a suite sent in the x-ballast-suite header', async () => {
    const suite = {
      expectations: [
        {
          expectation_type: 'expect_column_values_to_be_in_set',
          kwargs: { column: 'c', value_set: ['red'] },
        },
      ],
    }
    const header = {
      ...editor,
      'x-ballast-suite': Buffer.from(JSON.stringify(suite)).toString('base64url'),
    }
    const res = await upload('colors', 'c\nred\nblue\n', 'source=colors.csv', header)
    expect(res.status).toBe(400)
    const body = await readJson(res)
    expect(body.error_code).toBe('INVALID_STATE')
    expect(body.message).toMatch(
      /^colors\.csv failed the suite \(1 of 1 expectations: expect_column_values_to_be_in_set\(c\)\) and was not published; its 1 failing rows are quarantined in the artifact store as blob [0-9a-f]{64}$/,
    )
    expect((await app.request('/api/v1/datasets/colors', { headers: viewer })).status).toBe(404)
    const ok = await upload('colors', 'c\nred\n', 'source=colors.csv', header)
    expect(ok.status).toBe(201)
    const garbled = await upload('colors', 'c\nred\n', 'source=colors.csv', {
      ...editor,
      'x-ballast-suite': 'not json',
    })
    expect(garbled.status).toBe(400)
    expect((await readJson(garbled)).message).toMatch(
      /^invalid x-ballast-suite header: expected base64url of the suite's JSON/,
    )
  })

  it('lets viewers read but not write', async () => {
    const res = await upload('nope', 'a\n1\n', 'format=csv', viewer)
    expect(res.status).toBe(403)
    expect((await readJson(res)).message).toBe(
      "POST /api/v1/datasets/:name/versions requires the editor role; 'reader' has the viewer role",
    )
  })
})
