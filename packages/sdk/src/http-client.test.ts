import { AlreadyExistsError, AppError, NotFoundError, isAppError } from '@ballast/contracts'
import { describe, expect, it } from 'vitest'
import { HttpClient } from './http-client.js'
import { fakeFetch, jsonResponse } from './test-support/fake-fetch.js'

const fast = { retryBaseDelayMs: 1, retryMaxDelayMs: 2 }

describe('HttpClient', () => {
  it('sends a GET body as the query string, arrays as repeated keys, without undefined values', async () => {
    const fake = fakeFetch(() => jsonResponse(200, { ok: true }))
    const http = new HttpClient({ url: 'http://ballast.test/base/', fetch: fake.fetch })
    const res = await http.request('GET', '/api/2.0/mlflow/runs/search', {
      experiment_ids: ['1', '2'],
      filter: 'metrics.rmse < 1 and params.lr = "0.1"',
      max_results: 10,
      page_token: undefined,
    })
    expect(res).toEqual({ ok: true })
    expect(fake.calls).toHaveLength(1)
    const call = fake.calls[0]!
    expect(call.method).toBe('GET')
    expect(call.path).toBe('/base/api/2.0/mlflow/runs/search')
    expect(call.query.getAll('experiment_ids')).toEqual(['1', '2'])
    expect(call.query.get('filter')).toBe('metrics.rmse < 1 and params.lr = "0.1"')
    expect(call.query.get('max_results')).toBe('10')
    expect(call.query.has('page_token')).toBe(false)
    expect(call.text).toBe('')
  })

  it('sends a POST body as JSON with the bearer token', async () => {
    const fake = fakeFetch(() => jsonResponse(200, { experiment_id: '7' }))
    const http = new HttpClient({ url: 'http://ballast.test', token: 's3cret', fetch: fake.fetch })
    await expect(
      http.request('POST', '/api/2.0/mlflow/experiments/create', { name: 'x' }),
    ).resolves.toEqual({
      experiment_id: '7',
    })
    const call = fake.calls[0]!
    expect(call.json).toEqual({ name: 'x' })
    expect(call.headers.get('authorization')).toBe('Bearer s3cret')
    expect(call.headers.get('content-type')).toBe('application/json')
  })

  it('does not retry a 400 and throws the typed error with the server message', async () => {
    const fake = fakeFetch(() =>
      jsonResponse(400, {
        error_code: 'INVALID_PARAMETER_VALUE',
        message: "Invalid value for parameter 'max_results'",
      }),
    )
    const http = new HttpClient({ url: 'http://ballast.test', fetch: fake.fetch, ...fast })
    const error = await http
      .request('POST', '/api/2.0/mlflow/runs/search', {})
      .catch((e: unknown) => e)
    expect(fake.calls).toHaveLength(1)
    expect(isAppError(error)).toBe(true)
    expect(error).toMatchObject({
      code: 'INVALID_PARAMETER_VALUE',
      status: 400,
      message: "Invalid value for parameter 'max_results'",
    })
  })

  it('maps not-found and already-exists answers to their subclasses', async () => {
    const answers = [
      jsonResponse(404, { error_code: 'RESOURCE_DOES_NOT_EXIST', message: "Run 'abc' not found" }),
      jsonResponse(400, {
        error_code: 'RESOURCE_ALREADY_EXISTS',
        message: "Experiment 'x' already exists",
      }),
    ]
    const fake = fakeFetch(() => answers.shift()!)
    const http = new HttpClient({ url: 'http://ballast.test', fetch: fake.fetch })
    const missing = await http
      .request('GET', '/api/2.0/mlflow/runs/get', { run_id: 'abc' })
      .catch((e: unknown) => e)
    expect(missing).toBeInstanceOf(NotFoundError)
    expect(missing).toMatchObject({
      code: 'RESOURCE_DOES_NOT_EXIST',
      status: 404,
      message: "Run 'abc' not found",
    })
    const exists = await http
      .request('POST', '/api/2.0/mlflow/experiments/create', { name: 'x' })
      .catch((e: unknown) => e)
    expect(exists).toBeInstanceOf(AlreadyExistsError)
  })

  it('names the status when the error answer is not JSON', async () => {
    const fake = fakeFetch(() => new Response('Bad Gateway', { status: 404 }))
    const http = new HttpClient({ url: 'http://ballast.test', fetch: fake.fetch })
    await expect(http.request('GET', '/nope')).rejects.toMatchObject({
      code: 'ENDPOINT_NOT_FOUND',
      status: 404,
      message: 'GET /nope answered HTTP 404: Bad Gateway',
    })
  })

  it('retries 503 and 429 with the identical body, then succeeds', async () => {
    const answers = [
      jsonResponse(503, { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'busy' }),
      jsonResponse(
        429,
        { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'slow down' },
        { 'retry-after': '0' },
      ),
      jsonResponse(200, {}),
    ]
    const fake = fakeFetch(() => answers.shift()!)
    const http = new HttpClient({ url: 'http://ballast.test', fetch: fake.fetch, ...fast })
    await http.request('POST', '/api/2.0/mlflow/runs/log-batch', {
      run_id: 'r',
      metrics: [{ key: 'a', value: 1 }],
    })
    expect(fake.calls).toHaveLength(3)
    expect(new Set(fake.calls.map((c) => c.text)).size).toBe(1)
  })

  it('gives up after the configured retries and throws the last error', async () => {
    const fake = fakeFetch(() =>
      jsonResponse(500, { error_code: 'INTERNAL_ERROR', message: 'boom' }),
    )
    const http = new HttpClient({
      url: 'http://ballast.test',
      fetch: fake.fetch,
      retries: 2,
      ...fast,
    })
    await expect(http.request('GET', '/x')).rejects.toMatchObject({
      code: 'INTERNAL_ERROR',
      status: 500,
      message: 'boom',
    })
    expect(fake.calls).toHaveLength(3)
  })

  it('retries network failures and reports the server as unreachable when they persist', async () => {
    const fake = fakeFetch(() => {
      throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') })
    })
    const http = new HttpClient({
      url: 'http://127.0.0.1:9',
      fetch: fake.fetch,
      retries: 3,
      ...fast,
    })
    const error = await http
      .request('GET', '/api/2.0/mlflow/experiments/get', { experiment_id: '1' })
      .catch((e: unknown) => e)
    expect(fake.calls).toHaveLength(4)
    expect(error).toBeInstanceOf(AppError)
    expect(error).toMatchObject({ code: 'TEMPORARILY_UNAVAILABLE' })
    expect((error as Error).message).toBe(
      'cannot reach http://127.0.0.1:9/api/2.0/mlflow/experiments/get?experiment_id=1: fetch failed (connect ECONNREFUSED 127.0.0.1:9)',
    )
  })

  it('refuses a URL that is not http(s)', () => {
    expect(() => new HttpClient({ url: 'ftp://x' })).toThrow(
      "invalid url 'ftp://x': expected http:// or https://",
    )
    expect(() => new HttpClient({ url: 'nope' })).toThrow("invalid url 'nope'")
  })
})
