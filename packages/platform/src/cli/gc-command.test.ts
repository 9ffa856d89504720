import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatBytes } from './gc-command.js'
import { cliSandbox } from './test-support/run-cli.js'

const ORPHAN = 'stored, never recorded'
const ORPHAN_SHA256 = createHash('sha256').update(ORPHAN).digest('hex')

describe('ballast gc', () => {
  const sandbox = cliSandbox()
  beforeAll(async () => {
    await sandbox.seed(async (_ballast, runtime) => {
      await runtime.services.artifacts.put(new TextEncoder().encode(ORPHAN))
    })
  })
  afterAll(() => sandbox.dispose())

  it('keeps blobs younger than a week by default', async () => {
    const result = await sandbox.run(['gc'])
    expect(result.code).toBe(0)
    expect(result.stdout).toBe(
      'removed 0 of 1 blobs (0 B); 0 in use, 1 unused but younger than the minimum age\n',
    )
  })

  it('lists what a dry run would remove, then removes it', async () => {
    const dry = await sandbox.run(['gc', '--min-age', '0', '--dry-run'])
    expect(dry.code).toBe(0)
    const lines = dry.stdout.trimEnd().split('\n')
    expect(lines[0]).toMatch(/^DIGEST\s+SIZE\s+LAST PUT$/)
    expect(lines[1]).toMatch(new RegExp(`^${ORPHAN_SHA256}\\s+22 B\\s+\\d{4}-\\d\\d-\\d\\dT`))
    expect(lines[2]).toBe(
      'would remove 1 of 1 blobs (22 B); 0 in use, 0 unused but younger than the minimum age',
    )
    const json = await sandbox.json<{ deleted: number; blobs: { digest: string }[] }>([
      'gc',
      '--min-age',
      '0',
    ])
    expect(json.deleted).toBe(1)
    expect(json.blobs.map((b) => b.digest)).toEqual([ORPHAN_SHA256])
    expect((await sandbox.run(['gc', '--min-age', '0'])).stdout).toMatch(/^removed 0 of 0 blobs/)
  })

  it('refuses a minimum age it cannot read', async () => {
    const result = await sandbox.run(['gc', '--min-age', 'soon'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(
      "option '--min-age <duration>' argument 'soon' is invalid. expected a duration such as '7d', '12h' or '30m', or 0",
    )
  })

  it('writes sizes as people read them', () => {
    expect([0, 1023, 1536, 5 * 1024 ** 3].map(formatBytes)).toEqual([
      '0 B',
      '1023 B',
      '1.5 KiB',
      '5.0 GiB',
    ])
  })
})
