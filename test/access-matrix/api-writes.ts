/**
 * The access matrix over every case write of the OpenAPI document (POST, PUT, PATCH under
 * /cases/{id}/...), sent with an API token by each scenario whose user the policy refuses that
 * write (decideOnCase): the answer is 403, or 404 where the user may not know the record exists,
 * always a problem document; nothing changes; and the only audit entries of those requests are
 * reads and refusals. The bodies are valid by the operation's own request schema, so the test is
 * about the policy, not the order of validation.
 */
import assert from 'node:assert/strict'
import { inArray, sql } from 'drizzle-orm'
import { auditEvent, caseNote, childCase, plan, recordRevision } from '../../src/db/schema/index.ts'
import { decideOnCase, type RecordAction } from '../../src/domain/access/policy.ts'
import { createApiToken } from '../../src/services/access/api-tokens.ts'
import type { TestDatabase } from '../support/database.ts'
import type { TestApp } from '../support/web.ts'
import type { MatrixWorld, Scenario } from './world.ts'

/** Case writes in the document when this suite was written: fewer means the document is broken. */
const KNOWN_API_WRITES = 40
const NOT_BUILT = '00000000-0000-4000-8000-000000000000'

/** Values the request schema cannot say are needed together (a refinement), by property name. */
const PREFERRED: Record<string, unknown> = {
  // Stepping up or down is its own operation.
  endReason: 'outcomes-met',
}

interface JsonSchema {
  type?: string | string[]
  enum?: unknown[]
  format?: string
  pattern?: string
  minLength?: number
  minimum?: number
  minItems?: number
  items?: JsonSchema
  properties?: Record<string, JsonSchema>
  required?: string[]
  anyOf?: JsonSchema[]
  default?: unknown
}

interface Operation {
  method: 'post' | 'put' | 'patch'
  path: string
  schema: JsonSchema | undefined
  /** The action the operation declares it needs (x-case-action). */
  declared: RecordAction | undefined
}

/**
 * The action a write needs: what the operation declares (x-case-action), else by its path: a
 * partner's conference report and plan-action progress are contributions; allocation and
 * transfer are a manager's.
 */
function actionOf(o: Operation): RecordAction {
  if (o.declared) return o.declared
  const path = o.path
  if (/\/conferences\/\{\w+\}\/report$|\/plan-actions\//.test(path)) return 'case:contribute'
  if (/\/(allocation|transfer|authorisation)$/.test(path)) return 'case:authorise'
  return 'case:update'
}

/**
 * A valid value for a schema: the record ids the world built where the property names one, a date
 * the service accepts (not in the future), the first of an enumeration, text that is long enough.
 */
function example(m: MatrixWorld, schema: JsonSchema, name: string, s: Scenario): unknown {
  if (name in PREFERRED) return PREFERRED[name]
  if (schema.anyOf) return example(m, schema.anyOf.find((a) => a.type !== 'null') ?? schema.anyOf[0]!, name, s)
  if (schema.enum) return schema.enum[0]
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type
  const agencies = m.world.agencies
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {}
      // The required properties, and the optional choices and details (a refinement may need one:
      // a new person's details, the lawful basis of a share), never an optional id or free text.
      for (const [key, property] of Object.entries(schema.properties ?? {})) {
        if (schema.required?.includes(key) || property.enum || property.type === 'object') out[key] = example(m, property, key, s)
      }
      return out
    }
    case 'array':
      return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () => example(m, schema.items ?? {}, name.replace(/s$/, ''), s))
    case 'integer':
    case 'number':
      return name === 'version' ? 1 : Math.max(1, schema.minimum ?? 1)
    case 'boolean':
      return schema.default ?? false
    case 'string':
      if (schema.format === 'date') return '2026-11-19'
      if (schema.format === 'uuid') {
        if (/agencyId$/i.test(name)) return name === 'ownerAgencyId' ? agencies.housing : agencies.school
        if (name === 'teamId') return m.world.teams.other
        if (/^(workerId|userId|chairId|assigneeUserId|contactUserId)$/.test(name)) return m.users.find((u) => u.key === 'social worker, case team')!.userId
        if (/^personId$/.test(name)) return s.c.personId
        return NOT_BUILT
      }
      if (schema.pattern?.includes(':[0-5]')) return '10:00'
      if (/time$/i.test(name)) return '10:00'
      return `Refused write ${name}`.padEnd(schema.minLength ?? 1, '.')
    default:
      return 'x'
  }
}

/**
 * Every case write of the OpenAPI document, sent by users the policy refuses, is refused and
 * changes nothing. Scenarios the policy answers alike on every write (the same case, the same
 * decision on each operation: e.g. the roles that act on no case) are sent once, to keep the
 * suite's time down.
 */
