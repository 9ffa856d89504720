import { randomUUID } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3'
import { AppError, InvalidParameterError, NotFoundError } from '@ballast/contracts'
import type { ArtifactStore, BlobInfo, PutOptions, StoredBlob } from './artifact-store.js'
import { blobSubpath, checkPutOptions, isDigest } from './digest.js'
import { uploadFile } from './s3-upload.js'
import { spoolToFile } from './spool-to-file.js'
import { readAll, verifyingStream } from './verifying-stream.js'

export interface S3ArtifactStoreOptions {
  bucket: string
  /** Key prefix without leading or trailing slash; '' puts blobs at the bucket's top level. */
  prefix: string
  endpoint?: string
  region: string
  forcePathStyle: boolean
  /** Given together with secretAccessKey; when both are absent the SDK's default chain is used. */
  accessKeyId?: string
  secretAccessKey?: string
  /** Where content is spooled until its digest is known. Default: the system temp folder. */
  spoolDir?: string
  /** Content up to this size is sent in one PutObject, larger content in parts. Default 16 MiB. */
  multipartThresholdBytes?: number
  /** Part size of multipart uploads. Default 16 MiB; never below S3's 5 MiB minimum. */
  partSizeBytes?: number
}

const DEFAULT_PART_BYTES = 16 * 1024 * 1024
/** The largest object one CopyObject may copy. */
const MAX_COPY_BYTES = 5 * 1024 ** 3

function isS3NotFound(error: unknown): boolean {
  const e = error as { name?: unknown; $metadata?: { httpStatusCode?: number } } | undefined
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404
}

function credentialsOf(options: S3ArtifactStoreOptions): Pick<S3ClientConfig, 'credentials'> {
  const { accessKeyId, secretAccessKey } = options
  if (accessKeyId === undefined && secretAccessKey === undefined) return {}
  if (accessKeyId === undefined || secretAccessKey === undefined) {
    throw new InvalidParameterError(
      's3.accessKeyId and s3.secretAccessKey must be given together (or neither, to use the default AWS credential chain)',
    )
  }
  return { credentials: { accessKeyId, secretAccessKey } }
}

/**
 * Blobs as objects `<prefix>/sha256/<2 hex>/<hex>` in any S3-compatible store. Content is spooled
 * to a local file first because its digest, and so its key, is known only at the end.
 */
export class S3ArtifactStore implements ArtifactStore {
  readonly description: string
  readonly bucket: string
  readonly prefix: string
  private readonly client: S3Client
  private readonly spoolDir: string
  private readonly multipartThresholdBytes: number
  private readonly partSizeBytes: number

