import { createHash } from 'node:crypto'
import {
  InvalidParameterError,
  type MlflowRun,
  type ModelDetailsWire,
  type ModelSignature,
  isAppError,
} from '@ballast/contracts'
import type { Kysely } from 'kysely'
import { inspectOnnx } from '../training/index.js'
import type { ArtifactService } from '../tracking/index.js'
import type { DatabaseSchema } from '../storage/index.js'
import type { ModelVersionLineage } from './lineage.js'
import {
  MLMODEL_FILE,
  type ModelClass,
  type ModelPackage,
  type PackageFile,
  readModelPackage,
} from './model-package.js'
import { signatureFromOnnx } from './onnx-signature.js'

type Db = Kysely<DatabaseSchema>

const PROXIED_SCHEME = 'mlflow-artifacts:/'

/** What the registry keeps of a version's model package. */
export interface VersionDetails {
  flavor: string | null
  signature: ModelSignature | null
  inputExample: Record<string, unknown>[] | null
  /** Path of the ONNX file inside the run's artifacts (relative to the run's artifact root). */
  onnxPath: string | null
  onnxSha256: string | null
  onnxSize: number | null
  task: string | null
  classes: ModelClass[] | null
  target: string | null
  algo: string | null
}

export const EMPTY_DETAILS: VersionDetails = {
  flavor: null,
  signature: null,
  inputExample: null,
  onnxPath: null,
  onnxSha256: null,
  onnxSize: null,
  task: null,
  classes: null,
  target: null,
  algo: null,
}

async function readAll(body: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  for await (const chunk of body) chunks.push(chunk)
  return Buffer.concat(chunks)
}

/** The file's bytes, or undefined when the run has no such artifact. */
async function readArtifact(
  artifacts: ArtifactService,
  filePath: string,
): Promise<Uint8Array | undefined> {
  try {
    return await readAll((await artifacts.download(filePath)).body)
  } catch (error) {
    if (isAppError(error) && error.code === 'RESOURCE_DOES_NOT_EXIST') return undefined
    throw error
  }
}

/** The run's artifact root inside the artifact index, when its artifacts are on this server. */
export function runArtifactRoot(run: MlflowRun): string | undefined {
  const uri = run.info.artifact_uri
  return uri.startsWith(PROXIED_SCHEME) ? uri.slice(PROXIED_SCHEME.length) : undefined
}

/**
 * Reads `<artifactPath>/MLmodel` from the run's artifacts and the ONNX file it names. A version
 * without a package (any other flavor, or files logged some other way) has empty details. When
 * MLmodel has no signature, the ONNX graph's inputs and outputs are the signature.
 */
export async function readVersionDetails(
  artifacts: ArtifactService,
  run: MlflowRun,
  artifactPath: string,
): Promise<VersionDetails> {
  const root = runArtifactRoot(run)
  if (root === undefined) return EMPTY_DETAILS
  const dir = `${root}/${artifactPath}`
  const mlmodel = await readArtifact(artifacts, `${dir}/${MLMODEL_FILE}`)
  if (mlmodel === undefined) return EMPTY_DETAILS
  const files: PackageFile[] = [{ path: MLMODEL_FILE, bytes: mlmodel }]
  let head: ModelPackage
  try {
    head = readModelPackage(files)
  } catch (error) {
    // An MLmodel this registry cannot read (a newer MLflow's signature types, say) must not stop
    // an MLflow client from registering: the version is kept without details.
    if (isAppError(error) && error.code === 'INVALID_PARAMETER_VALUE') return EMPTY_DETAILS
    throw error
  }
  const examplePath = head.inputExampleFile
  if (examplePath !== null) {
    const example = await readArtifact(artifacts, `${dir}/${examplePath}`)
    if (example !== undefined) files.push({ path: examplePath, bytes: example })
  }
  const pkg = files.length > 1 ? readLeniently(files, head) : head
  const details: VersionDetails = {
    ...EMPTY_DETAILS,
    flavor: Object.keys(pkg.flavors).sort()[0] ?? null,
    signature: pkg.signature,
    inputExample: pkg.inputExample,
    task: pkg.task,
    classes: pkg.classes,
    target: pkg.target,
    algo: pkg.algo,
  }
  if (pkg.flavors.onnx !== undefined) details.flavor = 'onnx'
  if (pkg.onnxFile !== null) {
    const onnxPath = `${artifactPath}/${pkg.onnxFile}`
    const bytes = await readArtifact(artifacts, `${root}/${onnxPath}`)
    if (bytes === undefined) {
      throw new InvalidParameterError(
        `Invalid value for parameter 'source': ${MLMODEL_FILE} names '${pkg.onnxFile}', ` +
          `which the run's artifacts do not have`,
      )
    }
    details.onnxPath = onnxPath
    details.onnxSha256 = createHash('sha256').update(bytes).digest('hex')
    details.onnxSize = bytes.length
    if (details.signature === null) details.signature = signatureFromOnnx(await inspectOnnx(bytes))
  }
  return details
}

