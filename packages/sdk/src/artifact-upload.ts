import { createReadStream } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import path from 'node:path'
import { Readable } from 'node:stream'
import { InvalidParameterError } from '@ballast/contracts'
import type { HttpClient } from './http-client.js'
import type { RunInfo } from './wire-types.js'

const ARTIFACTS_API = '/api/2.0/mlflow-artifacts/artifacts'
const PROXY_SCHEME = 'mlflow-artifacts:/'

/**
 * Where a run's artifacts live on the artifact API: `<exp>/<run>/artifacts`, read from the run's
 * `mlflow-artifacts:/…` URI when the server gave one.
 */
export function artifactRoot(info: RunInfo): string {
  const uri = info.artifact_uri
  if (uri !== undefined && uri.startsWith(PROXY_SCHEME)) {
    return uri.slice(PROXY_SCHEME.length).replace(/^\/+|\/+$/g, '')
  }
  return `${info.experiment_id}/${info.run_id}/artifacts`
}

/** Checks a relative artifact path and returns its segments; `..`, `.` and empty segments are refused. */
export function artifactSegments(artifactPath: string | undefined): string[] {
  if (artifactPath === undefined) return []
  const trimmed = artifactPath.replace(/^\/+|\/+$/g, '')
  if (trimmed === '') return []
  const segments = trimmed.split('/')
  if (segments.some((s) => s === '' || s === '.' || s === '..' || s.includes('\\'))) {
    throw new InvalidParameterError(
      `invalid artifactPath '${artifactPath}': must be a relative path without '.', '..', '\\' or empty segments`,
    )
  }
  return segments
}

async function statOrThrow(localPath: string): Promise<Awaited<ReturnType<typeof stat>>> {
  try {
    return await stat(localPath)
  } catch (cause) {
    throw new InvalidParameterError(
      `cannot read artifact '${localPath}': ${(cause as Error).message}`,
      {
        cause,
      },
    )
  }
}

/** Streams one file to `<root>/<segments>`; a retry opens the file again. */
async function putFile(
  http: HttpClient,
  root: string,
  localPath: string,
  segments: string[],
): Promise<void> {
  const encoded = segments.map(encodeURIComponent).join('/')
  await http.send({
    method: 'PUT',
    path: `${ARTIFACTS_API}/${root}/${encoded}`,
    body: () => Readable.toWeb(createReadStream(localPath)) as ReadableStream<Uint8Array>,
    contentType: 'application/octet-stream',
    noTimeout: true,
  })
}

/** Uploads a file as `<artifactPath>/<file name>`, like MLflow's `log_artifact`. */
export async function uploadFile(
  http: HttpClient,
  root: string,
  localPath: string,
  artifactPath?: string,
): Promise<void> {
  const dir = artifactSegments(artifactPath)
  const info = await statOrThrow(localPath)
  if (info.isDirectory()) {
    throw new InvalidParameterError(
      `artifact '${localPath}' is a folder; use logArtifacts for folders`,
    )
  }
  await putFile(http, root, localPath, [...dir, path.basename(localPath)])
}

/** Uploads every file under a folder, keeping its layout below `artifactPath`, like `log_artifacts`. */
export async function uploadFolder(
  http: HttpClient,
  root: string,
  localDir: string,
  artifactPath?: string,
): Promise<void> {
  const dir = artifactSegments(artifactPath)
  const info = await statOrThrow(localDir)
  if (!info.isDirectory())
    throw new InvalidParameterError(`artifact folder '${localDir}' is not a folder`)
  for (const relative of await listFiles(localDir)) {
    await putFile(http, root, path.join(localDir, ...relative), [...dir, ...relative])
  }
}

async function listFiles(folder: string, prefix: string[] = []): Promise<string[][]> {
  const out: string[][] = []
  const entries = await readdir(path.join(folder, ...prefix), { withFileTypes: true })
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  for (const entry of entries) {
    if (entry.isDirectory()) out.push(...(await listFiles(folder, [...prefix, entry.name])))
    else if (entry.isFile()) out.push([...prefix, entry.name])
  }
  return out
}
