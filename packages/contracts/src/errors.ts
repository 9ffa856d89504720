/**
 * Error codes shared by the server, the CLI and the SDK. The names are MLflow's where MLflow has
 * one, so that MLflow clients recognize them; every code is listed in docs/errors.md.
 */
export const ERROR_CODES = {
  INVALID_PARAMETER_VALUE: { status: 400, exitCode: 2 },
  BAD_REQUEST: { status: 400, exitCode: 2 },
  RESOURCE_ALREADY_EXISTS: { status: 400, exitCode: 1 },
  INVALID_STATE: { status: 400, exitCode: 1 },
  RESOURCE_DOES_NOT_EXIST: { status: 404, exitCode: 3 },
  ENDPOINT_NOT_FOUND: { status: 404, exitCode: 3 },
  UNAUTHENTICATED: { status: 401, exitCode: 4 },
  PERMISSION_DENIED: { status: 403, exitCode: 4 },
  REQUEST_LIMIT_EXCEEDED: { status: 413, exitCode: 2 },
  CONFLICT: { status: 409, exitCode: 1 },
  TEMPORARILY_UNAVAILABLE: { status: 503, exitCode: 5 },
  INTERNAL_ERROR: { status: 500, exitCode: 70 },
  AUDIT_CHAIN_BROKEN: { status: 500, exitCode: 65 },
} as const satisfies Record<string, { status: number; exitCode: number }>

export type ErrorCode = keyof typeof ERROR_CODES

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value)
}

/** The one error type of Ballast. Recognized by shape (`isAppError`), not by `instanceof`. */
export class AppError extends Error {
  readonly code: ErrorCode
  readonly status: number

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; status?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'AppError'
    this.code = code
    this.status = options?.status ?? ERROR_CODES[code].status
  }

  get exitCode(): number {
    return ERROR_CODES[this.code].exitCode
  }
}

export class InvalidParameterError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('INVALID_PARAMETER_VALUE', message, options)
  }
}

export class NotFoundError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('RESOURCE_DOES_NOT_EXIST', message, options)
  }
}

export class AlreadyExistsError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('RESOURCE_ALREADY_EXISTS', message, options)
  }
}

export function isAppError(value: unknown): value is AppError {
  return (
    typeof value === 'object' &&
    value !== null &&
    isErrorCode((value as { code?: unknown }).code) &&
    typeof (value as { message?: unknown }).message === 'string'
  )
}

/** Wire format of every error answer (MLflow's). */
export interface ErrorBody {
  error_code: string
  message: string
}

export function exitCodeFor(error: unknown): number {
  return isAppError(error) ? ERROR_CODES[error.code].exitCode : ERROR_CODES.INTERNAL_ERROR.exitCode
}
