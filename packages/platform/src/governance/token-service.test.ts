import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { MetadataStore } from '../storage/index.js'
import { openTestSqliteStore, type TestStore } from '../storage/test-support/test-stores.js'
import { listAudit } from './audit/audit-query.js'
import { createTokenService, hashToken, type TokenService } from './token-service.js'

let testStore: TestStore
let store: MetadataStore
let time: number
let tokens: TokenService

beforeEach(async () => {
  testStore = await openTestSqliteStore()
  store = testStore.store
  time = 1_700_000_000_000
  tokens = createTokenService({ store, clock: () => time })
})
afterEach(async () => {
  await testStore.dispose()
})

const rowOf = (name: string) =>
  store.db.selectFrom('tokens').selectAll().where('name', '=', name).executeTakeFirstOrThrow()

describe('createToken', () => {
  it('returns the secret once and stores only its SHA-256', async () => {
    const created = await tokens.createToken({ name: 'ci', role: 'editor' }, 'admin-1')
    expect(created.token).toMatch(/^blst_[A-Za-z0-9_-]{43}$/)
    const [entry] = await listAudit(store.db, { limit: 5 })
    expect(entry).toMatchObject({
      actor: 'admin-1',
      action: 'token.create',
      target: 'token:ci',
      time,
      detail: { tokenId: created.tokenId, role: 'editor' },
    })
    // Neither the secret nor its hash reaches the log.
    expect(JSON.stringify(entry)).not.toContain(created.token.slice(5))
    expect(JSON.stringify(entry)).not.toContain(hashToken(created.token))
    expect(created).toMatchObject({ name: 'ci', role: 'editor', createdAt: time })
    const row = await rowOf('ci')
    expect(row.token_hash).toBe(hashToken(created.token))
    expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/)
    expect(Object.values(row)).not.toContain(created.token)
    expect(JSON.stringify(row)).not.toContain(created.token.slice(5))
    expect(row).toMatchObject({
      token_id: created.tokenId,
      role: 'editor',
      last_used_at: null,
      revoked_at: null,
    })
  })

  it('makes a different secret every time', async () => {
    const a = await tokens.createToken({ name: 'a', role: 'viewer' })
    const b = await tokens.createToken({ name: 'b', role: 'viewer' })
    expect(a.token).not.toBe(b.token)
    expect(a.tokenId).not.toBe(b.tokenId)
  })

  it('refuses a name already taken, even by a revoked token', async () => {
    await tokens.createToken({ name: 'ci', role: 'viewer' })
    await tokens.revokeToken('ci')
    await expect(tokens.createToken({ name: 'ci', role: 'admin' })).rejects.toMatchObject({
      code: 'RESOURCE_ALREADY_EXISTS',
      message: "token 'ci' already exists (names stay taken after a revoke)",
    })
    expect(await tokens.listTokens()).toHaveLength(1)
  })

  it('names the bad name or role', async () => {
    await expect(tokens.createToken({ name: 'has space', role: 'viewer' })).rejects.toMatchObject({
      code: 'INVALID_PARAMETER_VALUE',
      message: expect.stringContaining("parameter 'name': 'has space'"),
    })
    await expect(
      tokens.createToken({ name: 'x'.repeat(65), role: 'viewer' }),
    ).rejects.toMatchObject({
      code: 'INVALID_PARAMETER_VALUE',
    })
    await expect(tokens.createToken({ name: 'ok', role: 'root' })).rejects.toMatchObject({
      code: 'INVALID_PARAMETER_VALUE',
      message: "Invalid value for parameter 'role': 'root' must be one of viewer, editor, admin",
    })
  })
})

describe('listTokens', () => {
  it('lists every token without secrets or hashes', async () => {
    const ci = await tokens.createToken({ name: 'ci', role: 'editor' })
    time += 1
    await tokens.createToken({ name: 'alice', role: 'admin' })
    const list = await tokens.listTokens()
    expect(list).toEqual([
      {
        tokenId: ci.tokenId,
        name: 'ci',
        role: 'editor',
        createdAt: time - 1,
        lastUsedAt: null,
        revokedAt: null,
      },
      expect.objectContaining({ name: 'alice', role: 'admin', createdAt: time }),
    ])
    expect(Object.keys(list[1]!).sort()).toEqual([
      'createdAt',
      'lastUsedAt',
      'name',
      'revokedAt',
      'role',
      'tokenId',
    ])
  })
})

describe('authenticate', () => {
  it('maps a secret to its actor and refuses anything else', async () => {
    const { token } = await tokens.createToken({ name: 'ci', role: 'editor' })
    expect(await tokens.authenticate(token)).toEqual({ kind: 'token', name: 'ci', role: 'editor' })
    expect(await tokens.authenticate(`${token}x`)).toBeUndefined()
    expect(await tokens.authenticate('not-a-ballast-token')).toBeUndefined()
    expect(await tokens.authenticate('')).toBeUndefined()
  })

  it('refuses a revoked token at once in the revoking process', async () => {
    const { token } = await tokens.createToken({ name: 'ci', role: 'editor' })
    expect(await tokens.authenticate(token)).toBeDefined()
    const revoked = await tokens.revokeToken('ci')
    expect(revoked.revokedAt).toBe(time)
    expect(await tokens.authenticate(token)).toBeUndefined()
  })

  it('sees a revoke made by another process once its cache entry expires (5 s)', async () => {
    const other = createTokenService({ store, clock: () => time })
    const { token } = await tokens.createToken({ name: 'ci', role: 'viewer' })
    expect(await tokens.authenticate(token)).toBeDefined()
    await other.revokeToken('ci')
    time += 4_999
    expect(await tokens.authenticate(token)).toBeDefined()
    time += 1
    expect(await tokens.authenticate(token)).toBeUndefined()
  })

  it('records the last use at most once a minute', async () => {
    const { token } = await tokens.createToken({ name: 'ci', role: 'viewer' })
    const created = time
    await tokens.authenticate(token)
    expect((await rowOf('ci')).last_used_at).toBe(created)
    time += 30_000
    await tokens.authenticate(token)
    expect((await rowOf('ci')).last_used_at).toBe(created)
    time += 30_000
    await tokens.authenticate(token)
    expect((await rowOf('ci')).last_used_at).toBe(created + 60_000)
  })
})

describe('revokeToken', () => {
  it('revokes by id, keeps the first revoke time, and names an unknown token', async () => {
    const { tokenId } = await tokens.createToken({ name: 'ci', role: 'viewer' })
    const first = await tokens.revokeToken(tokenId)
    expect(first).toMatchObject({ name: 'ci', revokedAt: time })
    time += 1000
    expect((await tokens.revokeToken('ci')).revokedAt).toBe(time - 1000)
    await expect(tokens.revokeToken('nope')).rejects.toMatchObject({
      code: 'RESOURCE_DOES_NOT_EXIST',
      message: "token 'nope' does not exist",
    })
  })
})
