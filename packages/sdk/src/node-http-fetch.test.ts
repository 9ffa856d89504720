import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { nodeHttpFetch } from './node-http-fetch.js'

interface Seen {
  method: string
  url: string
  headers: http.IncomingHttpHeaders
  body: string
}

let server: http.Server
let base: string
const seen: Seen[] = []

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body })
      if (req.url === '/empty') {
        res.writeHead(204).end()
      } else if (req.url === '/slow') {
        setTimeout(() => res.writeHead(200).end('late'), 2_000)
      } else if (req.url === '/cut') {
        res.writeHead(200, { 'content-length': '100' })
        res.write('partial')
        setTimeout(() => res.destroy(), 10)
      } else {
        res.writeHead(418, 'Teapot', [
          ['content-type', 'application/json'],
          ['x-a', '1'],
          ['x-a', '2'],
        ])
        res.end(JSON.stringify({ echo: body, é: 'ü' }))
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

describe('nodeHttpFetch', () => {
  it('sends method, headers and a text body, and answers status, headers and body', async () => {
    const response = await nodeHttpFetch(`${base}/echo?q=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', Authorization: 'Bearer t' },
      body: '{"ü":1}',
    })
    expect(response.status).toBe(418)
    expect(response.statusText).toBe('Teapot')
    expect(response.ok).toBe(false)
    expect(response.headers.get('x-a')).toBe('1, 2')
    expect(await response.json()).toEqual({ echo: '{"ü":1}', é: 'ü' })
    const request = seen.at(-1)
    expect(request).toMatchObject({ method: 'POST', url: '/echo?q=1', body: '{"ü":1}' })
    expect(request?.headers).toMatchObject({
      'content-type': 'application/json',
      authorization: 'Bearer t',
      'content-length': '8',
    })
  })

  it('streams a ReadableStream body', async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('part one, '))
        controller.enqueue(new TextEncoder().encode('part two'))
        controller.close()
      },
    })
    const response = await nodeHttpFetch(`${base}/upload`, { method: 'PUT', body })
    expect(((await response.json()) as { echo: string }).echo).toBe('part one, part two')
    expect(seen.at(-1)?.headers['transfer-encoding']).toBe('chunked')
  })

  it('answers 204 with an empty body', async () => {
    const response = await nodeHttpFetch(`${base}/empty`, { method: 'GET' })
    expect(response.status).toBe(204)
    expect(await response.text()).toBe('')
  })

  it('fails as fetch does when nobody listens: "fetch failed", the reason as the cause', async () => {
    const closed = http.createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise((resolve) => closed.close(resolve))
    const error = await nodeHttpFetch(`http://127.0.0.1:${port}/`, { method: 'GET' }).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(TypeError)
    expect((error as Error).message).toBe('fetch failed')
    expect(((error as Error).cause as Error).message).toBe(`connect ECONNREFUSED 127.0.0.1:${port}`)
  })

  it("rejects with the signal's reason on a timeout", async () => {
    const error = await nodeHttpFetch(`${base}/slow`, {
      method: 'GET',
      signal: AbortSignal.timeout(50),
    }).catch((e: unknown) => e)
    expect((error as Error).name).toBe('TimeoutError')
  })

  it('fails when the connection closes before the answer ends', async () => {
    const error = await nodeHttpFetch(`${base}/cut`, { method: 'GET' }).catch((e: unknown) => e)
    expect((error as Error).message).toBe('fetch failed')
  })
})
