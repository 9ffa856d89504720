import pino from 'pino'
import type { DestinationStream, Logger } from 'pino'

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'

export interface LoggerOptions {
  level: LogLevel
  /** Where JSON lines go; standard error by default, so that standard output stays for data. */
  destination?: DestinationStream
}

/**
 * Paths masked in every log line. Nothing is meant to log credentials; this catches the accident
 * of logging a header bag or a token-creation result.
 */
const REDACT_PATHS = [
  'authorization',
  'headers.authorization',
  '*.headers.authorization',
  'password',
  '*.password',
  'token',
  '*.token',
  'secret',
  '*.secret',
]

/** Ballast's structured logger: one JSON object per line. */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'ballast' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    },
    // Synchronous writes: a crash never loses the lines that explain it.
    options.destination ?? pino.destination({ dest: 2, sync: true }),
  )
}
