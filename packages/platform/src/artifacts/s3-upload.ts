import { createHash } from 'node:crypto'
import { open, readFile } from 'node:fs/promises'
import {
  AbortMultipartUploadCommand,
  type CompletedPart,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3'
import type { BlobInfo } from './artifact-store.js'

/** S3's smallest part (every part but the last) and its largest part count. */
export const MIN_PART_BYTES = 5 * 1024 * 1024
export const MAX_PARTS = 10_000

export interface UploadTarget {
  client: S3Client
  bucket: string
  key: string
}

export interface UploadSizes {
  /** Content up to this size goes up in one PutObject; larger content as a multipart upload. */
  multipartThresholdBytes: number
  partSizeBytes: number
}

/** The part size to use for `size` bytes: the preferred one, grown to stay within MAX_PARTS. */
export function partSizeFor(size: number, preferred: number): number {
  return Math.max(preferred, MIN_PART_BYTES, Math.ceil(size / MAX_PARTS))
}

function base64Sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64')
}

/**
 * Uploads a spooled file whose digest is known. Every request carries the SHA-256 of its body, so
 * S3 rejects bytes damaged on the way. Bodies are in-memory buffers of at most one part, which the
 * SDK can resend on a retry (a file stream, once consumed, could not be).
 */
export async function uploadFile(
  target: UploadTarget,
  file: string,
  blob: BlobInfo,
  sizes: UploadSizes,
): Promise<void> {
  if (blob.size <= sizes.multipartThresholdBytes) {
    const body = await readFile(file)
    await target.client.send(
      new PutObjectCommand({
        Bucket: target.bucket,
        Key: target.key,
        Body: body,
        ContentLength: blob.size,
        ContentType: 'application/octet-stream',
        ChecksumAlgorithm: 'SHA256',
        ChecksumSHA256: Buffer.from(blob.digest, 'hex').toString('base64'),
      }),
    )
    return
  }
  await uploadMultipart(target, file, blob.size, partSizeFor(blob.size, sizes.partSizeBytes))
}

async function uploadMultipart(
  target: UploadTarget,
  file: string,
  size: number,
  partSize: number,
): Promise<void> {
  const { client, bucket, key } = target
  const created = await client.send(
    new CreateMultipartUploadCommand({
      Bucket: bucket,
      Key: key,
      ContentType: 'application/octet-stream',
      ChecksumAlgorithm: 'SHA256',
    }),
  )
  const uploadId = created.UploadId
  if (uploadId === undefined) throw new Error(`S3 returned no UploadId for ${key}`)
  const handle = await open(file, 'r')
  try {
    const buffer = Buffer.allocUnsafe(Math.min(partSize, size))
    const parts: CompletedPart[] = []
    for (let offset = 0, partNumber = 1; offset < size; offset += partSize, partNumber++) {
      const length = Math.min(partSize, size - offset)
      const body = buffer.subarray(0, length)
      let filled = 0
      while (filled < length) {
        const { bytesRead } = await handle.read(body, filled, length - filled, offset + filled)
        if (bytesRead === 0)
          throw new Error(`spooled upload ${file} ended early at ${offset + filled}`)
        filled += bytesRead
      }
      const checksum = base64Sha256(body)
      const part = await client.send(
        new UploadPartCommand({
          Bucket: bucket,
          Key: key,
          UploadId: uploadId,
          PartNumber: partNumber,
          Body: body,
          ContentLength: length,
          ChecksumAlgorithm: 'SHA256',
          ChecksumSHA256: checksum,
        }),
      )
      parts.push({ PartNumber: partNumber, ETag: part.ETag, ChecksumSHA256: checksum })
    }
    await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        UploadId: uploadId,
        MultipartUpload: { Parts: parts },
      }),
    )
  } catch (error) {
    // The upload's own error is the one worth reporting; a failed abort leaves parts that the
    // bucket's incomplete-upload lifecycle rule removes.
    await client
      .send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }))
      .catch(() => undefined)
    throw error
  } finally {
    await handle.close()
  }
}
