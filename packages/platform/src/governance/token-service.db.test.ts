import { afterEach, beforeEach, expect, it } from 'vitest'
import { openTestPostgresStore, type TestStore } from '../storage/test-support/test-stores.js'
import { createTokenService, hashToken } from './token-service.js'

let testStore: TestStore
beforeEach(async () => {
  testStore = await openTestPostgresStore()
})
afterEach(async () => {
  await testStore.dispose()
})

it('creates, authenticates and revokes on PostgreSQL, storing only the hash', async () => {
  const tokens = createTokenService({ store: testStore.store })
  const created = await tokens.createToken({ name: 'ci', role: 'admin' })
  const row = await testStore.store.db.selectFrom('tokens').selectAll().executeTakeFirstOrThrow()
  expect(row.token_hash).toBe(hashToken(created.token))
  expect(typeof row.created_at).toBe('number')
  await expect(tokens.createToken({ name: 'ci', role: 'viewer' })).rejects.toMatchObject({
    code: 'RESOURCE_ALREADY_EXISTS',
  })
  expect(await tokens.authenticate(created.token)).toEqual({
    kind: 'token',
    name: 'ci',
    role: 'admin',
  })
  expect((await tokens.listTokens())[0]?.lastUsedAt).toEqual(expect.any(Number))
  await tokens.revokeToken('ci')
  expect(await tokens.authenticate(created.token)).toBeUndefined()
})
