import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { World } from '../../../../test/support/fixtures.ts'
import { createApiToken, revokeApiToken } from '../../../services/access/api-tokens.ts'
import { apiToken, auditEvent } from '../../../db/schema/index.ts'
import { eq } from 'drizzle-orm'
import { openTestApp, type TestApp } from '../../../../test/support/web.ts'

let database: TestDatabase
let world: World
let app: TestApp
before(async () => ({ database, world, app } = await openTestApp()))
after(() => database.close())

describe('API tokens', () => {
  test('a token acts as its user without a session or CSRF token, and stores only a hash', async () => {
    const admin = await world.user(['administrator'], { team: null })
    const made = await createApiToken(database.db, { email: admin.email, name: 'test client', now: new Date() })
    assert.match(made.token, /^tgt_[A-Za-z0-9_-]{43}$/)
    const [stored] = await database.db.select().from(apiToken).where(eq(apiToken.id, made.id))
    assert.notEqual(stored!.tokenHash, made.token)
    assert.equal(stored!.tokenHash.length, 64)

    const me = await app.agent().get('/api/v1/me').set('authorization', `Bearer ${made.token}`).expect(200)
    assert.equal(me.body.userId, admin.userId)
    assert.equal(me.body.csrfToken, undefined)
    assert.equal(me.headers['set-cookie'], undefined, 'no session cookie for token clients')
    const created = await app
      .agent()
      .post('/api/v1/agencies')
      .set('authorization', `Bearer ${made.token}`)
      .send({ name: `Token agency ${made.id.slice(0, 6)}`, type: 'police' })
      .expect(201)
    assert.equal(created.body.type, 'police')
    const [used] = await database.db.select().from(apiToken).where(eq(apiToken.id, made.id))
    assert.ok(used!.lastUsedAt)
  })

  test('bad, expired and revoked tokens are refused with 401, never treated as anonymous', async () => {
    const worker = await world.user(['social-worker'])
    await app.agent().get('/api/v1/me').set('authorization', 'Bearer tgt_nonsense').expect(401)
    await app.agent().get('/api/v1/me').set('authorization', 'Basic abc').expect(401)
    const expired = await createApiToken(database.db, {
      email: worker.email,
      name: 'expired',
      // Expired by the application's clock, which stands still in these tests.
      expiresAt: new Date(app.deps.now().getTime() - 1000),
      now: new Date(),
    })
    await app.agent().get('/api/v1/me').set('authorization', `Bearer ${expired.token}`).expect(401)
    const live = await createApiToken(database.db, { email: worker.email, name: 'live', now: new Date() })
    await app.agent().get('/api/v1/me').set('authorization', `Bearer ${live.token}`).expect(200)
    assert.equal(await revokeApiToken(database.db, live.id, new Date()), true)
    const refused = await app.agent().get('/api/v1/me').set('authorization', `Bearer ${live.token}`).expect(401)
    assert.equal(refused.headers['www-authenticate'], 'Bearer error="invalid_token"')
    const audits = await database.db.select().from(auditEvent).where(eq(auditEvent.recordId, live.id))
    assert.deepEqual(audits.map((a) => a.action).sort(), ['api-token.create', 'api-token.revoke'])
  })

  test("a token carries only its user's permissions", async () => {
    const partner = await world.user(['partner-practitioner'], { agency: 'school', team: null })
    const made = await createApiToken(database.db, { email: partner.email, name: 'school system', now: new Date() })
    await app
      .agent()
      .post('/api/v1/agencies')
      .set('authorization', `Bearer ${made.token}`)
      .send({ name: 'Nope', type: 'police' })
      .expect(403)
  })
})

describe('the OpenAPI document', () => {
  test('is public, OpenAPI 3.1, and lists every operation with its schema', async () => {
    const res = await app.agent().get('/api/v1/openapi.json').expect(200)
    const doc = res.body as { openapi: string; paths: Record<string, Record<string, { requestBody?: unknown; parameters: { name: string }[] }>> }
    assert.equal(doc.openapi, '3.1.0')
    assert.ok(doc.paths['/me']?.get)
    assert.ok(doc.paths['/agencies']?.post?.requestBody)
    assert.deepEqual(doc.paths['/agencies/{id}']?.put?.parameters.map((p) => p.name), ['id'])
    const ids = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((o) => (o as unknown as { operationId: string }).operationId))
    assert.equal(new Set(ids).size, ids.length, 'operation ids are unique')
  })
})
