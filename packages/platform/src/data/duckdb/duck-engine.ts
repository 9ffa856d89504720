import { type DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api'

/**
 * In-process DuckDB for analytics over Parquet and CSV/JSON files. One instance per process;
 * each call takes a connection of its own so that independent work can run concurrently.
 * No extension that needs a download is ever loaded.
 */
export class DuckEngine {
  private constructor(private readonly instance: DuckDBInstance) {}

  static async open(
    options: { threads?: number; memoryLimit?: string; tempDirectory?: string } = {},
  ): Promise<DuckEngine> {
    const settings: Record<string, string> = {
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
    }
    if (options.threads !== undefined) settings.threads = String(options.threads)
    if (options.memoryLimit !== undefined) settings.memory_limit = options.memoryLimit
    if (options.tempDirectory !== undefined) settings.temp_directory = options.tempDirectory
    return new DuckEngine(await DuckDBInstance.create(':memory:', settings))
  }

  /** Runs work on a fresh connection, closed afterwards. */
  async withConnection<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    const connection = await this.instance.connect()
    try {
      return await work(connection)
    } finally {
      connection.closeSync()
    }
  }

  /** Rows as objects keyed by column name, with JS values (BIGINT → number when safe). */
  async all(
    sql: string,
    params?: DuckDBValue[] | Record<string, DuckDBValue>,
  ): Promise<Record<string, unknown>[]> {
    return this.withConnection(async (connection) => {
      const reader = await connection.runAndReadAll(sql, params)
      return reader.getRowObjectsJS().map(normalizeRow)
    })
  }

  async run(sql: string, params?: DuckDBValue[] | Record<string, DuckDBValue>): Promise<void> {
    await this.withConnection(async (connection) => {
      await connection.run(sql, params)
    })
  }

  close(): void {
    this.instance.closeSync()
  }
}

function normalizeRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(row)) {
    out[key] =
      typeof value === 'bigint' &&
      value <= BigInt(Number.MAX_SAFE_INTEGER) &&
      value >= BigInt(Number.MIN_SAFE_INTEGER)
        ? Number(value)
        : value
  }
  return out
}

/** Quotes an identifier for DuckDB SQL (column names come from users' files). */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

/** Quotes a string literal for DuckDB SQL (file paths the server itself chose). */
export function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`
}
