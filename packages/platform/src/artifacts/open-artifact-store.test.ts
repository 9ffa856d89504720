import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { LocalArtifactStore } from './local-artifact-store.js'
import { openArtifactStore } from './open-artifact-store.js'
import { S3ArtifactStore } from './s3-artifact-store.js'

const S3_DEFAULTS = { region: 'us-east-1', forcePathStyle: true }

describe('openArtifactStore', () => {
  let dir: string | undefined
  afterEach(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
  })

  it('opens a local store and creates its folders', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ballast-open-'))
    const root = path.join(dir, 'artifacts')
    const store = await openArtifactStore({ kind: 'local', root }, S3_DEFAULTS)
    expect(store).toBeInstanceOf(LocalArtifactStore)
    expect(store.description).toBe(root)
    expect(existsSync(path.join(root, 'sha256'))).toBe(true)
    expect(existsSync(path.join(root, 'tmp'))).toBe(true)
  })

  it('opens an S3 store without making a request', async () => {
    const store = await openArtifactStore(
      { kind: 's3', bucket: 'models', prefix: 'team/a' },
      { ...S3_DEFAULTS, endpoint: 'http://127.0.0.1:9' },
    )
    expect(store).toBeInstanceOf(S3ArtifactStore)
    expect(store.description).toBe('s3://models/team/a')
    await store.close()
  })

  it('refuses an access key id without its secret', async () => {
    await expect(
      openArtifactStore(
        { kind: 's3', bucket: 'models', prefix: '' },
        { ...S3_DEFAULTS, accessKeyId: 'AKIA' },
      ),
    ).rejects.toMatchObject({
      code: 'INVALID_PARAMETER_VALUE',
      message: expect.stringContaining(
        's3.accessKeyId and s3.secretAccessKey must be given together',
      ),
    })
  })
})
