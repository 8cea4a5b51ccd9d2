/**
 * The server as an authority runs it: `npm start` gives node a heap limit, and the HTTP benchmarks
 * start the server with npm start's node options, so what they measure is what runs.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { serverNodeArgs, startNodeArgs } from '../../bench/server-harness.ts'

const start = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } }).scripts.start

test('npm start runs the server with a V8 heap limit under the memory target', () => {
  const limit = /^node (?:\S+ )*--max-old-space-size=(\d+) (?:\S+ )*bin\/together\.js serve$/.exec(start)
  assert.ok(limit, `package.json's start script sets no heap limit: ${start}`)
  assert.ok(Number(limit[1]) <= 384, 'the old-space limit leaves room under 512 MB for code and the young generation')
})

test("the benchmarks start the server with npm start's node options, then BENCH_NODE_ARGS", () => {
  assert.deepEqual(startNodeArgs(), start.split(' ').slice(1, start.split(' ').indexOf('bin/together.js')))
  const saved = process.env.BENCH_NODE_ARGS
  process.env.BENCH_NODE_ARGS = '--cpu-prof  --cpu-prof-dir=/tmp/x'
  try {
    assert.deepEqual(serverNodeArgs(), [...startNodeArgs(), '--cpu-prof', '--cpu-prof-dir=/tmp/x'])
  } finally {
    if (saved === undefined) delete process.env.BENCH_NODE_ARGS
    else process.env.BENCH_NODE_ARGS = saved
  }
})
