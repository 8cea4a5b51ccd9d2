/**
 * The partnership's records in a subject access bundle (issue 18 §3): a LADO case naming the child
 * (with its meetings and documents, each version listed), a serious incident and practice review of
 * the child's case (with the review's documents), and an allegation about the person by name; each
 * record read through the policy under the subject-access ground and audited against the person;
 * every item flagged for the reviewer, who decides it as any other.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { and, eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { openTestWorld, World } from '../../../test/support/fixtures.ts'
import { fileWriter, PDF } from '../../../test/support/documents.ts'
import { ladoReferral } from '../../../test/support/lado.ts'
import { auditEvent, person } from '../../db/schema/index.ts'
import { addOwnerDocumentVersion, uploadOwnerDocuments } from '../partnership/documents.ts'
import { recordIncident, recordNotification, recordRapidReviewDecision } from '../partnership/incidents.ts'
import { addLadoChild, addLadoMeeting, recordLadoReferral } from '../partnership/lado/cases.ts'
import type { LadoReferralInput } from '../partnership/lado/input.ts'
import { startReview } from '../partnership/practice-reviews.ts'
import { documentDetails } from './documents-input.ts'
import { subjectAccessItemDecision, subjectAccessNew } from './subject-access-input.ts'
import { compileSubjectAccessBundle, decideSubjectAccessItem, getSubjectAccessRequest, recordSubjectAccessRequest } from './subject-access.ts'

let database: TestDatabase
let world: World
let dir: string
type User = Awaited<ReturnType<World['user']>>
let officer: User
let lead: User
let dpo: User
before(async () => {
  ;({ database, world } = await openTestWorld())
  dir = await mkdtemp(join(tmpdir(), 'sar-partnership-test-'))
  await world.team('lado', 'council')
  officer = await world.user(['designated-officer'], { team: 'lado' })
  lead = await world.user(['business-unit'], { team: null })
  dpo = await world.user(['auditor'], { team: null })
})
after(async () => {
  await database.close()
  await rm(dir, { recursive: true, force: true })
})

const file = fileWriter(() => dir)
let nhs = 9990007600
/** A child with a case and an NHS number, so partnership records can name them. */
async function child(names: { givenName?: string; familyName?: string } = {}) {
  const c = await world.childCase(names)
  const number = String(nhs++)
  await database.db.update(person).set({ nhsNumber: number }).where(eq(person.id, c.personId))
  return { ...c, nhs: number }
}

const referral = (over: Partial<LadoReferralInput> = {}) => ladoReferral({ allegation: 'Grabbed a pupil by the arm (fictional)', ...over })

async function compiled(personId: string) {
  const ctx = world.ctx(dpo)
  const { id } = await recordSubjectAccessRequest(
    ctx,
    subjectAccessNew.parse({ requesterName: 'Ash Parent', requesterKind: 'parent', requesterRelationship: 'Mother', receivedOn: '2026-11-02', personIds: [personId] }),
  )
  await compileSubjectAccessBundle(ctx, id, 1)
  return getSubjectAccessRequest(ctx, id)
}

