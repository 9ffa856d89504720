import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type MlflowTestClient, openMlflowTestClient } from './test-support/mlflow-test-client.js'

const ROOT = '/api/2.0/mlflow-artifacts/artifacts'

let t: MlflowTestClient

beforeEach(async () => {
  t = await openMlflowTestClient()
})

afterEach(async () => {
  await t.dispose()
})

async function put(path: string, content: string | Uint8Array) {
  return t.request(`${ROOT}/${path}`, { method: 'PUT', body: content })
}

describe('the proxied artifact API', () => {
  it('uploads, lists, downloads and deletes, as the MLflow client does', async () => {
    const { runId } = await t.createRun()
    const base = `1/${runId}/artifacts`
    const mlmodel = 'artifact_path: model\nflavors: {}\n'
    expect((await put(`${base}/model/MLmodel`, mlmodel)).status).toBe(200)
    expect((await put(`${base}/model/data/weights.bin`, new Uint8Array([1, 2, 3, 4]))).status).toBe(
      200,
    )
    expect((await put(`${base}/metrics.json`, '{"a":1}')).status).toBe(200)

    const listRoot = await t.request(`${ROOT}?path=${encodeURIComponent(base)}`)
    expect(await listRoot.json()).toEqual({
      files: [
        { path: 'metrics.json', is_dir: false, file_size: 7 },
        { path: 'model', is_dir: true },
      ],
    })
    const listModel = await t.request(`${ROOT}?path=${encodeURIComponent(`${base}/model`)}`)
    expect(await listModel.json()).toEqual({
      files: [
        { path: 'MLmodel', is_dir: false, file_size: mlmodel.length },
        { path: 'data', is_dir: true },
      ],
    })

    const download = await t.request(`${ROOT}/${base}/model/MLmodel`)
    expect(download.status).toBe(200)
    expect(download.headers.get('content-type')).toBe('text/plain')
    expect(download.headers.get('content-length')).toBe(String(mlmodel.length))
    expect(download.headers.get('content-disposition')).toBe(
      `attachment; filename="MLmodel"; filename*=UTF-8''MLmodel`,
    )
    expect(await download.text()).toBe(mlmodel)
    const json = await t.request(`${ROOT}/${base}/metrics.json`)
    expect(json.headers.get('content-type')).toBe('application/json')
    expect(await json.text()).toBe('{"a":1}')
    const bin = await t.request(`${ROOT}/${base}/model/data/weights.bin`)
    expect(bin.headers.get('content-type')).toBe('application/octet-stream')
    expect(new Uint8Array(await bin.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3, 4]))

    const runList = await t.get('artifacts/list', { run_id: runId, path: 'model' })
    expect(runList).toEqual({
      status: 200,
      body: {
        root_uri: `mlflow-artifacts:/1/${runId}/artifacts`,
        files: [
          { path: 'model/MLmodel', is_dir: false, file_size: mlmodel.length },
          { path: 'model/data', is_dir: true },
        ],
      },
    })

    const deleted = await t.request(`${ROOT}/${base}/model`, { method: 'DELETE' })
    expect(deleted.status).toBe(200)
    expect(await deleted.json()).toEqual({})
    expect((await t.request(`${ROOT}/${base}/model/MLmodel`)).status).toBe(404)
    expect(await (await t.request(`${ROOT}?path=${encodeURIComponent(base)}`)).json()).toEqual({
      files: [{ path: 'metrics.json', is_dir: false, file_size: 7 }],
    })
  })

  it('replaces a file uploaded twice, and names a missing one', async () => {
    expect((await put('0/r/artifacts/a.txt', 'one')).status).toBe(200)
    expect((await put('0/r/artifacts/a.txt', 'second')).status).toBe(200)
    expect(await (await t.request(`${ROOT}/0/r/artifacts/a.txt`)).text()).toBe('second')
    const missing = await t.request(`${ROOT}/0/r/artifacts/b.txt`)
    expect(missing.status).toBe(404)
    expect(await missing.json()).toEqual({
      error_code: 'RESOURCE_DOES_NOT_EXIST',
      message: "Artifact '0/r/artifacts/b.txt' does not exist",
    })
  })

  it('stores names with spaces and percent signs as the client wrote them', async () => {
    expect((await put('0/r/artifacts/my%20report%25.txt', 'x')).status).toBe(200)
    const listed = await t.request(`${ROOT}?path=0/r/artifacts`)
    expect(await listed.json()).toEqual({
      files: [{ path: 'my report%.txt', is_dir: false, file_size: 1 }],
    })
    expect(await (await t.request(`${ROOT}/0/r/artifacts/my%20report%25.txt`)).text()).toBe('x')
  })

  it('refuses a file where a folder is, and a file inside a file', async () => {
    await put('0/r/artifacts/dir/f.txt', 'x')
    const overDir = await put('0/r/artifacts/dir', 'y')
    expect(overDir.status).toBe(400)
    expect(((await overDir.json()) as { message: string }).message).toContain('it is a directory')
    const inFile = await put('0/r/artifacts/dir/f.txt/g', 'y')
    expect(((await inFile.json()) as { message: string }).message).toContain(
      "'0/r/artifacts/dir/f.txt' is a file",
    )
  })

  it('refuses hostile paths with 400 and writes nothing', async () => {
    const hostile = [
      `${ROOT}/..%2F..%2Fetc%2Fpasswd`,
      `${ROOT}/0/r/%2e%2e%2fsecret`,
      `${ROOT}/0/r/%252e%252e%252fsecret`,
      `${ROOT}/0/r/a%5Cb`,
      `${ROOT}/0/r/a%00b`,
      `${ROOT}/%2Fabsolute`,
    ]
    for (const url of hostile) {
      const res = await t.request(url, { method: 'PUT', body: 'x' })
      expect(res.status, url).toBe(400)
      expect(((await res.json()) as { error_code: string }).error_code).toBe(
        'INVALID_PARAMETER_VALUE',
      )
      expect((await t.request(url)).status, url).toBe(400)
    }
    const list = await t.request(`${ROOT}?path=${encodeURIComponent('../..')}`)
    expect(list.status).toBe(400)
    const { runId } = await t.createRun()
    expect((await t.get('artifacts/list', { run_id: runId, path: '../../0' })).status).toBe(400)
    expect(await t.services.store.db.selectFrom('artifact_files').selectAll().execute()).toEqual([])
  })

  it('refuses dot segments that URL parsing removed before routing, as the server received them', async () => {
    const sent = `${ROOT}/0/r/artifacts/%2e%2e/%2e%2e/secret`
    // What the Node server hands over: the parsed URL (dot segments gone) and the raw request line.
    const res = await t.app.request(
      `${ROOT}/0/secret`,
      { method: 'PUT', body: 'x' },
      { incoming: { url: sent } },
    )
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({
      error_code: 'INVALID_PARAMETER_VALUE',
      message: `invalid path "0/r/artifacts/%2e%2e/%2e%2e/secret": it contains a '..' segment`,
    })
    const plain = await t.app.request(
      `${ROOT}/0/ok.txt`,
      { method: 'PUT', body: 'x' },
      { incoming: { url: `${ROOT}/0/ok.txt` } },
    )
    expect(plain.status).toBe(200)
  })

  it('lists an empty run folder as root_uri alone', async () => {
    const { runId } = await t.createRun()
    expect(await t.get('artifacts/list', { run_id: runId })).toEqual({
      status: 200,
      body: { root_uri: `mlflow-artifacts:/1/${runId}/artifacts` },
    })
    expect((await t.get('artifacts/list', { run_id: 'c'.repeat(32) })).status).toBe(404)
  })
})
