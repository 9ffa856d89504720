import { createHash } from 'node:crypto'
import {
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openArtifactStore } from './open-artifact-store.js'
import { S3ArtifactStore, type S3ArtifactStoreOptions } from './s3-artifact-store.js'
import { runArtifactStoreContract } from './test-support/artifact-store-contract.js'
import { type MotoServer, startMotoServer } from './test-support/moto-server.js'
import { readAll } from './verifying-stream.js'

const HELLO = new TextEncoder().encode('hello world')
const HELLO_SHA256 = 'b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9'
const CREDENTIALS = { accessKeyId: 'test-key', secretAccessKey: 'test-secret' }

let moto: MotoServer | undefined
let buckets = 0

beforeAll(async () => {
  moto = await startMotoServer()
})
afterAll(async () => {
  await moto?.stop()
})

function options(overrides: Partial<S3ArtifactStoreOptions> = {}): S3ArtifactStoreOptions {
  buckets++
  return {
    bucket: `ballast-test-${process.pid}-${buckets}`,
    prefix: 'artifacts',
    endpoint: moto!.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    ...CREDENTIALS,
    ...overrides,
  }
}

async function openStore(
  overrides: Partial<S3ArtifactStoreOptions> = {},
): Promise<S3ArtifactStore> {
  const store = new S3ArtifactStore(options(overrides))
  await store.ensureBucket()
  return store
}

function rawClient(): S3Client {
  return new S3Client({
    endpoint: moto!.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: CREDENTIALS,
  })
}

async function keysOf(client: S3Client, bucket: string): Promise<string[]> {
  const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket }))
  return (listed.Contents ?? []).map((o) => o.Key ?? '')
}

runArtifactStoreContract('S3 (moto)', async () => {
  const store = await openStore()
  return { store, dispose: () => store.close() }
})

describe('S3ArtifactStore', () => {
  let client: S3Client
  beforeAll(() => {
    client = rawClient()
  })
  afterAll(() => client.destroy())

  it('keys blobs <prefix>/sha256/<2 hex>/<hex>, with no leading slash when the prefix is empty', async () => {
    const prefixed = await openStore({ prefix: '/team/a/' })
    const bare = await openStore({ prefix: '' })
    try {
      await prefixed.put(HELLO)
      await bare.put(HELLO)
      expect(await keysOf(client, prefixed.bucket)).toEqual([`team/a/sha256/b9/${HELLO_SHA256}`])
      expect(await keysOf(client, bare.bucket)).toEqual([`sha256/b9/${HELLO_SHA256}`])
      expect(prefixed.description).toBe(`s3://${prefixed.bucket}/team/a`)
      expect(bare.description).toBe(`s3://${bare.bucket}`)
    } finally {
      await prefixed.close()
      await bare.close()
    }
  })

  it('uploads with the content SHA-256 as the object checksum', async () => {
    const store = await openStore()
    try {
      await store.put(HELLO)
      const head = await client.send(
        new HeadObjectCommand({
          Bucket: store.bucket,
          Key: store.keyFor(HELLO_SHA256),
          ChecksumMode: 'ENABLED',
        }),
      )
      expect(head.ChecksumSHA256).toBe(Buffer.from(HELLO_SHA256, 'hex').toString('base64'))
    } finally {
      await store.close()
    }
  })

  it('uploads content above the threshold in parts and reads it back verified', async () => {
    const store = await openStore({
      multipartThresholdBytes: 5 * 1024 * 1024,
      partSizeBytes: 5 * 1024 * 1024,
    })
    try {
      const content = new Uint8Array(12 * 1024 * 1024).map((_, i) => (i * 7) % 253)
      const digest = createHash('sha256').update(content).digest('hex')
      expect(await store.put(content)).toEqual({ digest, size: content.byteLength })
      const head = await client.send(
        new HeadObjectCommand({ Bucket: store.bucket, Key: store.keyFor(digest) }),
      )
      expect(head.ETag).toMatch(/-3"$/)
      expect(Buffer.from(await store.getBytes(digest)).equals(Buffer.from(content))).toBe(true)
    } finally {
      await store.close()
    }
  })

  it('detects an object whose bytes no longer match its digest', async () => {
    const store = await openStore()
    try {
      await store.put(HELLO)
      const tampered = new TextEncoder().encode('hello World')
      await client.send(
        new PutObjectCommand({
          Bucket: store.bucket,
          Key: store.keyFor(HELLO_SHA256),
          Body: tampered,
        }),
      )
      const actual = createHash('sha256').update(tampered).digest('hex')
      const expected = {
        code: 'INTERNAL_ERROR',
        message: `digest mismatch: blob ${HELLO_SHA256} read back as ${actual}`,
      }
      await expect(readAll(await store.get(HELLO_SHA256))).rejects.toMatchObject(expected)
      await expect(store.getBytes(HELLO_SHA256)).rejects.toMatchObject(expected)
    } finally {
      await store.close()
    }
  })

  it('ensureBucket is idempotent', async () => {
    const store = await openStore()
    try {
      await expect(store.ensureBucket()).resolves.toBeUndefined()
    } finally {
      await store.close()
    }
  })

  it('openArtifactStore opens an S3 store from the configuration and can create its bucket', async () => {
    const bucket = `ballast-open-${process.pid}`
    const store = await openArtifactStore(
      { kind: 's3', bucket, prefix: 'p' },
      { endpoint: moto!.endpoint, region: 'us-east-1', forcePathStyle: true, ...CREDENTIALS },
      { createBucket: true },
    )
    try {
      expect(store.description).toBe(`s3://${bucket}/p`)
      expect(await store.put(HELLO)).toEqual({ digest: HELLO_SHA256, size: 11 })
      expect(await keysOf(client, bucket)).toEqual([`p/sha256/b9/${HELLO_SHA256}`])
    } finally {
      await store.close()
    }
  })
})
