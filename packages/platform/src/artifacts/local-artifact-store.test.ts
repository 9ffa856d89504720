import { createHash } from 'node:crypto'
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { LocalArtifactStore } from './local-artifact-store.js'
import { runArtifactStoreContract } from './test-support/artifact-store-contract.js'
import { readAll } from './verifying-stream.js'

const HELLO = new TextEncoder().encode('hello world')
const HELLO_SHA256 = 'b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9'

function tempRoot(): string {
  return mkdtempSync(path.join(tmpdir(), 'ballast-artifacts-'))
}

runArtifactStoreContract('local files', async () => {
  const root = tempRoot()
  const store = new LocalArtifactStore(root)
  await store.init()
  return {
    store,
    async dispose() {
      await store.close()
      rmSync(root, { recursive: true, force: true })
    },
  }
})

describe('LocalArtifactStore', () => {
  let root: string
  let store: LocalArtifactStore
  beforeEach(async () => {
    root = tempRoot()
    store = new LocalArtifactStore(root)
    await store.init()
  })
  afterEach(() => {
    rmSync(root, { recursive: true, force: true })
  })

  it('keeps blobs at <root>/sha256/<2 hex>/<hex> and describes itself by its absolute root', async () => {
    await store.put(HELLO)
    const file = path.join(root, 'sha256', 'b9', HELLO_SHA256)
    expect(readFileSync(file, 'utf8')).toBe('hello world')
    expect(store.description).toBe(root)
    expect(new LocalArtifactStore(path.relative(process.cwd(), root)).description).toBe(root)
  })

  it('leaves no temporary file behind, after success or failure', async () => {
    await store.put(HELLO)
    await expect(store.put(HELLO, { maxBytes: 3 })).rejects.toMatchObject({
      code: 'REQUEST_LIMIT_EXCEEDED',
    })
    await expect(store.put(HELLO, { expectedSha256: '0'.repeat(64) })).rejects.toMatchObject({
      code: 'INVALID_PARAMETER_VALUE',
    })
    async function* failing(): AsyncIterable<Uint8Array> {
      yield HELLO
      throw new Error('client went away')
    }
    await expect(store.put(failing())).rejects.toThrow('client went away')
    expect(readdirSync(path.join(root, 'tmp'))).toEqual([])
    expect(readdirSync(path.join(root, 'sha256'))).toEqual(['b9'])
  })

  describe('detects corruption on disk', () => {
    const content = new Uint8Array(700 * 1024).map((_, i) => (i * 31) % 251)
    const digest = createHash('sha256').update(content).digest('hex')
    const corrupt = (mutate: (bytes: Buffer) => Buffer) => {
      const file = store.blobPath(digest)
      writeFileSync(file, mutate(readFileSync(file)))
    }

    it('a flipped byte makes get() error at the end of the stream and getBytes() reject', async () => {
      await store.put(content)
      let actual = ''
      corrupt((bytes) => {
        bytes[123_456] = bytes[123_456]! ^ 0x01
        actual = createHash('sha256').update(bytes).digest('hex')
        return bytes
      })
      const expected = {
        code: 'INTERNAL_ERROR',
        message: `digest mismatch: blob ${digest} read back as ${actual}`,
      }
      await expect(readAll(await store.get(digest))).rejects.toMatchObject(expected)
      await expect(store.getBytes(digest)).rejects.toMatchObject(expected)
    })

    it('a truncated blob is detected, and putting the content again repairs it', async () => {
      await store.put(content)
      truncateSync(store.blobPath(digest), 1000)
      await expect(store.getBytes(digest)).rejects.toMatchObject({ code: 'INTERNAL_ERROR' })
      await store.put(content)
      expect(Buffer.from(await store.getBytes(digest)).equals(Buffer.from(content))).toBe(true)
    })
  })

  it('a reader may cancel a stream before its end', async () => {
    await store.put(new Uint8Array(1024 * 1024))
    const digest = createHash('sha256')
      .update(new Uint8Array(1024 * 1024))
      .digest('hex')
    const reader = (await store.get(digest)).getReader()
    const first = await reader.read()
    expect(first.done).toBe(false)
    await expect(reader.cancel()).resolves.toBeUndefined()
  })
})
