import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { and, eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { openTestWorld, World } from '../../../test/support/fixtures.ts'
import { agency, assessment, auditEvent, caseNote, cinEpisode, contact, person, personRelationship } from '../../db/schema/index.ts'
import type { Actor } from '../common/context.ts'
import { AccessDenied } from '../common/context.ts'
import { createRecord, updateRecord, withCase, type CaseTable } from './case-records.ts'
import { chronology, chronologyQuery, filtersOf } from './chronology.ts'

let database: TestDatabase
let world: World
before(async () => ({ database, world } = await openTestWorld()))
after(() => database.close())

const at = (iso: string) => new Date(iso)
type Row = { id: string; version: number }

/** Writes a journey record as `author`, on a case opened by `opener` (a partner may contribute to a case they cannot update). */
function write<T extends Row>(opener: Actor, author: Actor, when: string, caseId: string, entity: string, table: CaseTable, values: Record<string, unknown>) {
  return withCase(world.ctx(opener, at(when)), caseId, 'case:update', (tx, open) =>
    createRecord<T>(world.ctx(author, at(when)), tx, open, entity, table, values),
  )
}

function change<T extends Row>(by: Actor, when: string, caseId: string, entity: string, table: CaseTable, row: Row, changes: Record<string, unknown>) {
  return withCase(world.ctx(by, at(when)), caseId, 'case:update', (tx, open) =>
    updateRecord<T>(world.ctx(by, at(when)), tx, open, entity, table, row.id, row.version, changes),
  )
}

async function agencyName(id: string) {
  const [a] = await database.db.select({ name: agency.name }).from(agency).where(eq(agency.id, id))
  return a!.name
}

describe('a child’s chronology from the record revisions', () => {
  let worker: Actor
  let dsl: Actor
  let caseId: string
  let assessmentV3: Row

  before(async () => {
    worker = await world.user(['social-worker'])
    dsl = await world.user(['partner-practitioner'], { agency: 'school', team: null })
    ;({ caseId } = await world.childCase({ worker: worker.userId }))

    await write(worker, dsl, '2026-03-02T09:00:00Z', caseId, 'contact', contact as unknown as CaseTable, {
      receivedAt: at('2026-03-02T08:45:00Z'),
      source: '2A',
      referrerName: 'Dana Fictional',
      concern: 'Bruise on the arm, explanation changed twice.',
      consent: 'given',
      urgency: 'urgent',
      decision: 'referral',
    })
    const episode = await write<Row>(worker, worker, '2026-03-02T11:00:00Z', caseId, 'cin-episode', cinEpisode, {
      referralDate: '2026-03-02',
      referralSource: '2A',
    })
    const started = await write<Row>(worker, worker, '2026-03-03T10:00:00Z', caseId, 'assessment', assessment, {
      episodeId: episode.id,
      kind: 'single',
      startedOn: '2026-03-03',
    })
    const completed = await change<Row>(worker, '2026-03-20T15:00:00Z', caseId, 'assessment', assessment, started, {
      completedOn: '2026-03-19',
      outcome: 'nfa',
    })
    // Corrected after the event: the outcome recorded on 20 March was wrong.
    assessmentV3 = await change<Row>(worker, '2026-04-02T09:00:00Z', caseId, 'assessment', assessment, completed, { outcome: 'cin-plan' })
    await write(worker, worker, '2026-04-02T10:00:00Z', caseId, 'case-note', caseNote, {
      kind: 'note',
      occurredOn: '2026-03-15',
      title: 'Call with the school',
      body: 'Late entry: the school phoned on 15 March.',
    })
  })

  test('shows every record once, attributed to the person and agency who recorded it, in date order', async () => {
    const view = await chronology(world.ctx(worker, at('2026-04-10T12:00:00Z')), caseId)
    assert.deepEqual(
      view.entries.map((e) => [e.date, e.kind, e.title, e.recordedBy, e.agencyId]),
      [
        ['2026-03-02', 'contact', 'Contact from Schools: referral to children\'s social care', dsl.displayName, dsl.agencyId],
        ['2026-03-02', 'referral', 'Referral from Schools', worker.displayName, worker.agencyId],
        ['2026-03-03', 'assessment', 'Child and family (single) assessment started', worker.displayName, worker.agencyId],
        ['2026-03-15', 'note', 'Case note: Call with the school', worker.displayName, worker.agencyId],
        ['2026-03-19', 'assessment', 'Child and family (single) assessment completed: child in need plan', worker.displayName, worker.agencyId],
      ],
    )
    assert.equal(view.entries[0]!.agency, await agencyName(dsl.agencyId))
    assert.deepEqual(view.agencies.map((a) => a.id).sort(), [dsl.agencyId, worker.agencyId].sort())
    assert.equal(view.entries[4]!.version, assessmentV3.version)
    assert.equal(view.case.id, caseId)
    assert.equal(view.asKnownAt, null)
  })

  test('as known at a date: later records are left out and corrected records show what they said then', async () => {
    const ctx = world.ctx(worker, at('2026-04-10T12:00:00Z'))
    const lateMarch = await chronology(ctx, caseId, { asKnownAt: '2026-03-25' })
    assert.deepEqual(
      lateMarch.entries.map((e) => e.title),
      [
        "Contact from Schools: referral to children's social care",
        'Referral from Schools',
        'Child and family (single) assessment started',
        'Child and family (single) assessment completed: no further action',
      ],
    )
    const early = await chronology(ctx, caseId, { asKnownAt: '2026-03-10' })
    assert.deepEqual(early.entries.map((e) => e.title).at(-1), 'Child and family (single) assessment started')
    assert.equal(early.entries.length, 3)
    const before = await chronology(ctx, caseId, { asKnownAt: '2026-03-01' })
    assert.deepEqual(before.entries, [])
  })

  test('the end of the day is England’s: a record written at 23:30 UTC in summer belongs to the next day', async () => {
    const other = await world.childCase({ worker: worker.userId })
    await write(worker, worker, '2026-06-01T23:30:00Z', other.caseId, 'case-note', caseNote, {
      kind: 'note',
      occurredOn: '2026-06-01',
      title: 'Out of hours call',
      body: 'b',
    })
    const ctx = world.ctx(worker, at('2026-06-10T12:00:00Z'))
    assert.equal((await chronology(ctx, other.caseId, { asKnownAt: '2026-06-01' })).entries.length, 0)
    assert.equal((await chronology(ctx, other.caseId, { asKnownAt: '2026-06-02' })).entries.length, 1)
  })

  test('filters by kind, agency and dates; the API query accepts comma-separated kinds', async () => {
    const ctx = world.ctx(worker, at('2026-04-10T12:00:00Z'))
    const parsed = chronologyQuery.parse({ kinds: 'assessment,note', from: '2026-03-10', to: '' })
    const view = await chronology(ctx, caseId, filtersOf(parsed))
    assert.deepEqual(view.entries.map((e) => e.kind), ['note', 'assessment'])
    assert.equal(view.total, 5)
    const bySchool = await chronology(ctx, caseId, { agencyId: dsl.agencyId })
    assert.deepEqual(bySchool.entries.map((e) => e.kind), ['contact'])
    assert.equal(chronologyQuery.safeParse({ from: '2026-04-01', to: '2026-03-01' }).success, false)
    assert.equal(chronologyQuery.safeParse({ kinds: ['assessment', 'gossip'] }).success, false)
  })

  test('a completion stays credited to whoever recorded it when a manager later authorises and corrects it (issue 16, item 10)', async () => {
    const manager = await world.user(['team-manager'])
    const { caseId: other } = await world.childCase({ worker: worker.userId })
    const episode = await write<Row>(worker, worker, '2026-05-01T10:00:00Z', other, 'cin-episode', cinEpisode, { referralDate: '2026-05-01', referralSource: '2A' })
    const started = await write<Row>(worker, worker, '2026-05-02T10:00:00Z', other, 'assessment', assessment, { episodeId: episode.id, kind: 'single', startedOn: '2026-05-02' })
    const completed = await change<Row>(worker, '2026-05-20T10:00:00Z', other, 'assessment', assessment, started, { completedOn: '2026-05-20', outcome: 'nfa' })
    await change<Row>(manager, '2026-05-22T10:00:00Z', other, 'assessment', assessment, completed, { outcome: 'cin-plan', authorisedOn: '2026-05-22' })
    const view = await chronology(world.ctx(worker, at('2026-06-01T10:00:00Z')), other, { kinds: ['assessment'] })
    assert.deepEqual(
      view.entries.map((e) => [e.title, e.recordedBy, e.recordedAt, e.editedBy, e.editedAt]),
      [
        ['Child and family (single) assessment started', worker.displayName, '2026-05-02T10:00:00.000Z', null, null],
        ['Child and family (single) assessment completed: child in need plan', worker.displayName, '2026-05-20T10:00:00.000Z', manager.displayName, '2026-05-22T10:00:00.000Z'],
        ['Child and family (single) assessment authorised', manager.displayName, '2026-05-22T10:00:00.000Z', null, null],
      ],
    )
  })

  test('family relationships name the other person', async () => {
    const { caseId: familyCase, personId } = await world.childCase({ worker: worker.userId })
    const [parent] = await database.db
      .insert(person)
      .values({ partnershipId: world.partnershipId, givenName: 'Pat', familyName: 'Fictional' })
      .returning({ id: person.id })
    await write(worker, worker, '2026-05-05T10:00:00Z', familyCase, 'relationship', personRelationship as unknown as CaseTable, {
      personId,
      relatedPersonId: parent!.id,
      kind: 'parent',
      parentalResponsibility: true,
    })
    const view = await chronology(world.ctx(worker, at('2026-05-06T10:00:00Z')), familyCase)
    assert.deepEqual(view.entries.map((e) => [e.date, e.title]), [['2026-05-05', 'Parent added to the family network: Pat Fictional']])
  })

  test('reading it is audited as a read of the chronology; someone with no relationship is refused', async () => {
    await chronology(world.ctx(worker, at('2026-04-10T12:00:00Z')), caseId)
    const reads = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.recordId, caseId), eq(auditEvent.action, 'case.view'), eq(auditEvent.actorUserId, worker.userId)))
    assert.ok(reads.some((r) => (r.detail as { section?: string }).section === 'chronology'))

    const stranger = await world.user(['partner-practitioner'], { agency: 'police', team: null })
    await assert.rejects(chronology(world.ctx(stranger), caseId), AccessDenied)
    const [refusal] = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.recordId, caseId), eq(auditEvent.actorUserId, stranger.userId)))
    assert.equal(refusal!.action, 'case.read.refused')
    assert.deepEqual(refusal!.detail, { section: 'chronology' })
  })
})
