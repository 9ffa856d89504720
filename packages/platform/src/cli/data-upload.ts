import { createReadStream } from 'node:fs'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import {
  type IngestDatasetResponse,
  InvalidParameterError,
  SUITE_HEADER,
  parseExpectationSuite,
} from '@ballast/contracts'
import { SingleBar } from 'cli-progress'
import type { Config } from '../config/index.js'
import { DuckEngine, convertToParquet, detectFormat } from '../data/index.js'
import { withClient } from './client.js'
import type { CliIo } from './global-options.js'

/** Files above this size show a progress bar of the bytes sent (on a terminal). */
const PROGRESS_MIN_BYTES = 4 * 1024 * 1024

export interface UploadRequest {
  file: string
  name: string
  format?: string
  where?: string
  /** A suite JSON file: data that fails it is not published. */
  suite?: string
}

/** Reads and checks the suite here, so that a mistake in it is named before any upload. */
async function suiteHeader(file: string): Promise<Record<string, string>> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (cause) {
    throw new InvalidParameterError(`cannot read suite '${file}': ${(cause as Error).message}`, {
      cause,
    })
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (cause) {
    throw new InvalidParameterError(`${file}: not valid JSON: ${(cause as Error).message}`, {
      cause,
    })
  }
  const suite = parseExpectationSuite(value, file)
  return { [SUITE_HEADER]: Buffer.from(JSON.stringify(suite), 'utf8').toString('base64url') }
}

/**
 * Filters a file with `where` on this machine, into Parquet: the HTTP API takes no SQL, so the
 * server receives only the rows kept. The same file and filter give the same Parquet bytes, so a
 * repeated ingest still finds the version it made before.
 */
async function filterLocally(request: UploadRequest, where: string, dir: string): Promise<string> {
  const out = path.join(dir, 'filtered.parquet')
  const engine = await DuckEngine.open()
  try {
    await convertToParquet(
      engine,
      {
        file: request.file,
        // As the server names an uploaded file: by its name.
        label: path.basename(request.file),
        format: detectFormat(request.file, request.format),
      },
      out,
      where,
    )
  } finally {
    engine.close()
  }
  return out
}

function progressStream(file: string, bar: SingleBar | undefined): ReadableStream<Uint8Array> {
  let sent = 0
  const bytes = Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>
  if (bar === undefined) return bytes
  return bytes.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        sent += chunk.byteLength
        bar.update(sent)
        controller.enqueue(chunk)
      },
    }),
  )
}

/** Streams a file (or its filtered rows) to `POST /api/v1/datasets/:name/versions`. */
export async function uploadDataset(
  config: Config,
  io: CliIo,
  request: UploadRequest,
): Promise<IngestDatasetResponse> {
  try {
    const info = await stat(request.file)
    if (!info.isFile()) throw new Error('not a regular file')
  } catch (cause) {
    throw new InvalidParameterError(`cannot read '${request.file}': ${(cause as Error).message}`, {
      cause,
    })
  }
  const headers = request.suite === undefined ? {} : await suiteHeader(request.suite)
  const dir = await mkdtemp(path.join(tmpdir(), 'ballast-upload-'))
  try {
    let upload = request.file
    let format = detectFormat(request.file, request.format)
    if (request.where !== undefined) {
      upload = await filterLocally(request, request.where, dir)
      format = 'parquet'
    }
    const size = (await stat(upload)).size
    const terminal = (io.stderr as { isTTY?: boolean }).isTTY === true
    const bar =
      terminal && size > PROGRESS_MIN_BYTES
        ? new SingleBar({
            stream: io.stderr as unknown as NodeJS.WriteStream,
            format: 'uploading {bar} {percentage}% | {value}/{total} bytes',
            hideCursor: true,
          })
        : undefined
    bar?.start(size, 0)
    try {
      return await withClient(config, io, async ({ ballast }) => {
        const response = await ballast.http.send({
          method: 'POST',
          path: `/api/v1/datasets/${encodeURIComponent(request.name)}/versions`,
          query: { format, source: path.basename(request.file) },
          body: () => progressStream(upload, bar),
          contentType: 'application/octet-stream',
          headers,
          noTimeout: true,
        })
        return (await response.json()) as IngestDatasetResponse
      })
    } finally {
      bar?.stop()
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
