import { InvalidParameterError } from '@ballast/contracts'
import { normalizeArtifactPath } from '../artifacts/index.js'

/** Where a model version's files are: a path inside a run's artifacts on this server. */
export interface ModelSource {
  runId: string
  /** Present when the source named it (`mlflow-artifacts:` URIs); checked against the run. */
  experimentId?: string
  artifactPath: string
}

const RUNS_URI = /^runs:\/([^/]+)\/(.+)$/
const PROXIED_URI = /^mlflow-artifacts:\/(\d{1,15})\/([^/]+)\/artifacts\/(.+)$/
const RUN_ID = /^[0-9a-f]{32}$/

function refuse(source: string, why: string): never {
  throw new InvalidParameterError(
    `Invalid value for parameter 'source': ${JSON.stringify(source)}; ${why}`,
  )
}

/**
 * Reads `source` of model-versions/create. Only artifacts of runs on this server are accepted:
 * `runs:/<run_id>/<path>` or `mlflow-artifacts:/<experiment_id>/<run_id>/artifacts/<path>`. Local
 * paths, other schemes and paths that climb out of the run are refused, because the registry later
 * serves these files to anyone who may read the model.
 */
export function parseModelSource(source: string): ModelSource {
  const runs = RUNS_URI.exec(source)
  const proxied = runs === null ? PROXIED_URI.exec(source) : null
  if (runs === null && proxied === null) {
    refuse(
      source,
      'a model version must come from an artifact of a run on this server: ' +
        "'runs:/<run_id>/<path>' or 'mlflow-artifacts:/<experiment_id>/<run_id>/artifacts/<path>'",
    )
  }
  const runId = (runs?.[1] ?? proxied?.[2]) as string
  const rawPath = (runs?.[2] ?? proxied?.[3]) as string
  if (!RUN_ID.test(runId)) refuse(source, `'${runId}' is not a run id`)
  let artifactPath: string
  try {
    artifactPath = normalizeArtifactPath(rawPath, 'source path')
  } catch (cause) {
    refuse(source, (cause as Error).message)
  }
  return proxied === null
    ? { runId, artifactPath }
    : { runId, experimentId: proxied[1], artifactPath }
}
