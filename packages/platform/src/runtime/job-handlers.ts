import { ARTIFACT_GC_JOB, runArtifactGcJob } from './artifact-gc-job.js'
import type { JobHandler } from './job-types.js'
import { MONITOR_JOB, runMonitorJob } from './monitor-job.js'
import { PIPELINE_STEP_JOB, runPipelineStepJob } from './pipeline-step-job.js'
import { TRAIN_JOB, runTrainJob } from './train-job.js'

/** Handlers by job kind. */
export type JobHandlers = Record<string, JobHandler>

/** The job kinds every Ballast worker runs. */
export function defaultJobHandlers(): JobHandlers {
  return {
    [TRAIN_JOB]: runTrainJob,
    [MONITOR_JOB]: runMonitorJob,
    [PIPELINE_STEP_JOB]: runPipelineStepJob,
    [ARTIFACT_GC_JOB]: runArtifactGcJob,
  }
}
