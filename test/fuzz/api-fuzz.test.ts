/**
 * Fuzzing the JSON API (issue 15, "Tests that stay"): every operation of the OpenAPI document,
 * called with an API token of a user who may do nearly everything (so requests get past the policy
 * to validation and the database), with malformed JSON, wrong types, missing fields, 1 MB strings,
 * NUL bytes, unpaired surrogates, impossible dates and unknown ids. No answer may be a 5xx, and every
 * 4xx must be a problem document (application/problem+json with its title and status).
 *
 * The cases are a deterministic table: each body field gets mutations chosen by a fixed-seed PRNG,
 * so a failure is reproduced by running the file again.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type supertest from 'supertest'
import { createApiToken } from '../../src/services/access/api-tokens.ts'
import { addNote } from '../../src/services/journey/case-notes.ts'
import type { TestDatabase } from '../support/database.ts'
import { FIXED_NOW, type World } from '../support/fixtures.ts'
import { openTestApp, type TestApp } from '../support/web.ts'

const ENGINE_INDEPENDENT = 'request parsing and validation do not depend on the engine: the fuzz runs on the embedded database only'
const skip = process.env.DATABASE_URL ? ENGINE_INDEPENDENT : false

/** Operations in the document when this suite was written: fewer means the document is broken. */
const KNOWN_OPERATIONS = 110

type Schema = {
  type?: string | string[]
  format?: string
  enum?: unknown[]
  const?: unknown
  properties?: Record<string, Schema>
  required?: string[]
  items?: Schema
  anyOf?: Schema[]
  oneOf?: Schema[]
  allOf?: Schema[]
  pattern?: string
}
interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete'
  path: string
  parameters: { name: string; in: 'path' | 'query'; schema: Schema }[]
  requestBody?: { content: Record<string, { schema: Schema }> }
}

/** mulberry32: a small PRNG, seeded so the table is the same on every run. */
function prng(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const UNKNOWN_ID = '6f1c2a8e-0000-4000-8000-0000000000f1'
const MB = 'x'.repeat(1024 * 1024)

function first(schema: Schema): Schema {
  const options = schema.anyOf ?? schema.oneOf
  if (options) return options.find((o) => o.type !== 'null') ?? options[0]!
  if (schema.allOf?.length) return Object.assign({}, ...schema.allOf)
  return schema
}

function typeOf(schema: Schema): string | undefined {
  const s = first(schema)
  return Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type
}

const isDate = (name: string, s: Schema) => s.format === 'date' || /(On|Date|date)$/.test(name)

/** A plausible value for a schema, so that one mutated field is what the server meets. */
function plausible(schema: Schema, name: string, ids: Record<string, string>): unknown {
  const s = first(schema)
  if (s.const !== undefined) return s.const
  if (s.enum?.length) return s.enum[0]
  switch (typeOf(s)) {
    case 'string':
      if (s.format === 'uuid') return ids[name] ?? UNKNOWN_ID
      if (isDate(name, s)) return '2026-11-10'
      if (s.format === 'date-time') return '2026-11-10T10:00:00Z'
      return 'Fuzz text'
    case 'integer':
    case 'number':
      return name === 'version' ? 1 : 1
    case 'boolean':
      return true
    case 'array':
      return []
    case 'object':
      return Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, plausible(v, k, ids)]))
    default:
      return 'Fuzz text'
  }
}

/** The mutations of one field: [label, value, raw JSON text when the value cannot be built as an object]. */
type Mutation = { label: string; value?: unknown; raw?: string }
const FIELD_MUTATIONS: ((name: string, s: Schema) => Mutation)[] = [
  () => ({ label: 'number for anything', value: 12345 }),
  () => ({ label: 'object for anything', value: { nested: ['x'] } }),
  () => ({ label: 'array for anything', value: [1, 'two', null] }),
  () => ({ label: 'string for anything', value: 'not the right type' }),
  () => ({ label: 'null', value: null }),
  () => ({ label: 'NUL byte', value: 'before\u0000after' }),
  () => ({ label: 'unpaired surrogate', raw: '"broken \\ud800 text"' }),
  () => ({ label: 'impossible date', value: '2026-02-30' }),
  () => ({ label: 'unknown id', value: UNKNOWN_ID }),
  () => ({ label: 'not an id', value: 'not-a-uuid' }),
  () => ({ label: 'huge number', value: 1e308 }),
  () => ({ label: 'negative', value: -1 }),
  () => ({ label: 'empty string', value: '' }),
  () => ({ label: 'spaces', value: '   ' }),
]

interface Case {
  label: string
  path: string
  body?: string
  /** The body's media type, when it is not JSON (an operation taking a file, such as a census import). */
  contentType?: string
  query?: Record<string, string>
}

