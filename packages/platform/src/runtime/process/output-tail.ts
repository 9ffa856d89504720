/** The default bound on what is kept of each output stream of a tracked command. */
export const OUTPUT_TAIL_BYTES = 64 * 1024 * 1024

/**
 * The last `maxBytes` bytes written to a stream. A training script may print for days; keeping its
 * end (where the error or the final score is) in bounded memory beats keeping its beginning.
 */
export class OutputTail {
  private chunks: Buffer[] = []
  private size = 0
  /** Bytes dropped from the front to stay within the bound. */
  dropped = 0

  constructor(readonly maxBytes: number = OUTPUT_TAIL_BYTES) {}

  push(chunk: Buffer): void {
    if (chunk.length === 0) return
    if (chunk.length >= this.maxBytes) {
      this.dropped += this.size + chunk.length - this.maxBytes
      this.chunks = [Buffer.from(chunk.subarray(chunk.length - this.maxBytes))]
      this.size = this.maxBytes
      return
    }
    this.chunks.push(chunk)
    this.size += chunk.length
    while (this.size > this.maxBytes) {
      const first = this.chunks[0]!
      const excess = this.size - this.maxBytes
      if (first.length <= excess) {
        this.chunks.shift()
        this.size -= first.length
        this.dropped += first.length
      } else {
        this.chunks[0] = first.subarray(excess)
        this.size -= excess
        this.dropped += excess
      }
    }
  }

  /** The kept bytes, after a one-line note saying how much was dropped when anything was. */
  contents(): Buffer {
    const kept = Buffer.concat(this.chunks, this.size)
    if (this.dropped === 0) return kept
    const note = `[ballast: output truncated; the first ${this.dropped} bytes were dropped, the last ${this.size} bytes follow]\n`
    return Buffer.concat([Buffer.from(note), kept])
  }
}
