import { request as httpRequest } from 'node:http'
import type { IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { CheckedUrl } from './webhook-url.js'
import { pinnedLookup } from './webhook-url.js'

export interface WebhookResponse {
  status: number
  /** The start of the response body, for the delivery's last error. */
  excerpt: string
}

const EXCERPT_BYTES = 200

/**
 * POSTs `body` to a checked URL, connecting only to its checked addresses (the Host header and
 * TLS server name stay the URL's host). Redirects are not followed: the answer is returned as is.
 * Rejects on a connection error or when no full answer came within `timeoutMs`.
 */
export function postWebhook(input: {
  checked: CheckedUrl
  body: string
  headers: Record<string, string>
  timeoutMs: number
}): Promise<WebhookResponse> {
  const { url, addresses } = input.checked
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      req.destroy(new Error(`no answer within ${input.timeoutMs} ms`))
    }, input.timeoutMs)
    const done = (error: Error | null, response?: WebhookResponse) => {
      clearTimeout(timer)
      if (error !== null) reject(error)
      else if (response !== undefined) resolve(response)
    }
    const req = send(
      {
        method: 'POST',
        protocol: url.protocol,
        hostname,
        port: url.port === '' ? undefined : Number(url.port),
        path: `${url.pathname}${url.search}`,
        headers: { ...input.headers, 'content-length': String(Buffer.byteLength(input.body)) },
        lookup: pinnedLookup(addresses),
        // A fresh connection each time: a pooled socket may lead to an address checked earlier.
        agent: false,
      },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = []
        let kept = 0
        res.on('data', (chunk: Buffer) => {
          if (kept < EXCERPT_BYTES) {
            chunks.push(chunk)
            kept += chunk.length
          }
        })
        res.on('end', () => {
          const excerpt = Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8').trim()
          done(null, { status: res.statusCode ?? 0, excerpt })
        })
        res.on('error', (error) => done(error))
      },
    )
    req.on('error', (error) => done(error))
    req.end(input.body)
  })
}
