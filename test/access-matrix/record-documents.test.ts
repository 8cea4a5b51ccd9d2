/**
 * The access matrix for documents on the partnership's own records (family recordDocuments,
 * id-routes.ts): every page and operation of a LADO case's and a practice review's documents,
 * requested by every user of the linked world (the designated officer's team, the employer's named
 * contact, a school partner not on the allegation, review members, a member of a different review
 * only, the business unit outside the review, and a user of another partnership) and expected to
 * answer as decideOnPartnershipRecord decides: 200 when open (a read audited as a view of the
 * record's documents, a download also as document.download), 403 with one `.read.refused` (or
 * `.update.refused` for an upload form) about the record otherwise, 404 for another partnership.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { and, eq, isNull } from 'drizzle-orm'
import { auditEvent, ladoCase, reviewMember } from '../../src/db/schema/index.ts'
import { decideOnPartnershipRecord, type PartnershipRecord } from '../../src/domain/access/policy.ts'
import { uploadOwnerDocuments, type DocumentOwner } from '../../src/services/partnership/documents.ts'
import { documentDetails } from '../../src/services/records/documents-input.ts'
import type { TestDatabase } from '../support/database.ts'
import { FIXED_NOW } from '../support/fixtures.ts'
import type { TestApp } from '../support/web.ts'
import { fillRoute, routesOf } from './id-routes.ts'
import { buildLinkedWorld, openMatrixApp, signedInUsers, type MatrixWorld, type User } from './world.ts'

let database: TestDatabase
let app: TestApp
let m: MatrixWorld
let dir: string

before(async () => {
  ;({ database, app, m } = await openMatrixApp())
  dir = await mkdtemp(join(tmpdir(), 'record-documents-matrix-'))
})
after(async () => {
  await database?.close()
  await rm(dir, { recursive: true, force: true })
})

interface Owned {
  owner: DocumentOwner
  partnershipId: string
  documentId: string
  versionId: string
  /** The record as the policy sees it for one user. */
  recordFor(u: User): Promise<PartnershipRecord>
}

