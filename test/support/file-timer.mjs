// Loaded into every test file's process by scripts/run-tests.js (through NODE_OPTIONS): when the
// process exits, appends how long it lived (start-up, imports, database and hooks included, which
// the runner's own per-test durations leave out) and the file's path to $TOGETHER_TEST_TIMES.
import { appendFileSync } from 'node:fs'
import { relative } from 'node:path'

const out = process.env.TOGETHER_TEST_TIMES
const file = process.argv[1]
if (out && file?.endsWith('.test.ts')) {
  process.on('exit', () => appendFileSync(out, `${process.uptime().toFixed(1)}\t${relative(process.cwd(), file)}\n`))
}