describe('a subject access bundle and the partnership’s records', () => {
  test('a child named in a LADO case gets the case, its meetings and its documents (each version), flagged; a child not named does not', async () => {
    const named = await child()
    const other = await child()
    const ctx = world.ctx(officer)
    const lado = await recordLadoReferral(ctx, referral({ childDescription: 'A Year 4 pupil' }))
    await addLadoChild(ctx, lado.id, { childNhsNumber: named.nhs, childDescription: null })
    await addLadoMeeting(ctx, lado.id, { kind: 'strategy', heldOn: '2026-11-18', attendees: 'LADO, police, head teacher', decisions: 'Police to interview (fictional)' })
    const owner = { kind: 'lado-case' as const, id: lado.id }
    const [doc] = await uploadOwnerDocuments(ctx, owner, documentDetails.parse({ title: 'Employer’s investigation report', kind: 'report-from-partner', datedOn: '2026-11-10', receivedFrom: 'Hill Primary' }), [
      await file('report.pdf', PDF('one')),
    ])
    await addOwnerDocumentVersion(ctx, owner, doc!.id, { version: doc!.version }, await file('report-2.pdf', PDF('two')))

    const view = await compiled(named.personId)
    const fromLado = view.items.filter((i) => i.source === 'Allegation (LADO)')
    assert.deepEqual(fromLado.map((i) => i.sourceRef), [`lado-case:${lado.id}`, fromLado[1]!.sourceRef])
    assert.match(fromLado[0]!.text, /a child the allegation concerns[\s\S]*Grabbed a pupil by the arm/)
    assert.match(fromLado[1]!.text, /Police to interview/)
    const ladoDoc = view.items.find((i) => i.sourceRef === `document:${doc!.id}`)!
    assert.ok(ladoDoc, 'the LADO case’s document is in the bundle')
    assert.match(ladoDoc.text, /Version 1: report\.pdf[\s\S]*Version 2: report-2\.pdf/)
    assert.equal(ladoDoc.caseId, named.caseId)
    for (const i of [...fromLado, ladoDoc]) assert.equal(i.reviewFlag, 'third-party-likely', i.title)
    assert.ok(view.items.filter((i) => i.source === 'Case').every((i) => i.reviewFlag === null), 'the child’s own case items are not flagged')
    const reads = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.recordId, lado.id), eq(auditEvent.action, 'lado-case.view'), eq(auditEvent.actorUserId, dpo.userId)))
    assert.equal(reads.length, 1)
    assert.deepEqual([reads[0]!.ground, reads[0]!.subjectPersonId, reads[0]!.detail], ['subject-access', named.personId, { section: 'subject-access', request: view.id }])

    const notNamed = await compiled(other.personId)
    assert.equal(notNamed.items.filter((i) => i.source === 'Allegation (LADO)' || i.sourceRef === `document:${doc!.id}`).length, 0)

    // The reviewer decides a flagged item as any other: withheld, as about another person.
    const item = fromLado[0]!
    await decideSubjectAccessItem(world.ctx(dpo), view.id, item.id, subjectAccessItemDecision.parse({ decision: 'withheld', exemption: 'third-party', version: item.version }))
    assert.equal((await getSubjectAccessRequest(world.ctx(dpo), view.id)).items.find((i) => i.id === item.id)!.decision, 'withheld')
  })

  test('a serious incident and the practice review linked to the child’s case are included, with the review’s documents', async () => {
    const c = await child()
    const ctx = world.ctx(lead)
    const i = await recordIncident(ctx, { child: c.nhs, kind: 'death-abuse-neglect', incidentOn: '2026-06-01', awareOn: '2026-06-01', summary: 'Fictional incident summary' })
    await recordNotification(ctx, i.id, { notifiedOn: '2026-06-03', lateReason: null, version: 1 })
    await recordRapidReviewDecision(ctx, i.id, { decision: 'local-review', reasons: 'Learning', decidedOn: '2026-06-20', version: 2 })
    const review = await startReview(ctx, { incidentId: i.id, title: 'Child A (fictional)', decidedOn: '2026-06-24', notifiedOn: null })
    const [doc] = await uploadOwnerDocuments(ctx, { kind: 'practice-review', id: review.id }, documentDetails.parse({ title: 'Agency report', kind: 'report-from-partner', datedOn: '2026-07-01', receivedFrom: 'Health' }), [
      await file('agency.pdf', PDF('agency')),
    ])

    const view = await compiled(c.personId)
    const incident = view.items.find((x) => x.sourceRef === `serious-incident:${i.id}`)!
    assert.match(incident.text, /Fictional incident summary/)
    const reviewItem = view.items.find((x) => x.sourceRef === `practice-review:${review.id}`)!
    assert.match(reviewItem.title, /Child A \(fictional\)/)
    const reviewDoc = view.items.find((x) => x.sourceRef === `document:${doc!.id}`)!
    assert.match(reviewDoc.text, /Version 1: agency\.pdf/)
    for (const x of [incident, reviewItem, reviewDoc]) assert.deepEqual([x.reviewFlag, x.caseId], ['third-party-likely', c.caseId])
    const actions = await database.db.select({ action: auditEvent.action, ground: auditEvent.ground }).from(auditEvent).where(and(eq(auditEvent.actorUserId, dpo.userId), eq(auditEvent.subjectPersonId, c.personId)))
    assert.ok(actions.some((a) => a.action === 'serious-incident.view' && a.ground === 'subject-access'))
    assert.ok(actions.some((a) => a.action === 'practice-review.view' && a.ground === 'subject-access'))
  })

  test('an allegation about the person, by name, is included and flagged to check it is the same person', async () => {
    const adult = await child({ givenName: 'Robin', familyName: 'Testcase' })
    const lado = await recordLadoReferral(world.ctx(officer), referral({ subjectName: '  robin   TESTCASE ', childDescription: 'A pupil' }))
    const view = await compiled(adult.personId)
    const item = view.items.find((i) => i.sourceRef === `lado-case:${lado.id}`)!
    assert.deepEqual([item.reviewFlag, item.caseId], ['name-match', null])
    assert.match(item.text, /the person the allegation is about/)
  })
})
