import { describe, expect, it } from 'vitest'
import { openTestSqliteStore } from '../../storage/test-support/test-stores.js'
import { canonicalJson, entryHash, stateDigest } from './audit-log.js'
import { runAuditContract } from './test-support/audit-contract.js'

describe('audit log on SQLite', () => {
  runAuditContract({ open: openTestSqliteStore })
})

describe('canonical JSON and digests', () => {
  it('sorts keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    )
  })

  it('digests no state as null and equal states alike whatever their key order', () => {
    expect(stateDigest(undefined)).toBeNull()
    expect(stateDigest(null)).toBeNull()
    // sha256 of the text {"a":1,"b":2}, as `printf '{"a":1,"b":2}' | sha256sum` prints it.
    expect(stateDigest({ b: 2, a: 1 })).toBe(
      '43258cff783fe7036d8a43033f830adfc60ec037382473548ac742b888292777',
    )
  })

  it('hashes every field: changing any one changes the hash', () => {
    const entry = {
      seq: 1,
      time: 1,
      actor: 'a',
      action: 'x.y',
      target: 'k:n',
      beforeDigest: null,
      afterDigest: null,
      detail: null,
      prevHash: '0'.repeat(64),
    }
    const base = entryHash(entry)
    const changed = [
      { seq: 2 },
      { time: 2 },
      { actor: 'b' },
      { action: 'x.z' },
      { target: 'k:m' },
      { beforeDigest: 'd' },
      { afterDigest: 'd' },
      { detail: {} },
      { prevHash: '1'.repeat(64) },
    ].map((patch) => entryHash({ ...entry, ...patch }))
    expect(new Set([base, ...changed]).size).toBe(10)
  })
})
