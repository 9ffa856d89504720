import type { Config } from '../config/index.js'
import type { ArtifactStore } from './artifact-store.js'
import { LocalArtifactStore } from './local-artifact-store.js'
import { S3ArtifactStore } from './s3-artifact-store.js'

export interface OpenArtifactStoreOptions {
  /** Create the S3 bucket when it is missing (first start, tests). Off by default. */
  createBucket?: boolean
}

/**
 * Opens the configured artifact store. A local store gets its folders created; an S3 store makes
 * no request unless `createBucket` is set, so start-up does not need bucket permissions.
 */
export async function openArtifactStore(
  config: Config['artifactStore'],
  s3: Config['s3'],
  options: OpenArtifactStoreOptions = {},
): Promise<ArtifactStore> {
  if (config.kind === 'local') {
    const store = new LocalArtifactStore(config.root)
    await store.init()
    return store
  }
  const store = new S3ArtifactStore({
    bucket: config.bucket,
    prefix: config.prefix,
    region: s3.region,
    forcePathStyle: s3.forcePathStyle,
    ...(s3.endpoint === undefined ? {} : { endpoint: s3.endpoint }),
    ...(s3.accessKeyId === undefined ? {} : { accessKeyId: s3.accessKeyId }),
    ...(s3.secretAccessKey === undefined ? {} : { secretAccessKey: s3.secretAccessKey }),
  })
  if (options.createBucket === true) {
    try {
      await store.ensureBucket()
    } catch (error) {
      await store.close()
      throw error
    }
  }
  return store
}
