import { Presets, SingleBar } from 'cli-progress'
import type { CliIo } from '../global-options.js'

/** What the demo shows while it works: a line per step, and a bar for long ones. */
export interface DemoProgress {
  step(message: string): void
  note(message: string): void
  bar(label: string, total: number): { add(n: number): void; done(): void }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`

/** Bars on a terminal; without one (CI, a pipe), a line every few seconds instead. */
export function demoProgress(io: CliIo, started = Date.now()): DemoProgress {
  const tty = (io.stderr as { isTTY?: boolean }).isTTY === true
  const write = (line: string) => io.stderr.write(`${line}\n`)
  return {
    step(message) {
      write(`[${seconds(Date.now() - started).padStart(7)}] ${message}`)
    },
    note(message) {
      write(`            ${message}`)
    },
    bar(label, total) {
      if (tty) {
        const bar = new SingleBar(
          {
            format: `            ${label} [{bar}] {percentage}% | {value}/{total}`,
            stream: io.stderr as NodeJS.WritableStream,
            hideCursor: true,
          },
          Presets.shades_classic,
        )
        bar.start(total, 0)
        return { add: (n) => bar.increment(n), done: () => bar.stop() }
      }
      let done = 0
      let last = Date.now()
      return {
        add(n) {
          done += n
          if (Date.now() - last > 3_000) {
            last = Date.now()
            write(`            ${label}: ${done}/${total}`)
          }
        },
        done() {
          write(`            ${label}: ${done}/${total}`)
        },
      }
    },
  }
}
