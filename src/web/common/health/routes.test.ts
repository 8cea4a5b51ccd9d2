import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.ts'
import { createTestApp } from '../../../../test/support/web.ts'

let database: TestDatabase
before(async () => (database = await createTestDatabase()))
after(() => database.close())

describe('/health when the database fails', () => {
  test('answers 503 and logs the error without its message', async () => {
    // A driver's error quotes the failed query and its parameters (personal data in a real one).
    const failure = Object.assign(new Error('Failed query: select 1\nparams: Quillonmere,1999-01-01'), {
      code: '57P01',
      cause: Object.assign(new Error('terminating connection: Vartexbury'), { code: '57P01' }),
    })
    const db = new Proxy(database.db, {
      get: (target, key, receiver) => (key === 'execute' ? () => Promise.reject(failure) : Reflect.get(target, key, receiver)),
    })
    const app = await createTestApp(database, {}, { database: Object.assign(Object.create(database) as TestDatabase, { db }) })
    const res = await app.agent().get('/health').expect(503)
    assert.deepEqual(res.body, { status: 'error', database: { status: 'error' } })
    const line = app.logs.text.split('\n').find((l) => l.includes('health check'))
    assert.ok(line, 'the failure is logged')
    assert.doesNotMatch(app.logs.text, /Quillonmere|Vartexbury|1999-01-01|Failed query|terminating/)
    const logged = JSON.parse(line) as { err: { type: string; code: string; stack: string } }
    assert.equal(logged.err.type, 'Error', 'by its class')
    assert.equal(logged.err.code, '57P01', 'and its database code')
    assert.match(logged.err.stack, /routes\.test\.ts/, 'and its stack frames')
  })
})