/** The package with its input example, or without it when the example cannot be read. */
function readLeniently(files: readonly PackageFile[], head: ModelPackage): ModelPackage {
  try {
    return readModelPackage(files)
  } catch (error) {
    if (isAppError(error) && error.code === 'INVALID_PARAMETER_VALUE') return head
    throw error
  }
}

const BALLAST_SOURCE = /^ballast:(.+)@(\d+)$/

/** Writes the details and dataset rows of a new version, inside its creating transaction. */
export async function writeVersionDetails(
  trx: Db,
  name: string,
  version: number,
  details: VersionDetails,
  lineage: ModelVersionLineage,
): Promise<void> {
  await trx
    .insertInto('model_version_details')
    .values({
      name,
      version,
      flavor: details.flavor,
      signature: details.signature === null ? null : JSON.stringify(details.signature),
      input_example: details.inputExample === null ? null : JSON.stringify(details.inputExample),
      onnx_path: details.onnxPath,
      onnx_sha256: details.onnxSha256,
      onnx_size: details.onnxSize,
      task: details.task,
      classes: details.classes === null ? null : JSON.stringify(details.classes),
      target: details.target,
      algo: details.algo,
    })
    .execute()
  if (lineage.datasets.length === 0) return
  await trx
    .insertInto('model_version_datasets')
    .values(
      lineage.datasets.map((d, position) => {
        const named = BALLAST_SOURCE.exec(d.source)
        return {
          name,
          version,
          position,
          dataset_name: d.name,
          dataset_version: named === null ? null : Number(named[2]),
          digest: d.digest,
          context: d.context ?? null,
        }
      }),
    )
    .execute()
}

/** The version's details; empty for versions registered before details were kept. */
export async function loadVersionDetails(
  db: Db,
  name: string,
  version: number,
): Promise<VersionDetails> {
  const row = await db
    .selectFrom('model_version_details')
    .selectAll()
    .where('name', '=', name)
    .where('version', '=', version)
    .executeTakeFirst()
  if (row === undefined) return EMPTY_DETAILS
  return {
    flavor: row.flavor,
    signature: row.signature === null ? null : (JSON.parse(row.signature) as ModelSignature),
    inputExample:
      row.input_example === null
        ? null
        : (JSON.parse(row.input_example) as Record<string, unknown>[]),
    onnxPath: row.onnx_path,
    onnxSha256: row.onnx_sha256,
    onnxSize: row.onnx_size === null ? null : Number(row.onnx_size),
    task: row.task,
    classes: row.classes === null ? null : (JSON.parse(row.classes) as ModelClass[]),
    target: row.target,
    algo: row.algo,
  }
}

export function detailsToWire(d: VersionDetails): ModelDetailsWire {
  return {
    flavor: d.flavor,
    signature: d.signature,
    input_example: d.inputExample,
    onnx_path: d.onnxPath,
    onnx_sha256: d.onnxSha256,
    onnx_size: d.onnxSize,
    task: d.task,
    classes: d.classes,
    target: d.target,
    algo: d.algo,
  }
}

/** Tables keyed by (name, version) that the registry keeps beside model_versions. */
export const VERSION_DETAIL_TABLES = ['model_version_details', 'model_version_datasets'] as const
