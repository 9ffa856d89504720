import {
  AlreadyExistsError,
  AppError,
  type ErrorCode,
  InvalidParameterError,
  isErrorCode,
  NotFoundError,
} from '@ballast/contracts'

/** The error code an answer without a recognized `error_code` gets, from its HTTP status. */
function codeForStatus(status: number): ErrorCode {
  if (status === 400) return 'BAD_REQUEST'
  if (status === 401) return 'UNAUTHENTICATED'
  if (status === 403) return 'PERMISSION_DENIED'
  if (status === 404) return 'ENDPOINT_NOT_FOUND'
  if (status === 409) return 'CONFLICT'
  if (status === 413) return 'REQUEST_LIMIT_EXCEEDED'
  if (status === 429 || status === 502 || status === 503 || status === 504) {
    return 'TEMPORARILY_UNAVAILABLE'
  }
  return status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST'
}

function parseErrorBody(text: string): { error_code?: unknown; message?: unknown } | undefined {
  try {
    const body: unknown = JSON.parse(text)
    return typeof body === 'object' && body !== null ? body : undefined
  } catch {
    return undefined
  }
}

/**
 * Turns a non-2xx answer back into the typed error the server threw, so callers can test
 * `isAppError(e) && e.code === 'RESOURCE_DOES_NOT_EXIST'` or `e instanceof NotFoundError`.
 */
export function errorFromResponse(
  status: number,
  text: string,
  request: { method: string; path: string },
): AppError {
  const body = parseErrorBody(text)
  const message =
    typeof body?.message === 'string' && body.message !== ''
      ? body.message
      : `${request.method} ${request.path} answered HTTP ${status}${text.trim() === '' ? '' : `: ${text.trim().slice(0, 200)}`}`
  const code = isErrorCode(body?.error_code) ? body.error_code : codeForStatus(status)
  switch (code) {
    case 'RESOURCE_DOES_NOT_EXIST':
      return withStatus(new NotFoundError(message), status)
    case 'RESOURCE_ALREADY_EXISTS':
      return withStatus(new AlreadyExistsError(message), status)
    case 'INVALID_PARAMETER_VALUE':
      return withStatus(new InvalidParameterError(message), status)
    default:
      return new AppError(code, message, { status })
  }
}

// The subclasses take their status from the code; keep the one the server actually sent.
function withStatus<E extends AppError>(error: E, status: number): E {
  if (error.status !== status) Object.defineProperty(error, 'status', { value: status })
  return error
}

/** A request that never got an answer (connection refused, reset, timed out), after every retry. */
export function unreachableError(url: string, cause: unknown): AppError {
  const reason = cause instanceof Error ? describeCause(cause) : String(cause)
  return new AppError('TEMPORARILY_UNAVAILABLE', `cannot reach ${url}: ${reason}`, { cause })
}

// fetch's own message is "fetch failed"; the useful part (ECONNREFUSED …) is in its cause.
function describeCause(error: Error): string {
  const inner = error.cause
  if (inner instanceof Error && inner.message !== '') return `${error.message} (${inner.message})`
  return error.message
}
