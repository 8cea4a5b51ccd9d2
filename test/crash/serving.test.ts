/**
 * The database under a running `together serve` (a child process under a write load):
 * - on the embedded database, a second `together` command is refused while the server holds the
 *   data directory (a second process would overwrite the server's writes);
 * - on PostgreSQL, terminating the server's database connections costs only the requests in
 *   flight: the process lives, every request gets an answer, and it recovers by itself.
 * (Apart from crash-safety.test.ts so that each file stays well inside the runner's time limit.)
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import pg from 'pg'
import { partnershipWithToken, pgliteEngine, postgresEngine, serve, together, writeLoad, togetherAsync, type Engine, WRITER_EMAIL } from './server-process.ts'

// Each pass of `npm test` tests its own engine: the embedded one without DATABASE_URL (the CI's
// first pass), PostgreSQL with it, so no pass repeats the other's slow server runs.
const engines: (() => Promise<Engine>)[] = process.env.DATABASE_URL ? [() => postgresEngine(process.env.DATABASE_URL!)] : [async () => pgliteEngine()]

for (const makeEngine of engines) {
  describe('a running server and its database', () => {
    let engine: Engine
    let token: string
    before(async () => {
      engine = await makeEngine()
      token = await partnershipWithToken(engine)
    })
    after(() => engine.cleanup())

    test('embedded database: another together command is refused (exit 2) while the server runs', async (t) => {
      if (engine.name !== 'PGlite') return t.skip('PostgreSQL serves any number of processes')
      const server = await serve(engine)
      try {
        const load = writeLoad(server.url, token, 2)
        await load.until(5)
        const created = await togetherAsync(engine, ['tokens', 'create', '--user', WRITER_EMAIL, '--name', 'while serving'])
        assert.equal(created.code, 2, created.stderr)
        assert.match(created.stderr, /Together is running on this data directory .*; stop it, or run this through the running server/)
        assert.equal(created.stdout, '', 'no token may be printed that the server never saw')
        const second = await serve(engine).then(
          () => 'started',
          (err: Error) => err.message,
        )
        assert.match(second, /ended \(2\).*Together is running on this data directory/s)
        await load.stop()
        assert.equal(server.child.exitCode, null, `the server ended: ${server.stderr()}`)
        assert.ok(
          load.outcomes.every((o) => o.kind === 'acknowledged'),
          `${JSON.stringify(load.outcomes.filter((o) => o.kind !== 'acknowledged'))}\n${server.stderr()}`,
        )
      } finally {
        server.child.kill('SIGTERM')
        await server.exited
      }
      const tokens = together(engine, ['tokens', 'list'])
      assert.equal(tokens.code, 0, tokens.stderr)
      assert.doesNotMatch(tokens.stdout, /while serving/)
    })

    test('PostgreSQL: terminating the server’s connections under load does not end the process', async (t) => {
      if (engine.name !== 'PostgreSQL') return t.skip('the embedded database has no connections to terminate')
      const server = await serve(engine)
      try {
        const load = writeLoad(server.url, token, 4)
        await load.until(10)
        const before = load.outcomes.length
        const admin = new pg.Client({ connectionString: engine.env.DATABASE_URL })
        await admin.connect()
        try {
          const { rows } = await admin.query(
            'select pg_terminate_backend(pid) as done from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
          )
          assert.ok(rows.length > 0, 'the server had connections to terminate')
        } finally {
          await admin.end()
        }
        // The server keeps answering: wait until writes succeed again, then for a few more.
        const recovered = load.acknowledged().length
        await load.until(recovered + 20)
        await load.stop()
        assert.equal(server.child.exitCode, null, `the server ended: ${server.stderr()}`)
        const since = load.outcomes.slice(before)
        assert.deepEqual(since.filter((o) => o.kind === 'no answer'), [], 'every request got an HTTP answer')
        assert.ok(since.every((o) => o.kind === 'acknowledged' || (o.kind === 'refused' && o.status >= 500)), JSON.stringify(since.filter((o) => o.kind === 'refused')))
        assert.equal((await fetch(`${server.url}/health`)).status, 200)
        assert.doesNotMatch(server.stderr(), /Crash|Writer\d/, 'no personal details in the log')
      } finally {
        server.child.kill('SIGTERM')
        await server.exited
      }
    })
  })
}
