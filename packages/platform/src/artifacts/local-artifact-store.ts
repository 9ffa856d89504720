import { createHash, randomUUID } from 'node:crypto'
import { type FileHandle, mkdir, open, opendir, rename, rm, stat, utimes } from 'node:fs/promises'
import path from 'node:path'
import { NotFoundError } from '@ballast/contracts'
import type { ArtifactStore, BlobInfo, PutOptions, StoredBlob } from './artifact-store.js'
import { assertDigest, blobSubpath, checkPutOptions, digestMismatch, isDigest } from './digest.js'
import { spoolToFile } from './spool-to-file.js'
import { verifyingStream } from './verifying-stream.js'

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT'
}

/** Makes a directory's entries (a rename, a new subfolder) durable, not only the files in it. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/**
 * Blobs as files under `<root>/sha256/<2 hex>/<hex>`. A put is written to `<root>/tmp/` first and
 * renamed into place once complete, verified and flushed, so a blob file is never partial.
 */
export class LocalArtifactStore implements ArtifactStore {
  readonly root: string
  readonly description: string
  private readonly tmpDir: string

  constructor(root: string) {
    this.root = path.resolve(root)
    this.description = this.root
    this.tmpDir = path.join(this.root, 'tmp')
  }

  /** Creates the folders up front so that a store that cannot be written fails at start-up. */
  async init(): Promise<void> {
    await mkdir(path.join(this.root, 'sha256'), { recursive: true })
    await mkdir(this.tmpDir, { recursive: true })
  }

  blobPath(digest: string): string {
    return path.join(this.root, blobSubpath(digest))
  }

  async put(
    content: Uint8Array | AsyncIterable<Uint8Array>,
    options: PutOptions = {},
  ): Promise<BlobInfo> {
    checkPutOptions(options)
    await mkdir(this.tmpDir, { recursive: true })
    const temp = path.join(this.tmpDir, `${randomUUID()}.part`)
    const info = await spoolToFile(content, temp, { ...options, fsync: true })
    try {
      const target = this.blobPath(info.digest)
      const existing = await stat(target).catch((error: unknown) => {
        if (isNotFound(error)) return undefined
        throw error
      })
      if (existing?.size === info.size) {
        const now = new Date()
        const touched = await utimes(target, now, now).then(
          () => true,
          (error: unknown) => {
            if (isNotFound(error)) return false // removed meanwhile by a sweep: stored again below
            throw error
          },
        )
        if (touched) {
          await rm(temp, { force: true })
          return info
        }
      }
      // A missing blob, or one whose size shows it was damaged: the verified copy takes its place.
      const dir = path.dirname(target)
      const created = await mkdir(dir, { recursive: true })
      await rename(temp, target)
      await syncDirectory(dir)
      if (created !== undefined) await syncDirectory(path.dirname(dir))
      return info
    } catch (error) {
      await rm(temp, { force: true })
      throw error
    }
  }

  async get(digest: string): Promise<ReadableStream<Uint8Array>> {
    const handle = await this.openBlob(digest)
    return verifyingStream(handle.createReadStream({ highWaterMark: 256 * 1024 }), digest)
  }

  async getBytes(digest: string): Promise<Uint8Array> {
    const handle = await this.openBlob(digest)
    let bytes: Buffer
    try {
      bytes = await handle.readFile()
    } finally {
      await handle.close()
    }
    const actual = createHash('sha256').update(bytes).digest('hex')
    if (actual !== digest) throw digestMismatch(digest, actual)
    return bytes
  }

  async stat(digest: string): Promise<BlobInfo | undefined> {
    const blob = await this.stored(digest)
    return blob === undefined ? undefined : { digest, size: blob.size }
  }

  async stored(digest: string): Promise<StoredBlob | undefined> {
    try {
      const s = await stat(this.blobPath(digest))
      return { digest, size: s.size, modifiedMs: s.mtimeMs }
    } catch (error) {
      if (isNotFound(error)) return undefined
      throw error
    }
  }

  async *list(): AsyncIterable<StoredBlob> {
    const root = path.join(this.root, 'sha256')
    const top = await opendir(root).catch((error: unknown) => {
      if (isNotFound(error)) return undefined // nothing was ever stored
      throw error
    })
    if (top === undefined) return
    for await (const prefix of top) {
      if (!prefix.isDirectory() || !/^[0-9a-f]{2}$/.test(prefix.name)) continue
      for await (const entry of await opendir(path.join(root, prefix.name))) {
        // Anything else in the tree (an editor's backup, a stray file) is not a blob.
        if (!entry.isFile() || !isDigest(entry.name) || !entry.name.startsWith(prefix.name)) {
          continue
        }
        const s = await stat(path.join(root, prefix.name, entry.name)).catch((error: unknown) => {
          if (isNotFound(error)) return undefined // deleted while listing
          throw error
        })
        if (s !== undefined) yield { digest: entry.name, size: s.size, modifiedMs: s.mtimeMs }
      }
    }
  }

  async delete(digest: string): Promise<void> {
    await rm(this.blobPath(digest), { force: true })
  }

  async close(): Promise<void> {}

  private async openBlob(digest: string): Promise<FileHandle> {
    assertDigest(digest)
    try {
      return await open(this.blobPath(digest), 'r')
    } catch (error) {
      if (isNotFound(error)) throw new NotFoundError(`artifact blob ${digest} does not exist`)
      throw error
    }
  }
}
