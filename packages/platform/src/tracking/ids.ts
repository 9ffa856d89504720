import { randomUUID } from 'node:crypto'

/** MLflow's id format for runs, datasets and inputs: 32 lowercase hex characters. */
export function newHexId(): string {
  return randomUUID().replaceAll('-', '')
}
