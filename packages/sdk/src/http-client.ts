import { AppError, InvalidParameterError } from '@ballast/contracts'
import { backoffDelay, retryAfterMs, sleep } from './backoff.js'
import { nodeHttpFetch } from './node-http-fetch.js'
import { toQueryString } from './query-string.js'
import { errorFromResponse, unreachableError } from './response-error.js'

/**
 * The transport: fetch's contract (by default over node:http), or anything that answers a Request
 * the same way (`app.request`, the global `fetch`).
 */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response> | Response

export interface HttpClientOptions {
  /** Base URL of the Ballast server, e.g. `http://127.0.0.1:5000`. */
  url: string
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string
  fetch?: FetchLike
  /** Retries after a network failure, a 429 or a 5xx (default 4, so at most 5 attempts). */
  retries?: number
  /** First retry waits about this long; every retry doubles it (default 250 ms). */
  retryBaseDelayMs?: number
  /** No single wait is longer than this (default 8000 ms). */
  retryMaxDelayMs?: number
  /** An attempt with no answer after this long counts as a network failure (default 60 s). */
  timeoutMs?: number
}

export interface SendOptions {
  method: string
  /** Absolute path on the server, starting with `/`. */
  path: string
  query?: object
  /** Builds the body for each attempt, so that a stream can be opened again for a retry. */
  body?: () => NonNullable<RequestInit['body']>
  contentType?: string
  /** More request headers (such as a suite sent with a dataset upload). */
  headers?: Record<string, string>
  /** Uploads can take longer than any fixed timeout; they rely on the server's limits instead. */
  noTimeout?: boolean
}

function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status !== 501)
}

/** Speaks HTTP to Ballast: URLs, credentials, retries and typed errors. */
export class HttpClient {
  readonly baseUrl: string
  private readonly token: string | undefined
  private readonly fetchFn: FetchLike
  private readonly retries: number
  private readonly baseDelayMs: number
  private readonly maxDelayMs: number
  private readonly timeoutMs: number

  constructor(options: HttpClientOptions) {
    let parsed: URL
    try {
      parsed = new URL(options.url)
    } catch {
      throw new InvalidParameterError(`invalid url '${options.url}': expected http://host:port`)
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new InvalidParameterError(`invalid url '${options.url}': expected http:// or https://`)
    }
    this.baseUrl = `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`
    this.token = options.token
    this.fetchFn = options.fetch ?? nodeHttpFetch
    this.retries = nonNegativeInteger('retries', options.retries ?? 4)
    this.baseDelayMs = nonNegativeInteger('retryBaseDelayMs', options.retryBaseDelayMs ?? 250)
    this.maxDelayMs = nonNegativeInteger('retryMaxDelayMs', options.retryMaxDelayMs ?? 8000)
    this.timeoutMs = nonNegativeInteger('timeoutMs', options.timeoutMs ?? 60_000)
  }

  /** JSON in, JSON out. GET and HEAD send `body` as the query string. */
  async request<T>(method: string, path: string, body?: object): Promise<T> {
    const verb = method.toUpperCase()
    const inQuery = verb === 'GET' || verb === 'HEAD'
    const json = !inQuery && body !== undefined ? JSON.stringify(body) : undefined
    const response = await this.send({
      method: verb,
      path,
      query: inQuery ? body : undefined,
      body: json === undefined ? undefined : () => json,
      contentType: json === undefined ? undefined : 'application/json',
    })
    const text = await response.text()
    if (text.trim() === '') return {} as T
    try {
      return JSON.parse(text) as T
    } catch (cause) {
      throw new AppError('INTERNAL_ERROR', `${verb} ${path} answered with invalid JSON`, { cause })
    }
  }

  /** One request, retried on network failures, 429 and 5xx; any other non-2xx throws at once. */
  async send(options: SendOptions): Promise<Response> {
    if (!options.path.startsWith('/')) {
      throw new InvalidParameterError(`invalid path '${options.path}': must start with /`)
    }
    const url = `${this.baseUrl}${options.path}${toQueryString(options.query)}`
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers }
    if (options.contentType !== undefined) headers['content-type'] = options.contentType
    if (this.token !== undefined) headers.authorization = `Bearer ${this.token}`
    for (let attempt = 1; ; attempt++) {
      const body = options.body?.()
      const init: RequestInit & { duplex?: 'half' } = { method: options.method, headers, body }
      // A stream body needs half-duplex in Node's fetch.
      if (body instanceof ReadableStream) init.duplex = 'half'
      if (!options.noTimeout && this.timeoutMs > 0)
        init.signal = AbortSignal.timeout(this.timeoutMs)
      let response: Response
      try {
        response = await this.fetchFn(url, init)
      } catch (cause) {
        if (attempt > this.retries) throw unreachableError(url, cause)
        await sleep(backoffDelay(attempt, this.baseDelayMs, this.maxDelayMs))
        continue
      }
      if (response.ok) return response
      // Read the body either way: it holds the error, and an unread body keeps the socket busy.
      const text = await response.text()
      if (!isRetryableStatus(response.status) || attempt > this.retries) {
        throw errorFromResponse(response.status, text, options)
      }
      const wait = backoffDelay(attempt, this.baseDelayMs, this.maxDelayMs)
      const asked = retryAfterMs(response.headers.get('retry-after'))
      await sleep(asked === undefined ? wait : Math.max(wait, Math.min(asked, this.maxDelayMs)))
    }
  }
}

function nonNegativeInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) {
    throw new InvalidParameterError(`invalid ${name} ${value}: expected an integer >= 0`)
  }
  return value
}
