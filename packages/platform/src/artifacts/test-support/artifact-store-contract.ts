import { createHash } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ArtifactStore } from '../artifact-store.js'
import { readAll } from '../verifying-stream.js'

export interface TestArtifactStore {
  store: ArtifactStore
  /** Closes the store and removes everything it wrote. */
  dispose(): Promise<void>
}

const HELLO = new TextEncoder().encode('hello world')
const HELLO_SHA256 = 'b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9'
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
const MISSING = 'f'.repeat(64)

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

/** Deterministic, incompressible-looking bytes (a counter hashed block by block). */
function pseudoRandom(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size)
  for (let offset = 0, block = 0; offset < size; offset += 32, block++) {
    const digest = createHash('sha256').update(`${seed}:${block}`).digest()
    out.set(digest.subarray(0, Math.min(32, size - offset)), offset)
  }
  return out
}

async function* chunked(...chunks: Uint8Array[]): AsyncIterable<Uint8Array> {
  for (const chunk of chunks) yield chunk
}

async function errorOf(promise: Promise<unknown>): Promise<{ code?: unknown; message: string }> {
  try {
    await promise
  } catch (error) {
    return error as { code?: unknown; message: string }
  }
  throw new Error('expected a rejection')
}

/** The behaviour every artifact store backend must have. Run once per backend. */
export function runArtifactStoreContract(
  name: string,
  open: () => Promise<TestArtifactStore>,
): void {
  describe(`artifact store contract: ${name}`, () => {
    let test: TestArtifactStore
    let store: ArtifactStore
    beforeEach(async () => {
      test = await open()
      store = test.store
    })
    afterEach(async () => {
      await test.dispose()
    })

    it('stores bytes under their SHA-256 and reads them back, streamed and whole', async () => {
      expect(await store.put(HELLO)).toEqual({ digest: HELLO_SHA256, size: 11 })
      expect(Buffer.from(await store.getBytes(HELLO_SHA256)).toString()).toBe('hello world')
      const streamed = await readAll(await store.get(HELLO_SHA256))
      expect(Buffer.from(streamed).toString()).toBe('hello world')
    })

    it('stores empty content', async () => {
      expect(await store.put(new Uint8Array(0))).toEqual({ digest: EMPTY_SHA256, size: 0 })
      expect((await store.getBytes(EMPTY_SHA256)).byteLength).toBe(0)
    })

    it('stores an async iterable of chunks as their concatenation', async () => {
      const parts = ['hello', ' ', 'world'].map((s) => new TextEncoder().encode(s))
      expect(await store.put(chunked(...parts))).toEqual({ digest: HELLO_SHA256, size: 11 })
      expect(Buffer.from(await store.getBytes(HELLO_SHA256)).toString()).toBe('hello world')
    })

    it('stores the same content once: a second put returns the same digest', async () => {
      const first = await store.put(HELLO)
      const second = await store.put(chunked(HELLO))
      expect(second).toEqual(first)
      expect(await store.stat(HELLO_SHA256)).toEqual({ digest: HELLO_SHA256, size: 11 })
    })

    const listed = async () => {
      const blobs = []
      for await (const blob of store.list()) blobs.push(blob)
      return blobs.sort((a, b) => a.digest.localeCompare(b.digest))
    }

    it('lists every blob once, with its size and when it was put', async () => {
      expect(await listed()).toEqual([])
      const before = Date.now()
      const big = pseudoRandom(70_000, 3)
      await store.put(HELLO)
      await store.put(new Uint8Array(0))
      await store.put(big)
      await store.put(HELLO)
      const after = Date.now()
      const blobs = await listed()
      expect(blobs.map((b) => [b.digest, b.size])).toEqual(
        [
          [HELLO_SHA256, 11],
          [EMPTY_SHA256, 0],
          [sha256(big), 70_000],
        ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
      )
      // Object stores keep whole seconds.
      for (const blob of blobs) {
        expect(blob.modifiedMs).toBeGreaterThanOrEqual(before - 1_000)
        expect(blob.modifiedMs).toBeLessThanOrEqual(after + 1_000)
      }
      await store.delete(EMPTY_SHA256)
      expect((await listed()).map((b) => b.digest)).not.toContain(EMPTY_SHA256)
    })

    it('renews the time of a blob when the same content is put again', async () => {
      await store.put(HELLO)
      const [first] = await listed()
      await new Promise((resolve) => setTimeout(resolve, 1_100))
      expect(await store.put(HELLO)).toEqual({ digest: HELLO_SHA256, size: 11 })
      const [second] = await listed()
      expect(second!.modifiedMs).toBeGreaterThan(first!.modifiedMs)
      expect(Buffer.from(await store.getBytes(HELLO_SHA256)).toString()).toBe('hello world')
    })

    it('accepts content matching expectedSha256 and refuses other content, storing nothing', async () => {
      expect(await store.put(HELLO, { expectedSha256: HELLO_SHA256 })).toEqual({
        digest: HELLO_SHA256,
        size: 11,
      })
      const other = new TextEncoder().encode('hello world!')
      const error = await errorOf(store.put(other, { expectedSha256: HELLO_SHA256 }))
      expect(error.code).toBe('INVALID_PARAMETER_VALUE')
      expect(error.message).toBe(
        `checksum mismatch: expected ${HELLO_SHA256}, got ${sha256(other)}`,
      )
      expect(await store.stat(sha256(other))).toBeUndefined()
    })

    it('refuses content past maxBytes, storing nothing; exactly maxBytes is accepted', async () => {
      const error = await errorOf(
        store.put(chunked(HELLO.subarray(0, 6), HELLO.subarray(6)), { maxBytes: 10 }),
      )
      expect(error.code).toBe('REQUEST_LIMIT_EXCEEDED')
      expect(error.message).toBe('artifact content exceeds the limit of 10 bytes')
      expect(await store.stat(HELLO_SHA256)).toBeUndefined()
      expect(await store.put(HELLO, { maxBytes: 11 })).toEqual({ digest: HELLO_SHA256, size: 11 })
    })

    it('stores nothing when the content source fails midway, and rethrows its error', async () => {
      const boom = new Error('client went away')
      async function* failing(): AsyncIterable<Uint8Array> {
        yield HELLO
        throw boom
      }
      await expect(store.put(failing())).rejects.toBe(boom)
      expect(await store.stat(HELLO_SHA256)).toBeUndefined()
    })

    it('stat gives the size of a stored blob and undefined for a missing one', async () => {
      expect(await store.stat(MISSING)).toBeUndefined()
      const { digest } = await store.put(pseudoRandom(1000, 1))
      expect(await store.stat(digest)).toEqual({ digest, size: 1000 })
    })

    it('deletes a blob; deleting a missing blob is not an error', async () => {
      await store.put(HELLO)
      await store.delete(HELLO_SHA256)
      expect(await store.stat(HELLO_SHA256)).toBeUndefined()
      await expect(store.getBytes(HELLO_SHA256)).rejects.toMatchObject({
        code: 'RESOURCE_DOES_NOT_EXIST',
      })
      await expect(store.delete(HELLO_SHA256)).resolves.toBeUndefined()
    })

    it('reports a missing blob as RESOURCE_DOES_NOT_EXIST naming its digest', async () => {
      const expected = {
        code: 'RESOURCE_DOES_NOT_EXIST',
        message: `artifact blob ${MISSING} does not exist`,
      }
      await expect(store.get(MISSING)).rejects.toMatchObject(expected)
      await expect(store.getBytes(MISSING)).rejects.toMatchObject(expected)
    })

    it('round-trips a 20 MiB blob streamed in 1 MiB chunks, verifying its hash', async () => {
      const chunkSize = 1024 * 1024
      const hash = createHash('sha256')
      async function* source(): AsyncIterable<Uint8Array> {
        for (let i = 0; i < 20; i++) {
          const chunk = pseudoRandom(chunkSize, i)
          hash.update(chunk)
          yield chunk
        }
      }
      const info = await store.put(source())
      expect(info).toEqual({ digest: hash.digest('hex'), size: 20 * chunkSize })
      const readBack = createHash('sha256')
      let size = 0
      for await (const chunk of await store.get(info.digest)) {
        readBack.update(chunk)
        size += chunk.byteLength
      }
      expect(size).toBe(20 * chunkSize)
      expect(readBack.digest('hex')).toBe(info.digest)
    })

    it('rejects malformed digests before touching storage', async () => {
      const bad = [
        '',
        'abc',
        HELLO_SHA256.toUpperCase(),
        `${HELLO_SHA256.slice(0, 63)}g`,
        `${HELLO_SHA256}0`,
        `../${HELLO_SHA256.slice(3)}`,
        `${HELLO_SHA256.slice(0, 60)}/../`,
        `${HELLO_SHA256.slice(0, 63)}\0`,
      ]
      for (const digest of bad) {
        const calls = [
          () => store.get(digest),
          () => store.getBytes(digest),
          () => store.stat(digest),
          () => store.delete(digest),
        ]
        for (const call of calls) {
          const error = await errorOf(call())
          expect(error.code).toBe('INVALID_PARAMETER_VALUE')
          expect(error.message).toContain(
            'digest must be a SHA-256 digest of 64 lowercase hex characters',
          )
        }
      }
      await expect(store.put(HELLO, { expectedSha256: 'nope' })).rejects.toMatchObject({
        code: 'INVALID_PARAMETER_VALUE',
        message:
          'expectedSha256 must be a SHA-256 digest of 64 lowercase hex characters, got "nope"',
      })
    })

    it('handles concurrent puts of the same content', async () => {
      const content = pseudoRandom(256 * 1024, 7)
      const results = await Promise.all(Array.from({ length: 6 }, () => store.put(content)))
      for (const result of results)
        expect(result).toEqual({ digest: sha256(content), size: content.byteLength })
      expect(sha256(await store.getBytes(sha256(content)))).toBe(sha256(content))
    })
  })
}
