import {
  InvalidParameterError,
  NotFoundError,
  type MlflowFileInfo,
  type MlflowListArtifactsResponse,
} from '@ballast/contracts'
import { type Kysely, sql } from 'kysely'
import type { ArtifactStore } from '../artifacts/artifact-store.js'
import { normalizeArtifactPath } from '../artifacts/safe-artifact-path.js'
import { type DatabaseSchema, type MetadataStore, presentValues } from '../storage/index.js'
import { requireRun } from './guards.js'

type Db = Kysely<DatabaseSchema>

const PROXIED_SCHEME = 'mlflow-artifacts:/'

export interface ArtifactDownload {
  path: string
  size: number
  body: ReadableStream<Uint8Array>
}

/** `a/b/c` → `['a', 'a/b']`. */
function parentsOf(filePath: string): string[] {
  const parts = filePath.split('/')
  return parts.slice(1).map((_, i) => parts.slice(0, i + 1).join('/'))
}

/** A LIKE pattern matching everything under `dir/`, with LIKE's wildcards taken literally. */
function underPattern(dir: string): string {
  return `${dir.replace(/[\\%_]/g, (c) => `\\${c}`)}/%`
}

function under(dir: string) {
  return sql<boolean>`path LIKE ${underPattern(dir)} ESCAPE '\\'`
}

/**
 * The direct children of `dir` (files and folders) from the index rows under it. Folders are
 * implied by the files in them, as in an object store.
 */
function childrenOf(
  dir: string,
  rows: readonly { path: string; size: number }[],
): MlflowFileInfo[] {
  const offset = dir === '' ? 0 : dir.length + 1
  const entries = new Map<string, MlflowFileInfo>()
  for (const row of rows) {
    const rest = row.path.slice(offset)
    const slash = rest.indexOf('/')
    if (slash === -1) entries.set(rest, { path: rest, is_dir: false, file_size: row.size })
    else entries.set(rest.slice(0, slash), { path: rest.slice(0, slash), is_dir: true })
  }
  return [...entries.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}

/**
 * MLflow's proxied artifact API over the content-addressed store: `artifact_files` maps each path
 * (relative to the artifact root, `<experiment>/<run>/artifacts/...`) to a blob. Every path from a
 * client goes through normalizeArtifactPath first.
 */
export class ArtifactService {
  constructor(
    private readonly store: MetadataStore,
    private readonly blobs: ArtifactStore,
  ) {}

  /** Streams `body` into the blob store, then points `path` at it (replacing an earlier file). */
  async upload(rawPath: string, body: Uint8Array | AsyncIterable<Uint8Array>): Promise<void> {
    const filePath = normalizeArtifactPath(rawPath, 'path')
    await this.checkWritable(this.store.db, filePath)
    const blob = await this.blobs.put(body)
    await this.store.db.transaction().execute(async (trx) => {
      // Checked again inside the transaction: another upload may have raced this one.
      await this.checkWritable(trx, filePath)
      await trx
        .insertInto('artifact_files')
        .values({ path: filePath, digest: blob.digest, size: blob.size, created_at: Date.now() })
        .onConflict((oc) =>
          oc.column('path').doUpdateSet((eb) => ({
            digest: eb.ref('excluded.digest'),
            size: eb.ref('excluded.size'),
            created_at: eb.ref('excluded.created_at'),
          })),
        )
        .execute()
    })
  }

  /** A file can not also be a folder, nor live inside a file. */
  private async checkWritable(db: Db, filePath: string): Promise<void> {
    const parents = parentsOf(filePath)
    if (parents.length > 0) {
      const file = await db
        .selectFrom('artifact_files')
        .select('path')
        .where('path', 'in', parents)
        .executeTakeFirst()
      if (file !== undefined) {
        throw new InvalidParameterError(
          `Invalid value for parameter 'path': cannot write '${filePath}', '${file.path}' is a file`,
        )
      }
    }
    const child = await db
      .selectFrom('artifact_files')
      .select('path')
      .where(under(filePath))
      .executeTakeFirst()
    if (child !== undefined) {
      throw new InvalidParameterError(
        `Invalid value for parameter 'path': cannot write '${filePath}', it is a directory`,
      )
    }
  }

  async download(rawPath: string): Promise<ArtifactDownload> {
    const filePath = normalizeArtifactPath(rawPath, 'path')
    const row = await this.store.db
      .selectFrom('artifact_files')
      .select(['digest', 'size'])
      .where('path', '=', filePath)
      .executeTakeFirst()
    if (row === undefined) throw new NotFoundError(`Artifact '${filePath}' does not exist`)
    return { path: filePath, size: row.size, body: await this.blobs.get(row.digest) }
  }

  /** Direct children of a folder (the root when `rawDir` is empty), with their names only. */
  async list(rawDir: string | undefined): Promise<MlflowFileInfo[]> {
    const dir = normalizeArtifactPath(rawDir ?? '', 'path', { allowEmpty: true })
    return this.listDir(dir)
  }

  private async listDir(dir: string): Promise<MlflowFileInfo[]> {
    let query = this.store.db.selectFrom('artifact_files').select(['path', 'size'])
    if (dir !== '') query = query.where(under(dir))
    return childrenOf(dir, await query.execute())
  }

  /**
   * Deletes a file, or a folder with everything in it. Only the index entries go: a blob may be
   * shared by other paths (the store is content-addressed), so blobs are reclaimed by a sweep
   * (`ballast gc`).
   */
  async delete(rawPath: string): Promise<void> {
    const target = normalizeArtifactPath(rawPath, 'path')
    await this.store.db
      .deleteFrom('artifact_files')
      .where((eb) => eb.or([eb('path', '=', target), under(target)]))
      .execute()
  }

  /** Which of these blobs an artifact file refers to. */
  referencedBlobs(digests: readonly string[]): Promise<Set<string>> {
    return presentValues(this.store, 'artifact_files', 'digest', digests)
  }

  /** MLflow's artifacts/list: a run's folder, with paths relative to the run's artifact root. */
  async listRun(runId: string, rawPath: string | undefined): Promise<MlflowListArtifactsResponse> {
    const relative = normalizeArtifactPath(rawPath ?? '', 'path', { allowEmpty: true })
    const run = await requireRun(this.store.db, runId)
    const out: MlflowListArtifactsResponse = { root_uri: run.artifact_uri }
    if (!run.artifact_uri.startsWith(PROXIED_SCHEME)) return out
    const root = run.artifact_uri.slice(PROXIED_SCHEME.length)
    const children = await this.listDir(relative === '' ? root : `${root}/${relative}`)
    if (children.length > 0) {
      out.files = children.map((f) => ({
        ...f,
        path: relative === '' ? f.path : `${relative}/${f.path}`,
      }))
    }
    return out
  }
}
