import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { createAdaptorServer } from '@hono/node-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { defineRoute } from './route.js'
import { openTestApp, type TestApp } from './test-support/open-test-app.js'

// The JSON body as Node serves it: read from the socket's stream, not through a Request.

const echoRoute = defineRoute({
  method: 'POST',
  path: '/test/json',
  permission: 'editor',
  body: z.object({ text: z.string() }),
  handler: async ({ body }) => ({ text: body.text }),
})

let t: TestApp
let server: http.Server
let port: number

beforeAll(async () => {
  t = await openTestApp({ routes: [echoRoute], bodyLimitBytes: 64 })
  server = createAdaptorServer({ fetch: t.app.fetch }) as http.Server
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as AddressInfo).port
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
  await t.dispose()
})

interface Answer {
  status: number
  connection: string | undefined
  body: unknown
}

/** Posts `parts` one write each; without `length` the body goes chunked, declaring no length. */
function post(parts: Array<string | Buffer>, length?: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' }
    if (length !== undefined) headers['content-length'] = String(length)
    const request = http.request(
      { host: '127.0.0.1', port, path: '/test/json', method: 'POST', headers, agent: false },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            connection: res.headers.connection,
            body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown,
          }),
        )
      },
    )
    request.on('error', reject)
    for (const part of parts) request.write(part)
    request.end()
  })
}

const limitError = {
  error_code: 'REQUEST_LIMIT_EXCEEDED',
  message: 'request body exceeds the limit of 64 bytes (server.bodyLimitBytes)',
}

describe('JSON bodies over a socket', () => {
  it('reads a chunked body within the limit', async () => {
    expect(await post(['{"text":', '"abc ü"}'])).toMatchObject({
      status: 200,
      body: { text: 'abc ü' },
    })
  })

  it('drops a leading byte-order mark, as fetch does', async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf])
    expect(await post([bom, '{"text":"x"}'])).toMatchObject({ status: 200, body: { text: 'x' } })
  })

  it('counts the bytes of a chunked body and refuses it past the limit', async () => {
    const answer = await post(['{"text":"', 'x'.repeat(40), 'y'.repeat(40), '"}'])
    expect(answer).toEqual({ status: 413, connection: 'close', body: limitError })
  })

  it('refuses a declared length past the limit before reading', async () => {
    const body = JSON.stringify({ text: 'x'.repeat(100) })
    const answer = await post([body], Buffer.byteLength(body))
    expect(answer).toEqual({ status: 413, connection: 'close', body: limitError })
  })

  it('keeps serving after a client leaves in the middle of its body', async () => {
    await new Promise<void>((resolve) => {
      const request = http.request({
        host: '127.0.0.1',
        port,
        path: '/test/json',
        method: 'POST',
        headers: { 'content-length': '50' },
        agent: false,
      })
      request.on('error', () => resolve())
      request.write('{"text":', () => setTimeout(() => request.destroy(), 20))
    })
    expect(await post(['{"text":"next"}'])).toMatchObject({ status: 200, body: { text: 'next' } })
  })

  it('answers 400 for a body that is not JSON', async () => {
    const answer = await post(['{"text":'])
    expect(answer.status).toBe(400)
    expect(answer.body).toMatchObject({ error_code: 'BAD_REQUEST' })
    expect((answer.body as { message: string }).message).toMatch(
      /^request body is not valid JSON: /,
    )
  })

  it('reads an empty body as {}, which the schema then names as missing', async () => {
    expect(await post([])).toMatchObject({
      status: 400,
      body: {
        error_code: 'INVALID_PARAMETER_VALUE',
        message: "Missing value for required parameter 'text'.",
      },
    })
  })
})
