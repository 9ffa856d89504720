import path from 'node:path'

// Types MLflow's UI and clients care about; everything else downloads as bytes.
const BY_EXTENSION: Record<string, string> = {
  '.json': 'application/json',
  '.txt': 'text/plain',
  '.log': 'text/plain',
  '.md': 'text/markdown',
  '.csv': 'text/csv',
  '.tsv': 'text/tab-separated-values',
  '.yaml': 'text/yaml',
  '.yml': 'text/yaml',
  '.html': 'text/html',
  '.py': 'text/x-python',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
  '.pdf': 'application/pdf',
  '.parquet': 'application/octet-stream',
  '.onnx': 'application/octet-stream',
}

// MLflow's extension-less files that are text.
const BY_NAME: Record<string, string> = {
  MLmodel: 'text/plain',
  MLproject: 'text/plain',
}

/** The Content-Type of an artifact, from its name. */
export function contentTypeFor(artifactPath: string): string {
  const base = path.posix.basename(artifactPath)
  return (
    BY_NAME[base] ??
    BY_EXTENSION[path.posix.extname(base).toLowerCase()] ??
    'application/octet-stream'
  )
}
