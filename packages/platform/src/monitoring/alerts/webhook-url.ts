import { lookup as dnsLookup } from 'node:dns/promises'
import type { LookupFunction } from 'node:net'
import { isIP } from 'node:net'
import { InvalidParameterError } from '@ballast/contracts'
import { addressClass, describeAddressClass } from './ip-address-class.js'

export interface ResolvedAddress {
  address: string
  family: 4 | 6
}

/** Resolves a host name to every address it has (node:dns `lookup` with `all: true`). */
export type LookupFn = (hostname: string) => Promise<ResolvedAddress[]>

export interface CheckedUrl {
  url: URL
  /** The addresses the host had when checked: the request goes to these and no others. */
  addresses: ResolvedAddress[]
}

/** The host name did not resolve: a webhook can still work later, so senders retry it. */
export class WebhookHostUnresolvedError extends InvalidParameterError {}

// Cloud metadata services reachable by name; their addresses are refused as well.
const METADATA_HOSTS = new Set(['metadata.google.internal', 'metadata.goog', 'metadata'])

const RELAX_HINT = '(set monitoring.allowPrivateWebhooks to allow private addresses)'

export const defaultLookup: LookupFn = async (hostname) => {
  const found = await dnsLookup(hostname, { all: true, verbatim: true })
  return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }))
}

/**
 * Checks that a webhook URL is http(s), carries no credentials, and — unless `allowPrivate` —
 * that every address its host resolves to is public. IP literals (in any form WHATWG URL
 * normalizes, such as `http://2130706433/`) are checked without DNS.
 */
export async function checkWebhookUrl(
  url: string,
  options: { allowPrivate: boolean; lookup?: LookupFn },
): Promise<CheckedUrl> {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new InvalidParameterError(`webhook URL '${url}' is not a valid URL`)
  }
  const shown = redactUrl(parsed)
  const refuse = (reason: string) =>
    new InvalidParameterError(`webhook URL '${shown}' is refused: ${reason}`)
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw refuse(`only http and https are allowed, not ${parsed.protocol.slice(0, -1)}`)
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw refuse('it carries credentials; put them in the signing secret instead')
  }
  const host = parsed.hostname.startsWith('[') ? parsed.hostname.slice(1, -1) : parsed.hostname
  const family = isIP(host)
  if (family !== 0) {
    const addresses: ResolvedAddress[] = [{ address: host, family: family === 6 ? 6 : 4 }]
    if (!options.allowPrivate) refusePrivate(addresses, 'it points at', refuse)
    return { url: parsed, addresses }
  }
  const name = host.toLowerCase().replace(/\.$/, '')
  if (!options.allowPrivate && METADATA_HOSTS.has(name)) {
    throw refuse(`${name} is a cloud metadata service ${RELAX_HINT}`)
  }
  let addresses: ResolvedAddress[]
  try {
    addresses = await (options.lookup ?? defaultLookup)(host)
  } catch (error) {
    const code = (error as { code?: unknown }).code
    throw new WebhookHostUnresolvedError(
      `webhook URL '${shown}' cannot be used: host ${host} does not resolve (${typeof code === 'string' ? code : String(error)})`,
      { cause: error },
    )
  }
  if (addresses.length === 0) {
    throw new WebhookHostUnresolvedError(
      `webhook URL '${shown}' cannot be used: host ${host} resolves to no address`,
    )
  }
  if (!options.allowPrivate) refusePrivate(addresses, 'it resolves to', refuse)
  return { url: parsed, addresses }
}

function refusePrivate(
  addresses: ResolvedAddress[],
  verb: string,
  refuse: (reason: string) => Error,
): void {
  for (const { address } of addresses) {
    const kind = addressClass(address)
    if (kind !== null) {
      throw refuse(`${verb} ${address}, ${describeAddressClass(kind)} ${RELAX_HINT}`)
    }
  }
}

/**
 * A `lookup` for node:http that answers only with the checked addresses, so that the connection
 * goes where the check looked (no second DNS answer between check and connect).
 */
export function pinnedLookup(addresses: ResolvedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const first = addresses[0]
    if (first === undefined) {
      callback(new Error('no checked address to connect to'), '', 4)
      return
    }
    const wanted = options.family === 4 || options.family === 6 ? options.family : 0
    const usable = wanted === 0 ? addresses : addresses.filter((a) => a.family === wanted)
    if (options.all) {
      callback(null, usable)
    } else {
      const pick = usable[0] ?? first
      callback(null, pick.address, pick.family)
    }
  }
}

/** The URL as it may appear in messages and logs: credentials masked. */
function redactUrl(url: URL): string {
  if (url.username === '' && url.password === '') return url.href
  const copy = new URL(url.href)
  copy.username = '***'
  copy.password = ''
  return copy.href
}