  constructor(options: S3ArtifactStoreOptions) {
    if (options.bucket === '') throw new InvalidParameterError('s3 bucket must not be empty')
    this.bucket = options.bucket
    this.prefix = options.prefix.replace(/^\/+|\/+$/g, '')
    this.description =
      this.prefix === '' ? `s3://${this.bucket}` : `s3://${this.bucket}/${this.prefix}`
    this.spoolDir = options.spoolDir ?? tmpdir()
    this.multipartThresholdBytes = options.multipartThresholdBytes ?? DEFAULT_PART_BYTES
    this.partSizeBytes = options.partSizeBytes ?? DEFAULT_PART_BYTES
    this.client = new S3Client({
      region: options.region,
      forcePathStyle: options.forcePathStyle,
      ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
      ...credentialsOf(options),
      // Uploads carry our own SHA-256 and reads are verified against the digest, so the SDK's
      // default CRC32 checksums would only hash everything a second time.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    })
  }

  keyFor(digest: string): string {
    const sub = blobSubpath(digest)
    return this.prefix === '' ? sub : `${this.prefix}/${sub}`
  }

  /** Creates the bucket when it does not exist (first start, tests). */
  async ensureBucket(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }))
      return
    } catch (error) {
      if (!isS3NotFound(error)) throw error
    }
    const region = await this.client.config.region()
    try {
      await this.client.send(
        new CreateBucketCommand({
          Bucket: this.bucket,
          ...(region === 'us-east-1'
            ? {}
            : { CreateBucketConfiguration: { LocationConstraint: region as never } }),
        }),
      )
    } catch (error) {
      // Another process created it in between: the bucket exists, which is all we wanted.
      if ((error as { name?: unknown }).name !== 'BucketAlreadyOwnedByYou') throw error
    }
  }

  async put(
    content: Uint8Array | AsyncIterable<Uint8Array>,
    options: PutOptions = {},
  ): Promise<BlobInfo> {
    checkPutOptions(options)
    const spool = path.join(this.spoolDir, `ballast-upload-${randomUUID()}`)
    const blob = await spoolToFile(content, spool, { ...options, fsync: false })
    try {
      const key = this.keyFor(blob.digest)
      const existing = await this.stat(blob.digest)
      // Same digest and size: already stored, and only its time is renewed (S3 keeps no other way
      // to touch an object than to write it again; a copy onto itself stays on the server).
      // A different size means a damaged object; replace it.
      if (existing?.size === blob.size && blob.size <= MAX_COPY_BYTES) {
        const renewed = await this.client
          .send(
            new CopyObjectCommand({
              Bucket: this.bucket,
              Key: key,
              CopySource: `${this.bucket}/${key.split('/').map(encodeURIComponent).join('/')}`,
              MetadataDirective: 'REPLACE',
              Metadata: { 'ballast-put': new Date().toISOString() },
            }),
          )
          .then(
            () => true,
            (error: unknown) => {
              if (isS3NotFound(error)) return false // removed meanwhile by a sweep: uploaded below
              throw error
            },
          )
        if (renewed) return blob
      }
      await uploadFile({ client: this.client, bucket: this.bucket, key }, spool, blob, {
        multipartThresholdBytes: this.multipartThresholdBytes,
        partSizeBytes: this.partSizeBytes,
      })
      return blob
    } finally {
      await rm(spool, { force: true })
    }
  }

  async get(digest: string): Promise<ReadableStream<Uint8Array>> {
    const key = this.keyFor(digest)
    let body
    try {
      body = (await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }))).Body
    } catch (error) {
      if (isS3NotFound(error)) throw new NotFoundError(`artifact blob ${digest} does not exist`)
      throw error
    }
    if (body === undefined) throw new AppError('INTERNAL_ERROR', `S3 returned no body for ${key}`)
    const source =
      Symbol.asyncIterator in body
        ? (body as AsyncIterable<Uint8Array>)
        : (body.transformToWebStream() as ReadableStream<Uint8Array>)
    return verifyingStream(source, digest)
  }

  async getBytes(digest: string): Promise<Uint8Array> {
    return readAll(await this.get(digest))
  }

  async stat(digest: string): Promise<BlobInfo | undefined> {
    const blob = await this.stored(digest)
    return blob === undefined ? undefined : { digest, size: blob.size }
  }

  async stored(digest: string): Promise<StoredBlob | undefined> {
    const key = this.keyFor(digest)
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }))
      return {
        digest,
        size: head.ContentLength ?? 0,
        modifiedMs: head.LastModified?.getTime() ?? Date.now(),
      }
    } catch (error) {
      if (isS3NotFound(error)) return undefined
      throw error
    }
  }

  async *list(): AsyncIterable<StoredBlob> {
    const below = this.prefix === '' ? 'sha256/' : `${this.prefix}/sha256/`
    let token: string | undefined
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: below, ContinuationToken: token }),
      )
      for (const object of page.Contents ?? []) {
        const name = object.Key?.slice(below.length) ?? ''
        const [shard, digest] = name.split('/')
        // Only `<2 hex>/<digest>` keys are blobs; anything else under the prefix is left alone.
        if (digest === undefined || !isDigest(digest) || shard !== digest.slice(0, 2)) continue
        yield {
          digest,
          size: object.Size ?? 0,
          // An object without a time counts as new: a sweep leaves it alone.
          modifiedMs: object.LastModified?.getTime() ?? Date.now(),
        }
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined
    } while (token !== undefined)
  }

  async delete(digest: string): Promise<void> {
    await this.client.send(
      new DeleteObjectCommand({ Bucket: this.bucket, Key: this.keyFor(digest) }),
    )
  }

  async close(): Promise<void> {
    this.client.destroy()
  }
}
