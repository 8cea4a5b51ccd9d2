/**
 * Progress of a long command on stderr, so stdout stays clean for its result: a bar redrawn in
 * place when stderr is a terminal, otherwise a plain line now and then (logs, CI).
 */
import type { WriteStream } from 'node:tty'

export interface Progress {
  update(done: number, total: number): void
  /** Ends the bar's line (terminal) or writes the last plain line. */
  finish(): void
}

type ProgressStream = Pick<WriteStream, 'write'> & { isTTY?: boolean; columns?: number }

export interface ProgressOptions {
  stream?: ProgressStream
  /** What is counted, e.g. "children". */
  unit?: string
  /** Milliseconds between plain lines when not on a terminal. */
  plainInterval?: number
  now?: () => number
}

const number = new Intl.NumberFormat('en-GB')

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?'
  if (seconds < 60) return `${Math.round(seconds)}s`
  const m = Math.floor(seconds / 60)
  return `${m}m${String(Math.round(seconds - m * 60)).padStart(2, '0')}s`
}

/** The words after the bar: count, percentage, rate and time left. */
export function progressText(label: string, unit: string, done: number, total: number, elapsedMs: number): string {
  const pct = total > 0 ? Math.floor((done / total) * 100) : 100
  const rate = elapsedMs > 0 ? (done / elapsedMs) * 1000 : 0
  const left = rate > 0 ? (total - done) / rate : Number.POSITIVE_INFINITY
  return `${label} ${number.format(done)}/${number.format(total)} ${unit} (${pct}%), ${number.format(Math.round(rate))} ${unit}/s, ${done >= total ? 'done' : `about ${duration(left)} left`}`
}

export function createProgress(label: string, options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr
  const unit = options.unit ?? 'items'
  const now = options.now ?? (() => performance.now())
  const plainInterval = options.plainInterval ?? 5000
  const started = now()
  const tty = stream.isTTY === true
  let lastDraw = Number.NEGATIVE_INFINITY
  let last: { done: number; total: number } | null = null
  let printedLast = false

  const draw = (done: number, total: number) => {
    const text = progressText(label, unit, done, total, now() - started)
    if (tty) {
      const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - text.length - 4))
      const filled = total > 0 ? Math.round((done / total) * width) : width
      stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text}\u001b[K`)
    } else {
      stream.write(`${text}\n`)
    }
    printedLast = true
  }

  return {
    update(done, total) {
      last = { done, total }
      printedLast = false
      const t = now()
      if (t - lastDraw < (tty ? 100 : plainInterval) && done < total) return
      lastDraw = t
      draw(done, total)
    },
    finish() {
      if (last && !printedLast) draw(last.done, last.total)
      if (tty && last) stream.write('\n')
    },
  }
}
