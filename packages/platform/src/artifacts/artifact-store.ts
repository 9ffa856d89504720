/** A stored blob: its SHA-256 (lowercase hex) and its size in bytes. */
export interface BlobInfo {
  readonly digest: string
  readonly size: number
}

/** A blob as a listing gives it: when it was last written (or written again). */
export interface StoredBlob extends BlobInfo {
  /** Epoch milliseconds of the last put of this content. */
  readonly modifiedMs: number
}

export interface PutOptions {
  /** When given, the write fails (and nothing is stored) unless the content hashes to this. */
  expectedSha256?: string
  /** When given, the write fails with REQUEST_LIMIT_EXCEEDED past this many bytes; nothing is stored. */
  maxBytes?: number
}

/**
 * Content-addressed blob storage. The address of a blob is the SHA-256 of its bytes, so no storage
 * location is ever built from a client-supplied name. Writes are all-or-nothing: a failed or
 * interrupted put leaves no blob behind. Reads verify the hash.
 */
export interface ArtifactStore {
  /** Where blobs live (a folder or `s3://bucket/prefix`), for logs and `ballast` output. */
  readonly description: string
  /**
   * Stores the content; the same content twice is stored once and returns the same digest. A put
   * of content already stored refreshes its modification time, so that a sweep of unreferenced
   * blobs (which spares recent ones) never takes a blob that was just put again to be referenced.
   */
  put(content: Uint8Array | AsyncIterable<Uint8Array>, options?: PutOptions): Promise<BlobInfo>
  /**
   * Streams a blob. The stream errors (INTERNAL_ERROR, "digest mismatch") at its end when the bytes
   * read do not hash to the digest. RESOURCE_DOES_NOT_EXIST when there is no such blob.
   */
  get(digest: string): Promise<ReadableStream<Uint8Array>>
  /** The whole blob in memory, verified. */
  getBytes(digest: string): Promise<Uint8Array>
  stat(digest: string): Promise<BlobInfo | undefined>
  /** `stat` with the time of the blob's last put. */
  stored(digest: string): Promise<StoredBlob | undefined>
  /** Every blob, in no particular order; read lazily, so any number of blobs can be listed. */
  list(): AsyncIterable<StoredBlob>
  /** Removes a blob; removing one that does not exist is not an error. */
  delete(digest: string): Promise<void>
  close(): Promise<void>
}
