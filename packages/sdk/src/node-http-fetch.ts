import http from 'node:http'
import https from 'node:https'
import { Readable } from 'node:stream'
import type { ReadableStream as NodeReadableStream } from 'node:stream/web'

// Statuses whose answer has no body; a Response refuses one for them.
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304])

/** What fetch rejects with when no answer came: its own wording, the reason as the cause. */
function fetchFailed(cause: unknown): TypeError {
  return new TypeError('fetch failed', { cause })
}

function headersOf(init: RequestInit): Record<string, string> {
  const out: Record<string, string> = {}
  new Headers(init.headers).forEach((value, key) => {
    out[key] = value
  })
  return out
}

function responseHeaders(raw: readonly string[]): Headers {
  const headers = new Headers()
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string)
  return headers
}

/**
 * The SDK's default transport: fetch's contract (a Request's parts in, a Response out, the same
 * errors) over node:http. Node's fetch spends several times the CPU of node:http on a request,
 * and a training job sends a ~75 KB log-batch for every 1000 points, beside the training itself.
 * The answer is read whole before it resolves: Ballast answers JSON, and the SDK reads every
 * answer whole anyway. Bodies other than text, bytes and streams go to the global fetch.
 */
export function nodeHttpFetch(input: string, init: RequestInit): Promise<Response> {
  const body = init.body
  const isStream = body instanceof ReadableStream
  if (
    !(body === undefined || body === null || typeof body === 'string') &&
    !(body instanceof Uint8Array) &&
    !isStream
  ) {
    return fetch(input, init)
  }
  const url = new URL(input)
  const transport = url.protocol === 'https:' ? https : http
  const headers = headersOf(init)
  if (typeof body === 'string' || body instanceof Uint8Array) {
    headers['content-length'] = String(Buffer.byteLength(body))
  }
  const signal = init.signal ?? undefined
  return new Promise<Response>((resolve, reject) => {
    // An abort rejects with the signal's reason, as fetch does (a TimeoutError after a timeout).
    const fail = (error: unknown) => {
      const reason: unknown = signal?.aborted ? signal.reason : undefined
      reject(reason instanceof Error ? reason : fetchFailed(error))
    }
    const request = transport.request(
      url,
      { method: init.method ?? 'GET', headers, ...(signal === undefined ? {} : { signal }) },
      (incoming) => {
        const chunks: Buffer[] = []
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk))
        incoming.on('error', fail)
        incoming.on('close', () => {
          if (!incoming.complete) fail(new Error('the connection closed before the answer ended'))
        })
        incoming.on('end', () => {
          const status = incoming.statusCode ?? 0
          resolve(
            new Response(NULL_BODY_STATUSES.has(status) ? null : Buffer.concat(chunks), {
              status,
              statusText: incoming.statusMessage ?? '',
              headers: responseHeaders(incoming.rawHeaders),
            }),
          )
        })
      },
    )
    request.on('error', fail)
    if (isStream) {
      const source = Readable.fromWeb(body as NodeReadableStream<Uint8Array>)
      source.on('error', (error) => request.destroy(error))
      source.pipe(request)
    } else {
      request.end(body ?? undefined)
    }
  })
}
