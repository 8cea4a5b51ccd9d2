/**
 * Crash safety, with `together serve` as a child process under a write load through the JSON API:
 * kill -9 loses no acknowledged write, and `together audit verify` passes afterwards (both engines);
 * the lock a killed server leaves on an embedded data directory does not stop the next start.
 * The server's connections and the data directory's lock under load: serving.test.ts.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { partnershipWithToken, pgliteEngine, postgresEngine, serve, together, writeLoad, writePerson, type Engine } from './server-process.ts'

// Each pass of `npm test` tests its own engine: the embedded one without DATABASE_URL (the CI's
// first pass), PostgreSQL with it, so no pass repeats the other's slow server runs.
const engines: (() => Promise<Engine>)[] = process.env.DATABASE_URL ? [() => postgresEngine(process.env.DATABASE_URL!)] : [async () => pgliteEngine()]

for (const makeEngine of engines) {
  describe('crash safety', () => {
    let engine: Engine
    let token: string
    before(async () => {
      engine = await makeEngine()
      token = await partnershipWithToken(engine)
    })
    after(() => engine.cleanup())

    test('kill -9 under a write load: every acknowledged write is there after a restart, and the audit chain verifies', async (t) => {
      t.diagnostic(engine.name)
      const server = await serve(engine)
      const load = writeLoad(server.url, token, 4)
      try {
        await load.until(40)
      } catch (err) {
        throw new Error(`${(err as Error).message}\n${server.stderr()}`)
      } finally {
        server.child.kill('SIGKILL')
        await server.exited
        await load.stop()
      }
      const acknowledged = load.acknowledged()
      assert.ok(acknowledged.length >= 40)

      // The next start takes over the lock the killed server left, and serves.
      const again = await serve(engine)
      const res = await fetch(`${again.url}/health`)
      assert.equal(res.status, 200)
      const after = await writePerson(again.url, token, -1)
      assert.equal(after.kind, 'acknowledged', JSON.stringify(after))
      again.child.kill('SIGTERM')
      assert.equal(await again.exited, 0)

      const rows = await engine.query<{ id: string }>('select id from person where id = any($1::uuid[])', [acknowledged])
      assert.equal(rows.length, acknowledged.length, 'an acknowledged write was lost')
      const verify = together(engine, ['audit', 'verify'])
      assert.equal(verify.code, 0, verify.stdout + verify.stderr)
    })
  })
}
