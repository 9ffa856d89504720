import type { ArtifactStore } from '../artifact-store.js'

/**
 * The same blobs through an object that is not a LocalArtifactStore, as S3 would be: code that
 * reads local blob files directly must take its remote path.
 */
export function remoteView(inner: ArtifactStore, description = 's3://test/blobs'): ArtifactStore {
  return {
    description,
    put: (content, options) => inner.put(content, options),
    get: (digest) => inner.get(digest),
    getBytes: (digest) => inner.getBytes(digest),
    stat: (digest) => inner.stat(digest),
    stored: (digest) => inner.stored(digest),
    list: () => inner.list(),
    delete: (digest) => inner.delete(digest),
    close: async () => {},
  }
}
