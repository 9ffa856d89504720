import { createHash } from 'node:crypto'
import { digestMismatch } from './digest.js'

/**
 * A web stream over `source` that hashes what passes through and, at the end, errors instead of
 * closing when the bytes do not hash to `digest`: corruption at rest is reported to the reader
 * rather than served as good data.
 */
export function verifyingStream(
  source: AsyncIterable<Uint8Array>,
  digest: string,
): ReadableStream<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]()
  const hash = createHash('sha256')
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next()
      if (next.done !== true) {
        hash.update(next.value)
        controller.enqueue(next.value)
        return
      }
      const actual = hash.digest('hex')
      if (actual === digest) controller.close()
      else controller.error(digestMismatch(digest, actual))
    },
    async cancel() {
      await iterator.return?.()
    },
  })
}

/** Reads a whole stream into one array. */
export async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  let size = 0
  for await (const chunk of stream) {
    chunks.push(chunk)
    size += chunk.byteLength
  }
  const out = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk, offset)
    offset += chunk.byteLength
  }
  return out
}
