// Loaded into every test file's process by scripts/run-tests.js (through NODE_OPTIONS): when the
// process exits, appends how long it lived (start-up, imports, database and hooks included, which
// the runner's own per-test durations leave out), the processor time it and its children used
// (Chromium included, once it has been closed), and the file's path to $TOGETHER_TEST_TIMES.
import { appendFileSync, readFileSync } from 'node:fs'
import { basename, relative } from 'node:path'

const out = process.env.TOGETHER_TEST_TIMES
const file = process.argv[1]
if (out && /\.test\.m?[jt]s$/.test(file ?? '')) {
  // A batch of src/'s files (scripts/run-tests.js) is named by its file's name, such as src-web-3.
  const name = relative(process.cwd(), file).startsWith('..') ? `batch ${basename(file, '.test.mjs')}` : relative(process.cwd(), file)
  process.on('exit', () => appendFileSync(out, `${process.uptime().toFixed(1)}\t${name}\t${cpuSeconds().toFixed(1)}\n`))
}

/** User and system time of this process and its waited-for children (Linux's /proc; NaN elsewhere). */
function cpuSeconds() {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // utime, stime, cutime, cstime are fields 14-17 of proc(5), in clock ticks (100 a second on Linux).
    return fields.slice(11, 15).reduce((sum, ticks) => sum + Number(ticks), 0) / 100
  } catch {
    return Number.NaN
  }
}