describe('the access matrix (documents of LADO cases and practice reviews)', () => {
  test('every page and operation answers as the record’s policy decides, each read and refusal audited about the record', async () => {
    const scenarios = await buildLinkedWorld(m)
    const users = new Map<string, User>()
    for (const s of scenarios) users.set(s.user.userId, s.user)
    // Someone who works on one review only: a member of a different review from the others'.
    const oneReview = { ...(await m.world.user(['partner-practitioner'], { agency: 'school', team: null })), key: 'partner, member of one review only' }
    users.set(oneReview.userId, oneReview)
    const elsewhere = { ...(await m.other.user(['designated-officer'], { team: null })), key: 'designated officer of another partnership' }
    users.set(elsewhere.userId, elsewhere)

    const path = join(dir, 'report.txt')
    await writeFile(path, 'A fictional report.\n')
    const details = documentDetails.parse({ title: 'Fictional report', kind: 'report-from-partner' })
    const owned: Owned[] = []
    const seen = new Set<string>()
    for (const s of scenarios) {
      if (s.family === 'incident' || seen.has(s.recordId) || s.record.partnershipId !== m.world.partnershipId) continue
      seen.add(s.recordId)
      const owner: DocumentOwner = { kind: s.family === 'lado' ? 'lado-case' : 'practice-review', id: s.recordId }
      // Uploaded by someone the record is open to for a change: its designated officer's team, or its lead.
      const by = scenarios.find((x) => x.recordId === s.recordId && decideOnPartnershipRecord({ ...x.user, active: true }, 'update', x.record).allowed)!.user
      const [doc] = await uploadOwnerDocuments(m.world.ctx(by, FIXED_NOW), owner, details, [{ name: 'report.txt', path }])
      const partnershipId = m.world.partnershipId
      const recordFor = async (u: User): Promise<PartnershipRecord> => {
        if (owner.kind === 'lado-case') {
          const [l] = await database.db.select().from(ladoCase).where(eq(ladoCase.id, owner.id))
          return { kind: 'lado', partnershipId, inDesignatedTeam: u.teamId !== null && u.teamId === l!.designatedTeamId, employerContact: l!.employerContactUserId === u.userId }
        }
        const member = await database.db
          .select()
          .from(reviewMember)
          .where(and(eq(reviewMember.subjectId, owner.id), eq(reviewMember.userId, u.userId), isNull(reviewMember.endedAt)))
        return { kind: 'review', partnershipId, member: member.length > 0 }
      }
      owned.push({ owner, partnershipId, documentId: doc!.id, versionId: doc!.versions[0]!.id, recordFor })
    }
    const reviews = owned.filter((o) => o.owner.kind === 'practice-review')
    assert.ok(reviews.length >= 2 && owned.length > reviews.length, `records: ${owned.length}`)
    await database.db.insert(reviewMember).values({ partnershipId: m.world.partnershipId, subjectType: 'practice-review', subjectId: reviews[0]!.owner.id, userId: oneReview.userId, role: 'member', addedBy: oneReview.userId })

    const routes = await routesOf('recordDocuments', app.app, () => app.agent())
    assert.ok(routes.filter((r) => r.kind === 'page').length >= 6 && routes.filter((r) => r.kind === 'api').length >= 4, JSON.stringify(routes))
    const signed = signedInUsers(app, database.db)
    const wrong: string[] = []
    const outcomes = new Set<string>()
    let sent = 0
    for (const u of users.values()) {
      const agent = await signed.agentOf(u)
      for (const o of owned) {
        const record = await o.recordFor(u)
        for (const route of routes) {
          if (!route.path.includes(o.owner.kind === 'lado-case' ? 'lado' : 'reviews')) continue
          const url = fillRoute(route, (name) => (name === 'documentId' ? o.documentId : name === 'versionId' ? o.versionId : o.owner.id))
          const action = route.path.endsWith('/new') ? 'update' : 'read'
          const decision = decideOnPartnershipRecord({ ...u, active: true }, action, record)
          const res = await agent.get(url)
          sent++
          const at = `GET ${route.path} (${o.owner.kind}) as ${u.key} (${action} ${decision.allowed ? 'allowed' : 'refused'})`
          const requestId = String(res.headers['x-request-id'] ?? '')
          const about = await database.db.select({ action: auditEvent.action, detail: auditEvent.detail }).from(auditEvent).where(and(eq(auditEvent.requestId, requestId), eq(auditEvent.recordId, o.owner.id)))
          if (u.partnershipId !== o.partnershipId) {
            outcomes.add('another partnership')
            if (res.status !== 404) wrong.push(`${at}: ${res.status}, not 404`)
          } else if (!decision.allowed) {
            outcomes.add(`refused ${o.owner.kind}`)
            if (res.status !== 403) wrong.push(`${at}: ${res.status}, not 403`)
            if (about.length !== 1 || about[0]!.action !== `${o.owner.kind}.${action}.refused`) wrong.push(`${at}: audited as ${JSON.stringify(about)}`)
            if ((res.text ?? '').includes('Fictional report')) wrong.push(`${at}: the refusal names the document`)
          } else {
            outcomes.add(`${decision.ground} ${action}`)
            if (res.status !== 200) wrong.push(`${at}: ${res.status}`)
            if (action === 'read' && !about.some((e) => e.action === `${o.owner.kind}.view` && (e.detail as { section?: string }).section === 'documents')) {
              wrong.push(`${at}: not audited as a view of the record's documents: ${JSON.stringify(about)}`)
            }
            if (route.path.endsWith('versionId') || route.path.endsWith('{versionId}')) {
              const downloads = await database.db.select().from(auditEvent).where(and(eq(auditEvent.requestId, requestId), eq(auditEvent.action, 'document.download'), eq(auditEvent.recordId, o.versionId)))
              if (downloads.length !== 1) wrong.push(`${at}: the download is audited ${downloads.length} times`)
            }
          }
        }
      }
    }
    assert.ok(sent >= 200, `only ${sent} requests`)
    for (const o of ['designated-officer-team read', 'designated-officer-team update', 'employer-contact read', 'review-member read', 'review-member update', 'refused lado-case', 'refused practice-review', 'another partnership']) {
      assert.ok(outcomes.has(o), `no request where ${o}: ${[...outcomes].join(', ')}`)
    }
    assert.deepEqual(wrong, [])
  })
})
