import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { AppError, InvalidParameterError } from '@ballast/contracts'
import type { BlobInfo } from '../../artifacts/artifact-store.js'
import { spoolToFile } from '../../artifacts/spool-to-file.js'

/** A file on this machine, or bytes arriving (an HTTP upload). */
export type IngestInput = string | AsyncIterable<Uint8Array>

function tooLarge(label: string, maxBytes: number, setting: string): AppError {
  return new AppError(
    'REQUEST_LIMIT_EXCEEDED',
    `${label} exceeds the ingest limit of ${maxBytes} bytes (${setting})`,
  )
}

async function* limited(
  chunks: AsyncIterable<Uint8Array>,
  label: string,
  maxBytes: number,
  setting: string,
): AsyncIterable<Uint8Array> {
  let seen = 0
  for await (const chunk of chunks) {
    seen += chunk.byteLength
    if (seen > maxBytes) throw tooLarge(label, maxBytes, setting)
    yield chunk
  }
}

/**
 * Copies the input to `file` (which must not exist), hashing it on the way: the conversion then
 * reads a file nobody else changes, and the hash identifies the content. Past `maxBytes` the copy
 * stops with REQUEST_LIMIT_EXCEEDED naming the limit and its setting, and nothing is left.
 */
export async function spoolInput(
  input: IngestInput,
  file: string,
  options: { label: string; maxBytes: number; setting: string },
): Promise<BlobInfo> {
  const { label, maxBytes, setting } = options
  let chunks: AsyncIterable<Uint8Array>
  if (typeof input === 'string') {
    let size: number
    try {
      const info = await stat(input)
      if (!info.isFile()) throw new Error('not a regular file')
      size = info.size
    } catch (cause) {
      throw new InvalidParameterError(`cannot read '${input}': ${(cause as Error).message}`, {
        cause,
      })
    }
    if (size > maxBytes) throw tooLarge(label, maxBytes, setting)
    chunks = createReadStream(input)
  } else chunks = input
  return spoolToFile(limited(chunks, label, maxBytes, setting), file, { fsync: false })
}
