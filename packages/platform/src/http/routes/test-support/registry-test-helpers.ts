import type { JsonAnswer, MlflowTestClient } from './mlflow-test-client.js'

/** A PATCH or DELETE with a JSON body, as MLflow's clients send registry updates and deletes. */
export async function sendJson(
  t: MlflowTestClient,
  method: 'PATCH' | 'DELETE',
  endpoint: string,
  body: unknown,
): Promise<JsonAnswer> {
  const response = await t.request(`/api/2.0/mlflow/${endpoint}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  const text = await response.text()
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text) }
}

/** A run with a model logged under `model/`, and the `runs:/` source that names it. */
export async function runWithModel(
  t: MlflowTestClient,
  experimentName = 'exp',
): Promise<{ experimentId: string; runId: string; source: string }> {
  const { experimentId, runId } = await t.createRun(experimentName)
  return { experimentId, runId, source: `runs:/${runId}/model` }
}
