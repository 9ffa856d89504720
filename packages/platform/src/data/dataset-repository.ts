import type { DatasetFormat } from '@ballast/contracts'
import { NotFoundError } from '@ballast/contracts'
import type { Selectable } from 'kysely'
import { appendAudit } from '../governance/index.js'
import type { DatasetVersionsTable, MetadataStore } from '../storage/index.js'
import type { DatasetProfile, DatasetSchema } from './dataset-types.js'
import type { DatasetVersion, ManagedDataset } from './dataset-version.js'

type VersionRow = Selectable<DatasetVersionsTable>

function toVersion(row: VersionRow): DatasetVersion {
  return {
    name: row.name,
    version: Number(row.version),
    digest: row.digest,
    sourceDigest: row.source_digest,
    source: row.source,
    format: row.format as DatasetFormat,
    rowCount: Number(row.row_count),
    schema: JSON.parse(row.schema) as DatasetSchema,
    profile: row.profile === null ? null : (JSON.parse(row.profile) as DatasetProfile),
    blobDigest: row.blob_digest,
    sizeBytes: Number(row.size_bytes),
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
  }
}

/** What a new version is made of; its number is assigned when it is published. */
export type NewDatasetVersion = Omit<DatasetVersion, 'version'>

/** Thrown inside the publishing transaction to roll it back when identical content is there. */
class IdenticalVersion extends Error {
  constructor(readonly existing: DatasetVersion) {
    super('identical version exists')
  }
}

/** The tables of managed datasets. Only the data context reads or writes them. */
export class DatasetRepository {
  constructor(private readonly store: MetadataStore) {}

  private get db() {
    return this.store.db
  }

  async findBySource(name: string, sourceDigest: string): Promise<DatasetVersion | undefined> {
    const row = await this.db
      .selectFrom('dataset_versions')
      .selectAll()
      .where('name', '=', name)
      .where('source_digest', '=', sourceDigest)
      .executeTakeFirst()
    return row === undefined ? undefined : toVersion(row)
  }

  /**
   * Publishes a version in one transaction. The number comes from bumping the dataset's counter,
   * which holds the dataset row's lock until commit (PostgreSQL) or runs alone (SQLite's single
   * writer), so concurrent ingests get distinct numbers; identical content that won the race is
   * returned instead, and the bump is rolled back with everything else.
   */
  async publish(input: NewDatasetVersion): Promise<{ version: DatasetVersion; existing: boolean }> {
    try {
      const version = await this.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('managed_datasets')
          .values({
            name: input.name,
            created_at: input.createdAt,
            created_by: input.createdBy,
            version_count: 0,
          })
          .onConflict((oc) => oc.column('name').doNothing())
          .execute()
        const bumped = await trx
          .updateTable('managed_datasets')
          .set((eb) => ({ version_count: eb('version_count', '+', 1) }))
          .where('name', '=', input.name)
          .returning('version_count')
          .executeTakeFirstOrThrow()
        const identical = await trx
          .selectFrom('dataset_versions')
          .selectAll()
          .where('name', '=', input.name)
          .where('source_digest', '=', input.sourceDigest)
          .executeTakeFirst()
        if (identical !== undefined) throw new IdenticalVersion(toVersion(identical))
        const row: VersionRow = {
          name: input.name,
          version: Number(bumped.version_count),
          digest: input.digest,
          source_digest: input.sourceDigest,
          source: input.source,
          format: input.format,
          row_count: input.rowCount,
          schema: JSON.stringify(input.schema),
          profile: input.profile === null ? null : JSON.stringify(input.profile),
          blob_digest: input.blobDigest,
          size_bytes: input.sizeBytes,
          created_by: input.createdBy,
          created_at: input.createdAt,
        }
        await trx.insertInto('dataset_versions').values(row).execute()
        await appendAudit(trx, {
          actor: input.createdBy,
          action: 'dataset.version.create',
          target: `dataset:${input.name}@${row.version}`,
          after: { digest: input.digest, rows: input.rowCount },
          detail: { source: input.source, format: input.format, sizeBytes: input.sizeBytes },
          time: input.createdAt,
        })
        return toVersion(row)
      })
      return { version, existing: false }
    } catch (error) {
      if (error instanceof IdenticalVersion) return { version: error.existing, existing: true }
      throw error
    }
  }

  async listDatasets(): Promise<ManagedDataset[]> {
    const datasets = await this.db
      .selectFrom('managed_datasets')
      .selectAll()
      .orderBy('name')
      .execute()
    const latest = await this.db
      .selectFrom('dataset_versions as v')
      .innerJoin('managed_datasets as d', (j) =>
        j.onRef('d.name', '=', 'v.name').onRef('d.version_count', '=', 'v.version'),
      )
      .selectAll('v')
      .execute()
    const byName = new Map(latest.map((row) => [row.name, toVersion(row)]))
    return datasets
      .map((d) => ({
        name: d.name,
        createdBy: d.created_by,
        createdAt: Number(d.created_at),
        versionCount: Number(d.version_count),
        latest: byName.get(d.name),
      }))
      .filter((d) => d.versionCount > 0)
  }

  async getDataset(name: string): Promise<ManagedDataset> {
    const d = await this.db
      .selectFrom('managed_datasets')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst()
    if (d === undefined || Number(d.version_count) === 0) throw notFound(name)
    return {
      name: d.name,
      createdBy: d.created_by,
      createdAt: Number(d.created_at),
      versionCount: Number(d.version_count),
      latest: await this.getVersion(name, Number(d.version_count)),
    }
  }

  /** Every version, newest first. */
  async listVersions(name: string): Promise<DatasetVersion[]> {
    const rows = await this.db
      .selectFrom('dataset_versions')
      .selectAll()
      .where('name', '=', name)
      .orderBy('version', 'desc')
      .execute()
    if (rows.length === 0) throw notFound(name)
    return rows.map(toVersion)
  }

  async getVersion(name: string, version: number | 'latest'): Promise<DatasetVersion> {
    let query = this.db.selectFrom('dataset_versions').selectAll().where('name', '=', name)
    query =
      version === 'latest'
        ? query.orderBy('version', 'desc').limit(1)
        : query.where('version', '=', version)
    const row = await query.executeTakeFirst()
    if (row !== undefined) return toVersion(row)
    if (version === 'latest') throw notFound(name)
    await this.getDataset(name)
    throw new NotFoundError(`dataset '${name}' has no version ${version}`)
  }
}

function notFound(name: string): NotFoundError {
  return new NotFoundError(`dataset '${name}' does not exist`)
}
