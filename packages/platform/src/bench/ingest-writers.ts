/**
 * A training-job stand-in for the tracking benchmark: WRITERS concurrent SDK runs each log POINTS
 * metric points, then flush. Runs in its own process, as training scripts do, and prints
 * `{"points", "ms"}` on stdout.
 */
import { Ballast } from '@ballast/sdk'

const [url, writersArg, pointsArg] = process.argv.slice(2)
if (url === undefined || writersArg === undefined || pointsArg === undefined) {
  console.error('usage: ingest-writers URL WRITERS POINTS_PER_WRITER')
  process.exit(2)
}
const writers = Number(writersArg)
const points = Number(pointsArg)
const ballast = new Ballast({ url })
const runs = await Promise.all(
  Array.from({ length: writers }, (_, i) =>
    ballast.startRun({ experiment: 'bench-ingest', name: `writer-${i}` }),
  ),
)
const start = process.hrtime.bigint()
await Promise.all(
  runs.map(async (run, w) => {
    for (let i = 0; i < points; i++) {
      run.logMetric(`m${i % 20}`, w + i / points, Math.floor(i / 20))
      // Yield now and then, as a training loop does between batches.
      if (i % 1000 === 999) await new Promise((resolve) => setImmediate(resolve))
    }
    await run.flush()
  }),
)
const ms = Number(process.hrtime.bigint() - start) / 1e6
await Promise.all(runs.map((run) => run.end()))
console.log(JSON.stringify({ points: writers * points, ms }))