function casesOf(op: Operation, ids: Record<string, string>, random: () => number): Case[] {
  const known = (name: string) => ids[name] ?? UNKNOWN_ID
  const path = (unknownIds: boolean) =>
    '/api/v1' + op.path.replace(/\{(\w+)\}/g, (_, name: string) => (unknownIds ? UNKNOWN_ID : /(^id|Id)$/.test(name) ? known(name) : 'fuzz-key'))
  const real = path(false)
  const out: Case[] = [{ label: 'unknown ids', path: path(true), body: op.requestBody ? '{}' : undefined }]
  if (op.parameters.some((p) => p.in === 'path' && /(^id|Id)$/.test(p.name))) {
    out.push({ label: 'malformed id', path: real.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/, 'not-a-uuid\u0000') })
  }
  for (const p of op.parameters.filter((q) => q.in === 'query')) {
    for (const v of ['\u0000', '2026-02-30', 'x'.repeat(4000), '-1']) out.push({ label: `query ${p.name}=${v.slice(0, 10)}`, path: real, query: { [p.name]: v } })
  }
  const raw = Object.keys(op.requestBody?.content ?? {}).find((type) => type !== 'application/json')
  if (raw) {
    for (const [label, body] of [
      ['empty file', ''],
      ['not the format', '{"kind": "note"}'],
      ['malformed markup', '<Message><Header><CollectionDetails>'],
      ['NUL bytes', 'before\u0000after'],
      ['1 MB of text', MB],
    ] as const) {
      out.push({ label: `${raw}: ${label}`, path: real, body, contentType: raw })
    }
  }
  const schema = op.requestBody?.content['application/json']?.schema
  if (!schema) return out
  const base = plausible(schema, '', ids) as Record<string, unknown>
  out.push(
    { label: 'malformed JSON', path: real, body: '{"kind": "note", "title": ' },
    { label: 'JSON array', path: real, body: '[1, 2, 3]' },
    { label: 'JSON null', path: real, body: 'null' },
    { label: 'JSON string', path: real, body: '"text"' },
    { label: 'missing fields', path: real, body: '{}' },
    { label: 'plausible', path: real, body: JSON.stringify(base) },
  )
  const props = Object.entries(first(schema).properties ?? {})
  let huge = false
  for (const [name, s] of props) {
    // Two mutations per field, chosen by the seeded PRNG; every field also loses itself.
    const picks = new Set([Math.floor(random() * FIELD_MUTATIONS.length), Math.floor(random() * FIELD_MUTATIONS.length)])
    const { [name]: _, ...without } = base
    out.push({ label: `${name} missing`, path: real, body: JSON.stringify(without) })
    for (const i of picks) {
      const m = FIELD_MUTATIONS[i]!(name, s)
      const body = m.raw !== undefined ? JSON.stringify({ ...base, [name]: '@@' }).replace('"@@"', m.raw) : JSON.stringify({ ...base, [name]: m.value })
      out.push({ label: `${name}: ${m.label}`, path: real, body })
    }
    if (!huge && typeOf(s) === 'string') {
      huge = true
      out.push({ label: `${name}: 1 MB string`, path: real, body: JSON.stringify({ ...base, [name]: MB }) })
    }
    if (isDate(name, first(s))) out.push({ label: `${name}: impossible date`, path: real, body: JSON.stringify({ ...base, [name]: '2026-02-30' }) })
  }
  return out
}

let database: TestDatabase
let world: World
let app: TestApp

describe('fuzzing every operation of the OpenAPI document', () => {
  before(async () => {
    if (!skip) ({ database, world, app } = await openTestApp(FIXED_NOW))
  })
  after(() => database?.close())

  test('no 5xx, and every 4xx is a problem document', { skip }, async (t) => {
    const user = await world.user(
      ['administrator', 'team-manager', 'social-worker', 'front-door-practitioner', 'business-unit', 'performance-analyst'],
      { team: 'assessment' },
    )
    const { caseId } = await world.childCase({ worker: user.userId })
    const note = await addNote(world.ctx(user), caseId, {
      kind: 'note',
      occurredOn: '2026-11-10',
      title: 'A note',
      body: 'Text',
      childSeen: null,
      childSeenAlone: null,
    } as never)
    const ids: Record<string, string> = {
      caseId,
      noteId: note.id,
      id: caseId,
      agencyId: world.agencies.council!,
      teamId: world.teams.assessment!,
      userId: user.userId,
      ownerAgencyId: world.agencies.school!,
    }
    const { token } = await createApiToken(database.db, { email: user.email, name: 'fuzz', now: new Date() })
    const doc = (await app.agent().get('/api/v1/openapi.json').expect(200)).body as { paths: Record<string, Record<string, Omit<Operation, 'method' | 'path'>>> }
    const operations: Operation[] = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ ...op, method: method as Operation['method'], path })),
    )
    assert.ok(operations.length >= KNOWN_OPERATIONS, `only ${operations.length} operations in the document`)

    const random = prng(15)
    const wrong: string[] = []
    let requests = 0
    const statuses = new Map<number, number>()
    for (const op of operations) {
      for (const c of casesOf(op, ids, random)) {
        let req: supertest.Test = app.agent()[op.method](c.path).set('authorization', `Bearer ${token}`)
        if (c.query) req = req.query(c.query)
        if (c.body !== undefined) req = req.set('content-type', c.contentType ?? 'application/json').send(c.body)
        const res = await req
        requests++
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
        const at = `${op.method.toUpperCase()} ${op.path} (${c.label})`
        if (res.status >= 500) wrong.push(`${at}: ${res.status}`)
        else if (res.status >= 400) {
          const type = String(res.headers['content-type'] ?? '')
          let problem: { title?: unknown; status?: unknown } = {}
          try {
            problem = JSON.parse(res.text)
          } catch {}
          if (!type.startsWith('application/problem+json') || typeof problem.title !== 'string' || problem.status !== res.status) {
            wrong.push(`${at}: ${res.status} is not a problem document (${type})`)
          }
        }
      }
    }
    t.diagnostic(`${requests} requests: ${[...statuses].sort(([a], [b]) => a - b).map(([k, v]) => `${k}×${v}`).join(', ')}`)
    assert.ok(requests > operations.length * 3, `only ${requests} requests`)
    // The fuzz reached the services: validation refused fields (422), and plausible bodies were taken.
    assert.ok((statuses.get(422) ?? 0) > 300, 'too few requests reached validation')
    assert.ok([...statuses].some(([k, v]) => k < 300 && v > 20), 'too few requests were accepted')
    assert.deepEqual(wrong, [])
  })
})
