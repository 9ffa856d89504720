import { z } from 'zod'
import { MlflowFileInfo } from './entities.js'
import { message, runMessage } from './wire.js'

/** `/mlflow/artifacts/list` and the proxied artifact API under `/mlflow-artifacts/`. */

export const MlflowListArtifactsRequest = runMessage({
  path: z.string().optional(),
  page_token: z.string().optional(),
})
export type MlflowListArtifactsRequest = z.output<typeof MlflowListArtifactsRequest>
export const MlflowListArtifactsResponse = z.object({
  root_uri: z.string().optional(),
  files: z.array(MlflowFileInfo).optional(),
  next_page_token: z.string().optional(),
})
export type MlflowListArtifactsResponse = z.output<typeof MlflowListArtifactsResponse>

/** GET /mlflow-artifacts/artifacts?path=<dir>: a listing relative to the artifact root. */
export const MlflowArtifactsListRequest = message({ path: z.string().optional() })
export const MlflowArtifactsListResponse = z.object({ files: z.array(MlflowFileInfo).optional() })
export type MlflowArtifactsListResponse = z.output<typeof MlflowArtifactsListResponse>
