import type { FetchLike } from '../http-client.js'

export interface RecordedCall {
  method: string
  path: string
  query: URLSearchParams
  headers: Headers
  /** The JSON body, parsed; undefined when there was none. */
  json: unknown
  /** The raw body text, for comparing resent requests byte for byte. */
  text: string
}

export type Responder = (call: RecordedCall) => Response | Promise<Response>

export function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  })
}

/** A fetch that records every call and answers with `respond`; a thrown error is a network failure. */
export function fakeFetch(respond: Responder): { fetch: FetchLike; calls: RecordedCall[] } {
  const calls: RecordedCall[] = []
  const fetch: FetchLike = async (input, init) => {
    const url = new URL(input)
    const text =
      init.body === undefined || init.body === null ? '' : await new Response(init.body).text()
    const call: RecordedCall = {
      method: init.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: new Headers(init.headers),
      json: text === '' ? undefined : safeParse(text),
      text,
    }
    calls.push(call)
    return respond(call)
  }
  return { fetch, calls }
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
