import { isIP } from 'node:net'

/**
 * Which non-public class an IP address belongs to, so that a webhook cannot be pointed into the
 * network the server sits in (cloud metadata, localhost admin ports, the private LAN).
 */
export type AddressClass =
  | 'cloud metadata'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'carrier-grade NAT'
  | 'multicast'
  | 'broadcast'
  | 'reserved'

interface V4Range {
  base: number
  bits: number
  kind: AddressClass
}

// First match wins: the metadata address sits inside link-local and is named for what it is.
const V4_RANGES: V4Range[] = [
  { base: ipv4(169, 254, 169, 254), bits: 32, kind: 'cloud metadata' },
  { base: ipv4(0, 0, 0, 0), bits: 8, kind: 'unspecified' },
  { base: ipv4(127, 0, 0, 0), bits: 8, kind: 'loopback' },
  { base: ipv4(10, 0, 0, 0), bits: 8, kind: 'private' },
  { base: ipv4(172, 16, 0, 0), bits: 12, kind: 'private' },
  { base: ipv4(192, 168, 0, 0), bits: 16, kind: 'private' },
  { base: ipv4(169, 254, 0, 0), bits: 16, kind: 'link-local' },
  { base: ipv4(100, 64, 0, 0), bits: 10, kind: 'carrier-grade NAT' },
  { base: ipv4(192, 0, 0, 0), bits: 24, kind: 'reserved' },
  { base: ipv4(198, 18, 0, 0), bits: 15, kind: 'reserved' },
  { base: ipv4(224, 0, 0, 0), bits: 4, kind: 'multicast' },
  { base: ipv4(255, 255, 255, 255), bits: 32, kind: 'broadcast' },
  { base: ipv4(240, 0, 0, 0), bits: 4, kind: 'reserved' },
]

interface V6Range {
  base: bigint
  bits: number
  /** A class, or `embedded`: the low 32 bits are an IPv4 address that decides. */
  kind: AddressClass | 'embedded'
  prefix?: string
}

const V6_RANGES: V6Range[] = [
  { base: parseIPv6('fd00:ec2::254'), bits: 128, kind: 'cloud metadata' },
  { base: 0n, bits: 128, kind: 'unspecified' },
  { base: 1n, bits: 128, kind: 'loopback' },
  { base: parseIPv6('::ffff:0:0'), bits: 96, kind: 'embedded', prefix: 'IPv4-mapped' },
  // NAT64 gateways forward these to the embedded IPv4 address.
  { base: parseIPv6('64:ff9b::'), bits: 96, kind: 'embedded', prefix: 'NAT64' },
  // The deprecated IPv4-compatible form (::a.b.c.d).
  { base: 0n, bits: 96, kind: 'embedded', prefix: 'IPv4-compatible' },
  { base: parseIPv6('fc00::'), bits: 7, kind: 'private' },
  { base: parseIPv6('fec0::'), bits: 10, kind: 'private' },
  { base: parseIPv6('fe80::'), bits: 10, kind: 'link-local' },
  { base: parseIPv6('ff00::'), bits: 8, kind: 'multicast' },
]

/**
 * The class of a non-public address in words ("loopback", "IPv4-mapped private"), or null for a
 * public one. Throws on a string that is not an IP address.
 */
export function addressClass(address: string): string | null {
  const family = isIP(stripZone(address))
  if (family === 4) return v4Class(parseIPv4(address))
  if (family === 6) {
    const value = parseIPv6(address)
    for (const range of V6_RANGES) {
      if (!inRange128(value, range.base, range.bits)) continue
      if (range.kind !== 'embedded') return range.kind
      const inner = v4Class(Number(value & 0xffffffffn))
      return inner === null ? null : `${range.prefix} ${inner}`
    }
    return null
  }
  throw new Error(`not an IP address: ${address}`)
}

/** "a loopback address", "an IPv4-mapped private address". */
export function describeAddressClass(kind: string): string {
  return `${/^[aeiouAEIOU]/.test(kind) ? 'an' : 'a'} ${kind} address`
}

function v4Class(value: number): AddressClass | null {
  for (const range of V4_RANGES) {
    const mask = range.bits === 0 ? 0 : (0xffffffff << (32 - range.bits)) >>> 0
    if ((value & mask) >>> 0 === (range.base & mask) >>> 0) return range.kind
  }
  return null
}

function inRange128(value: bigint, base: bigint, bits: number): boolean {
  const shift = BigInt(128 - bits)
  return value >> shift === base >> shift
}

function ipv4(a: number, b: number, c: number, d: number): number {
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0
}

function stripZone(address: string): string {
  const zone = address.indexOf('%')
  return zone < 0 ? address : address.slice(0, zone)
}

/** Dotted-quad IPv4 (as `isIP` accepts it) to a 32-bit unsigned number. */
function parseIPv4(address: string): number {
  const [a = 0, b = 0, c = 0, d = 0] = address.split('.').map(Number)
  return ipv4(a, b, c, d)
}

/** IPv6 text (with `::` and an optional trailing dotted quad) to a 128-bit number. */
function parseIPv6(address: string): bigint {
  let text = stripZone(address).toLowerCase()
  const lastColon = text.lastIndexOf(':')
  const tail = text.slice(lastColon + 1)
  if (tail.includes('.')) {
    const v4 = parseIPv4(tail)
    text = `${text.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`
  }
  const [head = '', rest] = text.split('::')
  const headGroups = head === '' ? [] : head.split(':')
  const restGroups = rest === undefined || rest === '' ? [] : rest.split(':')
  const fill = rest === undefined ? 0 : 8 - headGroups.length - restGroups.length
  const groups = [...headGroups, ...Array<string>(fill).fill('0'), ...restGroups]
  return groups.reduce((acc, group) => (acc << 16n) | BigInt(parseInt(group, 16)), 0n)
}
