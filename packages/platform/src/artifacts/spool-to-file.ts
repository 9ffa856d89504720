import { createHash } from 'node:crypto'
import { type FileHandle, open, rm } from 'node:fs/promises'
import { AppError } from '@ballast/contracts'
import type { BlobInfo, PutOptions } from './artifact-store.js'
import { checksumMismatch, limitExceeded } from './digest.js'

export interface SpoolOptions extends PutOptions {
  /** Flush the file to stable storage before returning (the local store renames it into place). */
  fsync: boolean
}

function chunksOf(content: Uint8Array | AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  if (content instanceof Uint8Array) {
    return (async function* () {
      yield content
    })()
  }
  return content
}

/**
 * Writes the content to a new file while hashing and counting it, and checks `maxBytes` and
 * `expectedSha256` on the way. The file must not exist yet. On any failure the file is removed
 * and the error is rethrown, so a caller only ever sees a complete, verified file.
 */
export async function spoolToFile(
  content: Uint8Array | AsyncIterable<Uint8Array>,
  file: string,
  options: SpoolOptions,
): Promise<BlobInfo> {
  const hash = createHash('sha256')
  let size = 0
  let handle: FileHandle | undefined
  try {
    handle = await open(file, 'wx', 0o644)
    for await (const chunk of chunksOf(content)) {
      if (!(chunk instanceof Uint8Array)) {
        throw new AppError(
          'INTERNAL_ERROR',
          `artifact content chunks must be bytes, got ${typeof chunk}`,
        )
      }
      size += chunk.byteLength
      if (options.maxBytes !== undefined && size > options.maxBytes)
        throw limitExceeded(options.maxBytes)
      hash.update(chunk)
      let written = 0
      while (written < chunk.byteLength) {
        const { bytesWritten } = await handle.write(chunk, written, chunk.byteLength - written)
        written += bytesWritten
      }
    }
    const digest = hash.digest('hex')
    if (options.expectedSha256 !== undefined && digest !== options.expectedSha256) {
      throw checksumMismatch(options.expectedSha256, digest)
    }
    if (options.fsync) await handle.sync()
    await handle.close()
    handle = undefined
    return { digest, size }
  } catch (error) {
    await handle?.close().catch(() => undefined)
    await rm(file, { force: true })
    throw error
  }
}
