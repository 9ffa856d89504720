import { describe, expect, it } from 'vitest'
import { checkWebhookUrl, pinnedLookup, WebhookHostUnresolvedError } from './webhook-url.js'
import type { LookupFn, ResolvedAddress } from './webhook-url.js'

/** A resolver answering from a table, counting its calls. */
function fakeDns(table: Record<string, string[]>) {
  const calls: string[] = []
  const lookup: LookupFn = async (host) => {
    calls.push(host)
    const found = table[host]
    if (found === undefined) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' })
    return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }))
  }
  return { lookup, calls }
}

const HINT = '(set monitoring.allowPrivateWebhooks to allow private addresses)'

describe('checkWebhookUrl', () => {
  it('accepts a public host and returns its addresses', async () => {
    const dns = fakeDns({
      'hooks.example.com': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
    })
    const checked = await checkWebhookUrl('https://hooks.example.com/x?y=1', {
      allowPrivate: false,
      lookup: dns.lookup,
    })
    expect(checked.url.href).toBe('https://hooks.example.com/x?y=1')
    expect(checked.addresses).toEqual([
      { address: '93.184.215.14', family: 4 },
      { address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 },
    ])
  })

  it.each([
    ['127.0.0.1', 'a loopback address'],
    ['127.255.0.9', 'a loopback address'],
    ['::1', 'a loopback address'],
    ['0.0.0.0', 'an unspecified address'],
    ['::', 'an unspecified address'],
    ['10.1.2.3', 'a private address'],
    ['172.16.0.1', 'a private address'],
    ['172.31.255.255', 'a private address'],
    ['192.168.1.1', 'a private address'],
    ['fc00::1', 'a private address'],
    ['fd12:3456::1', 'a private address'],
    ['169.254.1.1', 'a link-local address'],
    ['fe80::1', 'a link-local address'],
    ['100.64.0.1', 'a carrier-grade NAT address'],
    ['100.127.255.254', 'a carrier-grade NAT address'],
    ['224.0.0.1', 'a multicast address'],
    ['239.255.255.250', 'a multicast address'],
    ['ff02::1', 'a multicast address'],
    ['255.255.255.255', 'a broadcast address'],
    ['169.254.169.254', 'a cloud metadata address'],
    ['fd00:ec2::254', 'a cloud metadata address'],
    ['::ffff:127.0.0.1', 'an IPv4-mapped loopback address'],
    ['::ffff:169.254.169.254', 'an IPv4-mapped cloud metadata address'],
    ['::ffff:10.0.0.1', 'an IPv4-mapped private address'],
    ['64:ff9b::a00:1', 'a NAT64 private address'],
  ])('refuses a host resolving to %s (%s)', async (address, kind) => {
    const dns = fakeDns({ 'evil.example.com': ['93.184.215.14', address] })
    await expect(
      checkWebhookUrl('http://evil.example.com/hook', { allowPrivate: false, lookup: dns.lookup }),
    ).rejects.toThrow(
      `webhook URL 'http://evil.example.com/hook' is refused: it resolves to ${address}, ${kind} ${HINT}`,
    )
  })

  it.each([
    ['http://127.0.0.1:8080/', '127.0.0.1', 'a loopback address'],
    ['http://2130706433/', '127.0.0.1', 'a loopback address'],
    ['http://0x7f.1/', '127.0.0.1', 'a loopback address'],
    ['http://0177.0.0.1/', '127.0.0.1', 'a loopback address'],
    ['http://0/', '0.0.0.0', 'an unspecified address'],
    ['http://0xa9fea9fe/latest/meta-data/', '169.254.169.254', 'a cloud metadata address'],
    ['http://[::1]/', '::1', 'a loopback address'],
    ['http://[::ffff:127.0.0.1]/', '::ffff:7f00:1', 'an IPv4-mapped loopback address'],
    ['http://[::ffff:a9fe:a9fe]/', '::ffff:a9fe:a9fe', 'an IPv4-mapped cloud metadata address'],
    ['http://[fe80::1]/', 'fe80::1', 'a link-local address'],
    ['http://[fd00:ec2::254]/', 'fd00:ec2::254', 'a cloud metadata address'],
  ])('checks the IP literal %s without DNS', async (url, address, kind) => {
    const dns = fakeDns({})
    await expect(checkWebhookUrl(url, { allowPrivate: false, lookup: dns.lookup })).rejects.toThrow(
      `is refused: it points at ${address}, ${kind} ${HINT}`,
    )
    expect(dns.calls).toEqual([])
  })

  it('accepts a public IP literal without DNS', async () => {
    const dns = fakeDns({})
    const checked = await checkWebhookUrl('http://[2606:4700::1111]:8443/h', {
      allowPrivate: false,
      lookup: dns.lookup,
    })
    expect(checked.addresses).toEqual([{ address: '2606:4700::1111', family: 6 }])
    expect(dns.calls).toEqual([])
  })

  it('refuses the metadata host by name, before DNS', async () => {
    const dns = fakeDns({ 'metadata.google.internal': ['8.8.8.8'] })
    await expect(
      checkWebhookUrl('http://Metadata.Google.Internal./computeMetadata/v1/', {
        allowPrivate: false,
        lookup: dns.lookup,
      }),
    ).rejects.toThrow('metadata.google.internal is a cloud metadata service')
    expect(dns.calls).toEqual([])
  })

  it('allows every private class when allowPrivate is set', async () => {
    const dns = fakeDns({
      'svc.internal': ['10.0.0.5', '::1'],
      'metadata.google.internal': ['169.254.169.254'],
    })
    const opts = { allowPrivate: true, lookup: dns.lookup }
    expect((await checkWebhookUrl('http://svc.internal/', opts)).addresses).toEqual([
      { address: '10.0.0.5', family: 4 },
      { address: '::1', family: 6 },
    ])
    expect((await checkWebhookUrl('http://0x7f.1:9/', opts)).addresses).toEqual([
      { address: '127.0.0.1', family: 4 },
    ])
    await expect(checkWebhookUrl('http://metadata.google.internal/', opts)).resolves.toBeTruthy()
  })

  it('refuses other schemes and credentials even when private addresses are allowed', async () => {
    const opts = { allowPrivate: true, lookup: fakeDns({}).lookup }
    await expect(checkWebhookUrl('ftp://example.com/', opts)).rejects.toThrow(
      "webhook URL 'ftp://example.com/' is refused: only http and https are allowed, not ftp",
    )
    await expect(checkWebhookUrl('file:///etc/passwd', opts)).rejects.toThrow('not file')
    const refused = checkWebhookUrl('https://user:hunter2@example.com/', opts)
    await expect(refused).rejects.toThrow(
      "webhook URL 'https://***@example.com/' is refused: it carries credentials",
    )
    await expect(refused).rejects.not.toThrow('hunter2')
    await expect(checkWebhookUrl('not a url', opts)).rejects.toThrow(
      "webhook URL 'not a url' is not a valid URL",
    )
  })

  it('reports an unresolvable host with its own error class (senders retry it)', async () => {
    const failure = checkWebhookUrl('https://nowhere.example.com/', {
      allowPrivate: false,
      lookup: fakeDns({}).lookup,
    })
    await expect(failure).rejects.toBeInstanceOf(WebhookHostUnresolvedError)
    await expect(failure).rejects.toMatchObject({
      code: 'INVALID_PARAMETER_VALUE',
      message:
        "webhook URL 'https://nowhere.example.com/' cannot be used: host nowhere.example.com does not resolve (ENOTFOUND)",
    })
  })
})

describe('pinnedLookup', () => {
  const addresses: ResolvedAddress[] = [
    { address: '93.184.215.14', family: 4 },
    { address: '2606:2800::1', family: 6 },
  ]

  it('answers only with the checked addresses', () => {
    const lookup = pinnedLookup(addresses)
    const answers: unknown[] = []
    lookup('attacker-rebinds.example.com', { all: true }, (_err, result) => answers.push(result))
    lookup('attacker-rebinds.example.com', {}, (_err, address, family) =>
      answers.push([address, family]),
    )
    lookup('attacker-rebinds.example.com', { family: 6 }, (_err, address, family) =>
      answers.push([address, family]),
    )
    expect(answers).toEqual([addresses, ['93.184.215.14', 4], ['2606:2800::1', 6]])
  })
})
