import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { defineRoute } from '../route.js'
import { openTestApp, type TestApp, readJson } from '../test-support/open-test-app.js'

const jsonRoute = defineRoute({
  method: 'POST',
  path: '/test/json',
  permission: 'editor',
  body: z.object({ text: z.string() }),
  handler: async ({ body }) => ({ length: body.text.length }),
})

const uploadRoute = defineRoute({
  method: 'PUT',
  path: '/test/upload',
  permission: 'editor',
  rawBody: true,
  handler: async ({ c }) => {
    let size = 0
    for await (const chunk of c.req.raw.body!) size += chunk.byteLength
    return { size }
  },
})

let t: TestApp
beforeAll(async () => {
  t = await openTestApp({
    routes: [jsonRoute, uploadRoute],
    bodyLimitBytes: 64,
    artifactBodyLimitBytes: 1000,
  })
})
afterAll(async () => {
  await t.dispose()
})

/** A body sent in chunks with no Content-Length, as `Transfer-Encoding: chunked` does. */
function chunked(chunks: string[]): RequestInit {
  const bytes = chunks.map((s) => new TextEncoder().encode(s))
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = bytes.shift()
      if (next === undefined) controller.close()
      else controller.enqueue(next)
    },
  })
  return { body, duplex: 'half' }
}

const jsonLimitError = {
  error_code: 'REQUEST_LIMIT_EXCEEDED',
  message: 'request body exceeds the limit of 64 bytes (server.bodyLimitBytes)',
}

describe('JSON body limit', () => {
  it('accepts a body within the limit', async () => {
    const res = await t.app.request('/test/json', {
      method: 'POST',
      body: JSON.stringify({ text: 'x'.repeat(40) }),
    })
    expect(res.status).toBe(200)
    expect(await readJson(res)).toEqual({ length: 40 })
  })

  it('refuses a declared Content-Length over the limit before reading', async () => {
    const body = JSON.stringify({ text: 'x'.repeat(100) })
    const res = await t.app.request('/test/json', {
      method: 'POST',
      headers: { 'Content-Length': String(body.length) },
      body,
    })
    expect(res.status).toBe(413)
    expect(res.headers.get('connection')).toBe('close')
    expect(await readJson(res)).toEqual(jsonLimitError)
  })

  it('counts the bytes of a chunked body that declares no length', async () => {
    const init = chunked(['{"text":"', 'x'.repeat(40), 'y'.repeat(40), '"}'])
    const req = new Request('http://localhost/test/json', { method: 'POST', ...init })
    expect(req.headers.get('content-length')).toBeNull()
    const res = await t.app.request(req)
    expect(res.status).toBe(413)
    expect(await readJson(res)).toEqual(jsonLimitError)
  })

  it('accepts a chunked body within the limit', async () => {
    const res = await t.app.request('/test/json', {
      method: 'POST',
      ...chunked(['{"text":', '"abc"}']),
    })
    expect(res.status).toBe(200)
    expect(await readJson(res)).toEqual({ length: 3 })
  })
})

describe('artifact body limit', () => {
  it('lets raw-body routes stream past the JSON limit up to the artifact limit', async () => {
    const res = await t.app.request('/test/upload', {
      method: 'PUT',
      ...chunked(['a'.repeat(500), 'b'.repeat(500)]),
    })
    expect(res.status).toBe(200)
    expect(await readJson(res)).toEqual({ size: 1000 })
  })

  it('refuses a raw body past the artifact limit, streamed or declared', async () => {
    const expected = {
      error_code: 'REQUEST_LIMIT_EXCEEDED',
      message: 'request body exceeds the limit of 1000 bytes (server.artifactBodyLimitBytes)',
    }
    const streamed = await t.app.request('/test/upload', {
      method: 'PUT',
      ...chunked(['a'.repeat(600), 'b'.repeat(600)]),
    })
    expect(streamed.status).toBe(413)
    expect(await readJson(streamed)).toEqual(expected)
    const declared = await t.app.request('/test/upload', {
      method: 'PUT',
      headers: { 'Content-Length': '1001' },
      body: 'a'.repeat(1001),
    })
    expect(declared.status).toBe(413)
    expect(await readJson(declared)).toEqual(expected)
  })
})
