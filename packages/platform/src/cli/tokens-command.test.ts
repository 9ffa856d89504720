import { afterAll, describe, expect, it } from 'vitest'
import { cliSandbox } from './test-support/run-cli.js'

describe('ballast tokens', () => {
  const sandbox = cliSandbox()
  afterAll(() => sandbox.dispose())

  it('creates a token and prints its secret once, with a warning', async () => {
    const result = await sandbox.run(['tokens', 'create', '--name', 'ci', '--role', 'editor'])
    expect(result.code).toBe(0)
    const lines = result.stdout.split('\n')
    expect(lines[0]).toBe("created token 'ci' with role editor")
    expect(lines[1]!.length).toBeGreaterThanOrEqual(32)
    expect(lines[2]).toBe('This secret will not be shown again: store it now.')
  })

  it('prints the API JSON with --json; list never shows a secret', async () => {
    const created = await sandbox.json<Record<string, unknown>>([
      'tokens',
      'create',
      '--name',
      'bot',
      '--role',
      'viewer',
    ])
    expect(Object.keys(created).sort()).toEqual(['created_at', 'name', 'role', 'token', 'token_id'])
    expect(created).toMatchObject({ name: 'bot', role: 'viewer' })

    const list = await sandbox.json<{ tokens: Array<Record<string, unknown>> }>(['tokens', 'list'])
    expect(list.tokens.map((t) => [t.name, t.role]).sort()).toEqual([
      ['bot', 'viewer'],
      ['ci', 'editor'],
    ])
    expect(JSON.stringify(list)).not.toContain(created.token as string)
  })

  it('revokes a token by name; the list shows when', async () => {
    const revoked = await sandbox.run(['tokens', 'revoke', 'bot'])
    expect(revoked).toMatchObject({ code: 0, stdout: "revoked token 'bot'\n" })
    const table = await sandbox.run(['tokens', 'list'])
    const bot = table.stdout.split('\n').find((l) => l.startsWith('bot '))!
    expect(bot).toMatch(
      /^bot +viewer +\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ +- +\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ +\S+$/,
    )
  })

  it('exits 3 for an unknown token and 2 for an unknown role', async () => {
    const missing = await sandbox.run(['tokens', 'revoke', 'nobody'])
    expect(missing.code).toBe(3)
    expect(missing.stderr).toMatch(/^error: .*nobody/)
    const badRole = await sandbox.run(['tokens', 'create', '--name', 'x', '--role', 'owner'])
    expect(badRole.code).toBe(2)
    expect(badRole.stderr).toMatch(/^error: .*owner/)
  })
})
