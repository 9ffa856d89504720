/** Quotes an identifier for DuckDB SQL (column names come from users' files). */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

/** Quotes a string literal for DuckDB SQL (file paths, class labels). */
export function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`
}