export async function apiWrites({ database, app, m }: { database: TestDatabase; app: TestApp; m: MatrixWorld }) {
  const doc = (await app.agent().get('/api/v1/openapi.json').expect(200)).body as {
    paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: JsonSchema }> }; 'x-case-action'?: RecordAction }>>
  }
  const operations: Operation[] = Object.entries(doc.paths).flatMap(([path, ops]) =>
    // Breaking the glass is how a user without access gets it: linked.ts and break-glass-api.test.ts check it.
    /^\/cases\/\{(id|caseId)\}\//.test(path) && !path.endsWith('/break-glass')
      ? (['post', 'put', 'patch'] as const)
          .filter((method) => ops[method])
          .map((method) => ({ method, path, schema: ops[method]!.requestBody?.content?.['application/json']?.schema, declared: ops[method]!['x-case-action'] }))
      : [],
  )
  assert.ok(operations.length >= KNOWN_API_WRITES, `only ${operations.length} case writes in the document`)

  const snapshot = async () =>
    JSON.stringify([
      await database.db.select({ id: childCase.id, v: childCase.version }).from(childCase).where(inArray(childCase.id, m.cases.map((c) => c.caseId))).orderBy(childCase.id),
      await database.db.select({ id: caseNote.id, v: caseNote.version }).from(caseNote).orderBy(caseNote.id),
      await database.db.select({ id: plan.id, v: plan.version }).from(plan).orderBy(plan.id),
      // Every write through the case gateway appends a revision of the record it changed.
      await database.db.select({ n: sql<number>`count(*)::int` }).from(recordRevision).where(inArray(recordRevision.caseId, m.cases.map((c) => c.caseId))),
    ])
  const before = await snapshot()
  const wrong: string[] = []
  const requestIds: string[] = []
  let sent = 0
  const classes = new Set<string>()
  for (const s of m.scenarios) {
    const subject = { userId: s.user.userId, partnershipId: s.user.partnershipId, roles: s.user.roles, active: true }
    const record = { partnershipId: s.c.partnershipId, restricted: s.c.restricted, relationships: s.relationships }
    const refused = operations.filter((o) => !decideOnCase(subject, actionOf(o), record).allowed)
    if (refused.length === 0) continue
    const answers = JSON.stringify([s.c.key, operations.map((o) => decideOnCase(subject, actionOf(o), record))])
    if (classes.has(answers)) continue
    classes.add(answers)
    const { token } = await createApiToken(database.db, { email: s.user.email, name: 'matrix writes', now: new Date() })
    for (const o of refused) {
      let built = true
      const url = o.path.replace(/\{(\w+)\}/g, (_, name: string) => {
        if (name === 'id' || name === 'caseId') return s.c.caseId
        // Core groups and visits hang off a child protection plan, which the world does not build.
        const known = name === 'planId' && /\/(core-groups|visits)$/.test(o.path) ? undefined : s.c.records[name]
        if (known) return known
        built = false
        return NOT_BUILT
      })
      const body = o.schema ? example(m, o.schema, 'body', s) : {}
      const res = await app.agent()[o.method](`/api/v1${url}`).set('authorization', `Bearer ${token}`).send(body as object)
      sent++
      requestIds.push(String(res.headers['x-request-id'] ?? ''))
      const decision = decideOnCase(subject, actionOf(o), record)
      const at = `${o.method.toUpperCase()} ${o.path} as ${s.label} (${actionOf(o)} refused): ${res.status}`
      // 404 where the user may not know the record exists: another partnership's, a restricted
      // case refused to someone unrelated to it, or a record the world did not build; else 403.
      const conceal = s.c.partnershipId !== s.user.partnershipId || (!decision.allowed && decision.conceal === true)
      const statuses = conceal ? [404] : built ? [403] : [403, 404]
      if (!statuses.includes(res.status)) wrong.push(`${at}, expected ${statuses.join(' or ')}${res.status === 422 ? ` (${JSON.stringify(res.body?.errors ?? res.body)})` : ''}`)
      if (!String(res.headers['content-type']).startsWith('application/problem+json')) wrong.push(`${at}: not a problem document`)
      if ((res.text ?? '').includes(s.c.familyName)) wrong.push(`${at}: the answer names the child`)
      if (conceal && /restricted/i.test(res.text ?? '')) wrong.push(`${at}: the answer says the record is restricted`)
    }
  }
  assert.ok(sent > 300, `only ${sent} refused writes sent`)
  assert.equal(await snapshot(), before, 'a refused write changed a record')
  const actions = await database.db.selectDistinct({ action: auditEvent.action }).from(auditEvent).where(inArray(auditEvent.requestId, requestIds))
  for (const { action } of actions) if (!/(\.view|\.refused|\.read)$/.test(action)) wrong.push(`a refused write wrote the audit entry ${action}`)
  assert.deepEqual(wrong, [])
}
