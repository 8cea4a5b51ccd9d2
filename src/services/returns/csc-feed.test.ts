/**
 * The DfE daily data feed: every payload valid against DfE's OpenAPI 1.0.1 schema (ajv); a full
 * snapshot first, then only changed children and purges; sent in batches of at most 100 to a local
 * server that checks the OAuth2 token and the schema.
 */
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import { readFileSync } from 'node:fs'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { Ajv } from 'ajv'
import addFormats from 'ajv-formats'
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts'
import type { ChildRecord } from '../../domain/returns/csc-feed/payload.ts'
import { sql } from 'drizzle-orm'
import { queryRows } from '../../db/connection.ts'
import { seedSynthetic } from '../demo/synthetic/seed.ts'
import { cohortStart, commitFeed, prepareFeed, sendFeed, type FeedEndpoint } from './csc-feed.ts'

const openapi = JSON.parse(readFileSync(new URL('../../../reference-data/csc-api/dfe-csc-api.openapi.json', import.meta.url), 'utf8')) as {
  components: { schemas: Record<string, object> }
}
const ajv = new Ajv({ allErrors: true, strict: false })
;(addFormats as unknown as (a: Ajv) => void)(ajv)
const validatePayload = ajv.compile(openapi.components.schemas.CSC!)
const schemaErrors = (payload: unknown) => (validatePayload(payload) ? [] : ajv.errorsText(validatePayload.errors).split(', ').slice(0, 5))

let database: TestDatabase
let partnershipId: string
const TODAY = '2026-03-31'
const NOW = new Date('2026-03-31T22:00:00Z')

/** DfE's endpoint, locally: a token for the right client, then batches checked against the schema. */
let server: Server
let endpoint: FeedEndpoint
const received: { la: string; batch: ChildRecord[] }[] = []
let refuseNext = 0

before(async () => {
  database = await createTestDatabase()
  partnershipId = (await seedSynthetic(database, { children: 600, seed: 3, until: TODAY })).partnershipId
  server = createServer((req, res) => {
    let body = ''
    req.on('data', (c) => (body += c))
    req.on('end', () => {
      if (req.url === '/token') {
        const form = new URLSearchParams(body)
        if (form.get('grant_type') !== 'client_credentials' || form.get('client_secret') !== 'sssh') return res.writeHead(401).end()
        return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: 'tok-1', token_type: 'Bearer' }))
      }
      const match = /^\/api\/children_social_care_data\/(\d{3})\/children$/.exec(req.url ?? '')
      if (!match || req.method !== 'POST') return res.writeHead(404).end()
      if (req.headers.authorization !== 'Bearer tok-1' || req.headers.supplierkey !== 'supplier-1') return res.writeHead(401).end()
      if (refuseNext > 0) {
        refuseNext--
        return res.writeHead(429).end()
      }
      const batch = JSON.parse(body) as ChildRecord[]
      if (schemaErrors(batch).length > 0) return res.writeHead(400).end()
      received.push({ la: match[1]!, batch })
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(randomUUID()))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  endpoint = {
    apiUrl: `http://127.0.0.1:${port}/api`,
    tokenUrl: `http://127.0.0.1:${port}/token`,
    clientId: 'together',
    clientSecret: 'sssh',
    supplierKey: 'supplier-1',
    laCode: '999',
  }
})
after(async () => {
  server.close()
  await database.close()
})

describe('DfE daily data feed', () => {
  it('starts its cohort on 1 April of the financial year two years back', () => {
    assert.equal(cohortStart('2026-03-31'), '2023-04-01')
    assert.equal(cohortStart('2026-11-23'), '2024-04-01')
  })

  it('sends a full snapshot first, in batches of at most 100 that the schema accepts; then nothing until something changes', async () => {
    const first = await prepareFeed(database.db, partnershipId, TODAY)
    assert.equal(first.kind, 'full')
    assert.ok(first.records.length > 100, `${first.records.length} children`)
    assert.deepEqual(schemaErrors(first.records.slice(0, 100)), [])
    assert.ok(first.records.some((r) => (r.social_care_episodes ?? []).some((e) => e.child_protection_plans.length > 0)))
    refuseNext = 1 // one 429: waited for and retried
    const receipts = await sendFeed(first.records, endpoint, { wait: async () => {} })
    assert.equal(receipts.length, Math.ceil(first.records.length / 100))
    assert.ok(received.every((r) => r.la === '999' && r.batch.length <= 100))
    assert.equal(received.flatMap((r) => r.batch).length, first.records.length)
    await commitFeed(database.db, partnershipId, first, { destination: 'dfe', receipts, now: NOW, actorUserId: null })

    const again = await prepareFeed(database.db, partnershipId, TODAY)
    assert.equal(again.kind, 'changes')
    assert.deepEqual(again.records, [])
    assert.equal(again.unchanged, first.records.length)
  })

  it('then sends only the changed child, and a purge for a child who left the cohort', async () => {
    const [a, b] = await queryRows<{ id: string; la_child_id: string }>(
      database.db,
      sql`select id, la_child_id from person where partnership_id = ${partnershipId} and la_child_id is not null
          and id in (select person_id from csc_feed_child where not purged) order by la_child_id limit 2`,
    )
    await database.exec(`update person set ethnicity = 'REFU' where id = '${a!.id}'`)
    await database.exec(`update person set la_child_id = null where id = '${b!.id}'`)
    const next = await prepareFeed(database.db, partnershipId, TODAY)
    assert.deepEqual(schemaErrors(next.records), [])
    assert.deepEqual(
      next.records.map((r) => [r.la_child_id, r.purge ?? false, r.child_details?.ethnicity ?? null]),
      [
        [a!.la_child_id, false, 'REFU'],
        [b!.la_child_id, true, null],
      ],
    )
    assert.deepEqual(next.records[1], { la_child_id: b!.la_child_id, mis_child_id: b!.id, purge: true })
    await commitFeed(database.db, partnershipId, next, { destination: 'file', receipts: [], now: NOW, actorUserId: null })
    assert.deepEqual((await prepareFeed(database.db, partnershipId, TODAY)).records, [])
  })

  it('refuses to go on when the token or the API refuses', async () => {
    await assert.rejects(sendFeed([{ la_child_id: 'A1', mis_child_id: 'x' }], { ...endpoint, clientSecret: 'wrong' }), /token endpoint answered 401/)
    await assert.rejects(sendFeed([{ la_child_id: 'A1', mis_child_id: 'x' }], { ...endpoint, supplierKey: 'nope' }), /answered 401/)
  })
})
