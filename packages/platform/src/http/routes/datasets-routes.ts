import {
  DatasetHeadQuery,
  DatasetHeadResponse,
  type DatasetRunWire,
  type DatasetVersionSummaryWire,
  type DatasetVersionWire,
  type DatasetWire,
  GetDatasetWithModelsResponse,
  GetDatasetVersionResponse,
  IngestDatasetQuery,
  IngestDatasetResponse,
  ListDatasetVersionsResponse,
  ListDatasetsResponse,
  type ExpectationSuite,
  InvalidParameterError,
  SUITE_HEADER,
  parseExpectationSuite,
} from '@ballast/contracts'
import {
  type DatasetRun,
  type DatasetVersion,
  type ManagedDataset,
  checkDatasetName,
  parseVersionSelector,
} from '../../data/index.js'
import { defineRoute, type AnyRoute } from '../route.js'

function summaryToWire(v: DatasetVersion): DatasetVersionSummaryWire {
  return {
    name: v.name,
    version: v.version,
    digest: v.digest,
    source: v.source,
    format: v.format,
    row_count: v.rowCount,
    column_count: v.schema.columns.length,
    size_bytes: v.sizeBytes,
    created_by: v.createdBy,
    created_at: v.createdAt,
  }
}

function versionToWire(v: DatasetVersion): DatasetVersionWire {
  return {
    ...summaryToWire(v),
    schema: {
      columns: v.schema.columns.map((c) => ({
        name: c.name,
        type: c.type,
        nullable: c.nullable,
        storage_type: c.storageType,
      })),
    },
    profile: v.profile === null ? null : (v.profile as unknown as Record<string, unknown>),
  }
}

function datasetToWire(d: ManagedDataset): DatasetWire {
  return {
    name: d.name,
    created_by: d.createdBy,
    created_at: d.createdAt,
    version_count: d.versionCount,
    latest: d.latest === undefined ? null : summaryToWire(d.latest),
  }
}

function runToWire(r: DatasetRun): DatasetRunWire {
  return {
    run_id: r.runId,
    run_name: r.runName,
    experiment_id: r.experimentId,
    status: r.status,
    context: r.context,
  }
}

async function* noBytes(): AsyncIterable<Uint8Array> {}

/** The suite sent with an upload, if any: base64url JSON in the `x-ballast-suite` header. */
function suiteFrom(header: string | undefined): ExpectationSuite | undefined {
  if (header === undefined) return undefined
  let value: unknown
  try {
    value = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'))
  } catch (cause) {
    throw new InvalidParameterError(
      `invalid ${SUITE_HEADER} header: expected base64url of the suite's JSON (${(cause as Error).message})`,
      { cause },
    )
  }
  return parseExpectationSuite(value, SUITE_HEADER)
}

const name = (params: Record<string, string>) => checkDatasetName(params.name)
const version = (params: Record<string, string>) => parseVersionSelector(params.version ?? '')

/** Managed datasets: upload a file as a new version (editors); list and read them (viewers). */
export const DATASETS_ROUTES: readonly AnyRoute[] = [
  /**
   * The request body is the file itself, streamed (`?format=` when `?source=` has no telling
   * extension). 201 with the new version, or 200 with `existing: true` when identical content was
   * ingested before. No SQL is taken here: a filter is applied before the upload. With an
   * `x-ballast-suite` header, data that fails the suite is not published (INVALID_STATE, naming
   * the quarantined rows' blob).
   */
  defineRoute({
    method: 'POST',
    path: '/api/v1/datasets/:name/versions',
    permission: 'editor',
    rawBody: true,
    query: IngestDatasetQuery,
    response: IngestDatasetResponse,
    handler: async ({ params, query, services, actor, c }) => {
      const suite = suiteFrom(c.req.header(SUITE_HEADER))
      const result = await services.data.ingest({
        name: name(params),
        input: c.req.raw.body ?? noBytes(),
        sourceName: query.source ?? 'upload',
        ...(query.format === undefined ? {} : { format: query.format }),
        ...(suite === undefined ? {} : { suite }),
        actor,
      })
      return c.json(
        { version: versionToWire(result.version), existing: result.existing },
        result.existing ? 200 : 201,
      )
    },
  }),

  /** `{datasets}`: every dataset with its latest version, by name. */
  defineRoute({
    method: 'GET',
    path: '/api/v1/datasets',
    permission: 'viewer',
    response: ListDatasetsResponse,
    handler: async ({ services }) => ({
      datasets: (await services.data.listDatasets()).map(datasetToWire),
    }),
  }),

  /**
   * `{dataset, versions}`: versions newest first, each with the runs that used it and the model
   * versions registered from those runs (lineage).
   */
  defineRoute({
    method: 'GET',
    path: '/api/v1/datasets/:name',
    permission: 'viewer',
    response: GetDatasetWithModelsResponse,
    handler: async ({ params, services }) => {
      const found = await services.data.getDataset(name(params))
      return {
        dataset: datasetToWire(found.dataset),
        versions: found.versions.map((v) => ({
          ...summaryToWire(v),
          runs: v.runs.map(runToWire),
          models: v.models,
        })),
      }
    },
  }),

  defineRoute({
    method: 'GET',
    path: '/api/v1/datasets/:name/versions',
    permission: 'viewer',
    response: ListDatasetVersionsResponse,
    handler: async ({ params, services }) => ({
      versions: (await services.data.listVersions(name(params))).map(summaryToWire),
    }),
  }),

  /** One version (a number or `latest`) with its schema and profile. */
  defineRoute({
    method: 'GET',
    path: '/api/v1/datasets/:name/versions/:version',
    permission: 'viewer',
    response: GetDatasetVersionResponse,
    handler: async ({ params, services }) => ({
      version: versionToWire(await services.data.getVersion(name(params), version(params))),
    }),
  }),

  /** The version's data as the Parquet file it is stored as, streamed and verified by the store. */
  defineRoute({
    method: 'GET',
    path: '/api/v1/datasets/:name/versions/:version/parquet',
    permission: 'viewer',
    handler: async ({ params, services }) => {
      const v = await services.data.getVersion(name(params), version(params))
      const body = await services.artifacts.get(v.blobDigest)
      return new Response(body, {
        headers: {
          'Content-Type': 'application/vnd.apache.parquet',
          'Content-Length': String(v.sizeBytes),
          'Content-Disposition': `attachment; filename="${v.name}-v${v.version}.parquet"`,
          'X-Content-Type-Options': 'nosniff',
        },
      })
    },
  }),

  /** The first `n` rows (default 10, at most 1000). */
  defineRoute({
    method: 'GET',
    path: '/api/v1/datasets/:name/versions/:version/head',
    permission: 'viewer',
    query: DatasetHeadQuery,
    response: DatasetHeadResponse,
    handler: async ({ params, query, services }) =>
      services.data.head(name(params), version(params), query.n),
  }),
]
