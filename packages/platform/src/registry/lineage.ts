import type { MlflowRun } from '@ballast/contracts'

/** What a model version was made from, snapshotted from its run when it was registered. */
export interface ModelVersionLineage {
  runId: string
  experimentId: string
  runName: string
  /** The path of the model inside the run's artifacts. */
  artifactPath: string
  /** The run's dataset inputs; `digest` identifies a Ballast dataset version. */
  datasets: { name: string; digest: string; source: string; context?: string }[]
  params: Record<string, string>
  /** Latest value of each metric at registration; NaN and infinities as MLflow writes them. */
  metrics: Record<string, number | string>
  /** From the run tag `mlflow.source.git.commit`, when the run had one. */
  gitCommit?: string
  registeredAt: number
}

const GIT_COMMIT_TAG = 'mlflow.source.git.commit'
const CONTEXT_TAG = 'mlflow.data.context'

export function lineageOf(run: MlflowRun, artifactPath: string, now: number): ModelVersionLineage {
  const params: Record<string, string> = {}
  for (const p of run.data.params ?? []) params[p.key] = p.value
  const metrics: Record<string, number | string> = {}
  for (const m of run.data.metrics ?? []) metrics[m.key] = m.value
  const lineage: ModelVersionLineage = {
    runId: run.info.run_id,
    experimentId: run.info.experiment_id,
    runName: run.info.run_name,
    artifactPath,
    datasets: (run.inputs?.dataset_inputs ?? []).map((input) => {
      const context = input.tags?.find((t) => t.key === CONTEXT_TAG)?.value
      return {
        name: input.dataset.name,
        digest: input.dataset.digest,
        source: input.dataset.source,
        ...(context === undefined ? {} : { context }),
      }
    }),
    params,
    metrics,
    registeredAt: now,
  }
  const commit = run.data.tags?.find((t) => t.key === GIT_COMMIT_TAG)?.value
  if (commit !== undefined && commit !== '') lineage.gitCommit = commit
  return lineage
}
