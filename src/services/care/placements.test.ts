import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { and, eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { CARE_START } from '../../../test/support/care.ts'
import { openTestWorld, World } from '../../../test/support/fixtures.ts'
import { auditEvent, carer, lookedAfterPeriod, recordRevision } from '../../db/schema/index.ts'
import { AccessDenied, EditConflict, ValidationFailed } from '../common/context.ts'
import { becomeLookedAfter, endLookedAfter, lookedAfterOfCase } from '../journey/looked-after.ts'
import { lookedAfterStart } from '../journey/looked-after-input.ts'
import { placementMoveInput, temporaryMoveInput } from './care-input.ts'
import { teamStability } from './stability.ts'
import { addCarer, carersOf, changeLegalStatus, changePlacement, endTemporaryMove, movePlacement, recordHomePostcode, startTemporaryMove } from './placements.ts'

let database: TestDatabase
let world: World
before(async () => ({ database, world } = await openTestWorld()))
after(() => database.close())

async function inCare(startedOn = '2026-05-12', legalStatus = 'L2') {
  const worker = await world.user(['social-worker'])
  const { caseId } = await world.childCase({ worker: worker.userId })
  const ctx = world.ctx(worker)
  const period = await becomeLookedAfter(ctx, caseId, { startedOn, legalStatus, ...CARE_START })
  return { worker, caseId, ctx, period }
}

const move = (fields: Record<string, unknown>) =>
  placementMoveInput.parse({ endReason: 'CARPL', placeType: 'U4', provider: 'PR4', newCarerName: 'Birch household', newCarerKind: 'foster', urn: 'SC123456', placementPostcode: 'ZQ8 6ED', ...fields })

/** Rejects with a ValidationFailed naming `field` with a message matching `message`. */
async function refused(work: Promise<unknown>, field: string, message: RegExp) {
  await assert.rejects(work, (err: unknown) => {
    assert.ok(err instanceof ValidationFailed, String(err))
    assert.match(err.fieldErrors[field] ?? '', message, JSON.stringify(err.fieldErrors))
    return true
  })
}

describe('a period of care: its 903 context, legal statuses, placements and derived episodes', () => {
  test('a new home postcode during care: the episodes from then give it; refused on the start, twice a day, unchanged, unknown, where the child is placed, for a UASC', async () => {
    const { caseId, ctx, period } = await inCare()
    await refused(recordHomePostcode(ctx, caseId, period.id, { homePostcode: 'ZQ3 6HS', fromOn: '2026-05-12' }), 'fromOn', /after the start of the period/)
    await refused(recordHomePostcode(ctx, caseId, period.id, { homePostcode: 'ZQ4 7RD', fromOn: '2026-07-01' }), 'homePostcode', /already ZQ4 7RD/)
    await refused(recordHomePostcode(ctx, caseId, period.id, { homePostcode: 'AB1 2CD', fromOn: '2026-07-01' }), 'homePostcode', /not in the postcode lookup/)
    await refused(recordHomePostcode(ctx, caseId, period.id, { homePostcode: 'ZQ1 2NT', fromOn: '2026-07-01' }), 'homePostcode', /placed at ZQ1 2NT/)
    const home = await recordHomePostcode(ctx, caseId, period.id, { homePostcode: 'zq3 6hs', fromOn: '2026-07-01' })
    assert.equal(home.postcode, 'ZQ3 6HS')
    await refused(recordHomePostcode(ctx, caseId, period.id, { homePostcode: 'ZQ1 1QH', fromOn: '2026-07-01' }), 'fromOn', /already recorded from 2026-07-01/)
    await movePlacement(ctx, caseId, period.id, move({ startedOn: '2026-09-01' }))
    const care = (await lookedAfterOfCase(ctx, caseId)).care[period.id]!
    assert.deepEqual(care.episodes.map((e) => [e.DECOM, e.HOME_POST]), [['2026-05-12', 'ZQ4 7RD'], ['2026-09-01', 'ZQ3 6HS']])
    assert.deepEqual(care.homePostcodes.map((h) => [h.postcode, h.fromOn]), [['ZQ3 6HS', '2026-07-01']])
    const [entry] = await database.db.select().from(auditEvent).where(and(eq(auditEvent.recordId, home.id), eq(auditEvent.action, 'home-postcode.create')))
    assert.ok(entry, 'audited')

    const other = await world.user(['social-worker'])
    const uasc = await world.childCase({ worker: other.userId })
    const uascPeriod = await becomeLookedAfter(world.ctx(other), uasc.caseId, { startedOn: '2026-05-12', legalStatus: 'V2', ...CARE_START, uasc: true, homePostcode: null })
    await refused(recordHomePostcode(world.ctx(other), uasc.caseId, uascPeriod.id, { homePostcode: 'ZQ3 6HS', fromOn: '2026-07-01' }), 'homePostcode', /unaccompanied/)
  })

  test('the worked example of the 903 guide recorded through the services derives the same episodes', async () => {
    const { caseId, ctx, period } = await inCare()
    await changeLegalStatus(ctx, caseId, period.id, { legalStatus: 'C1', fromOn: '2026-05-16' })
    await movePlacement(ctx, caseId, period.id, move({ startedOn: '2026-11-03' }))
    const away = await startTemporaryMove(ctx, caseId, period.id, temporaryMoveInput.parse({ placeType: 'T3', startedOn: '2026-11-10', placementPostcode: 'zq5 5bl', newCarerName: 'Respite carers', newCarerKind: 'foster' }))
    let page = await lookedAfterOfCase(ctx, caseId)
    assert.equal(page.care[period.id]!.placements.find((p) => p.current)!.id, away.id, 'the temporary move is where the child is now')
    await endTemporaryMove(ctx, caseId, away.id, { version: away.version, endedOn: '2026-11-15' })
    page = await lookedAfterOfCase(ctx, caseId)
    const care = page.care[period.id]!
    assert.deepEqual(
      care.episodes.map((e) => [e.DECOM, e.RNE, e.LS, e.PLACE, e.PLACE_PROVIDER, e.DEC, e.REC, e.REASON_PLACE_CHANGE].join(' ').trim()),
      [
        '2026-05-12 S L2 U6 PR1 2026-05-16 X1',
        '2026-05-16 L C1 U6 PR1 2026-11-03 X1 CARPL',
        '2026-11-03 P C1 U4 PR4 2026-11-10 X1',
        '2026-11-10 P C1 T3  2026-11-15 X1',
        '2026-11-15 P C1 U4 PR4',
      ],
    )
    assert.deepEqual(care.episodes.map((e) => e.URN), ['XXXXXXX', 'XXXXXXX', 'SC123456', '', 'SC123456'])
    assert.ok(care.episodes.every((e) => e.HOME_POST === 'ZQ4 7RD' && e.CIN === 'N1'))
    assert.deepEqual(care.placements.map((p) => [p.placeType, p.postcode, p.current, p.location?.location]), [
      ['U6', 'ZQ1 2NT', false, 'IN'],
      ['U4', 'ZQ8 6ED', true, 'IN'],
      ['T3', 'ZQ5 5BL', false, 'IN'],
    ])
    assert.equal(care.placements[0]!.location!.miles, 1.8)
    assert.deepEqual(care.legalStatuses.map((s) => `${s.legalStatus} ${s.fromOn}`), ['L2 2026-05-12', 'C1 2026-05-16'])
    assert.equal(care.stability.placementsIn12Months, 2)
    assert.equal(care.stability.currentSince, '2026-11-03')
    const [row] = await database.db.select().from(lookedAfterPeriod).where(eq(lookedAfterPeriod.id, period.id))
    assert.equal(row!.legalStatus, 'C1', 'the period shows the legal status in force')

    // Leaving care: the reason ceased ends the last episode; the open placement ends that day.
    await endLookedAfter(ctx, caseId, period.id, { version: row!.version, endedOn: '2026-11-18', reasonCeased: 'E4A' })
    const ended = (await lookedAfterOfCase(ctx, caseId)).care[period.id]!
    assert.deepEqual(ended.episodes.at(-1)!.DEC + ' ' + ended.episodes.at(-1)!.REC, '2026-11-18 E4A')
    assert.equal(ended.placements[1]!.endedOn, '2026-11-18')
    assert.equal(ended.placements[1]!.endReason, null)
  })

  test('the start asks for what the 903 needs: a known postcode, a provider the type allows, the home postcode unless UASC', async () => {
    const worker = await world.user(['social-worker'])
    const { caseId } = await world.childCase({ worker: worker.userId })
    const ctx = world.ctx(worker)
    const start = (fields: Record<string, unknown>) => becomeLookedAfter(ctx, caseId, lookedAfterStart.parse({ startedOn: '2026-06-01', legalStatus: 'V2', ...CARE_START, ...fields }))
    await refused(start({ placementPostcode: 'AB1 2CD' }), 'placementPostcode', /not in the postcode lookup/)
    await refused(start({ provider: 'PR0' }), 'provider', /Only a placement with parents/)
    await refused(start({ placeType: 'P1', provider: 'PR0' }), 'placeType', /section 20/)
    await refused(start({ homePostcode: '' }), 'homePostcode', /Enter the child’s home postcode/)
    await refused(start({ uasc: true }), 'homePostcode', /Leave the home postcode empty/)
    await refused(start({ placeType: 'K3' }), 'placeType', /16 or over/)
    await refused(start({ newCarerName: '' }), 'carerId', /Select who the child is placed with/)
    await refused(start({ placementPostcode: 'ZQ4 7RD' }), 'placementPostcode', /home postcode/)
    await refused(becomeLookedAfter(ctx, caseId, lookedAfterStart.parse({ startedOn: '2025-03-01', legalStatus: 'V2', ...CARE_START, placeType: 'Z11', provider: null })), 'placeType', /not a placement type of the 903 for 2024-25/)
    assert.equal((await lookedAfterOfCase(ctx, caseId)).periods.length, 0, 'nothing was kept of the refused starts')
    const uasc = await start({ uasc: true, homePostcode: null, categoryOfNeed: 'N8' })
    const care = (await lookedAfterOfCase(ctx, caseId)).care[uasc.id]!
    assert.equal(care.context!.homePostcode, null)
    assert.equal(care.episodes[0]!.HOME_POST, '')
    assert.equal(care.placements[0]!.location!.miles, null)
    assert.ok((await carersOf(ctx)).some((c) => c.name === 'Oak household' && c.kind === 'foster'))
  })

  test('legal status changes fall inside the period, one a day, and change something', async () => {
    const { caseId, ctx, period } = await inCare('2026-06-01', 'C1')
    await refused(changeLegalStatus(ctx, caseId, period.id, { legalStatus: 'C2', fromOn: '2026-06-01' }), 'fromOn', /after the start of the period/)
    await refused(changeLegalStatus(ctx, caseId, period.id, { legalStatus: 'C2', fromOn: '2026-05-01' }), 'fromOn', /after the start/)
    await refused(changeLegalStatus(ctx, caseId, period.id, { legalStatus: 'C1', fromOn: '2026-07-01' }), 'legalStatus', /already C1/)
    await refused(changeLegalStatus(ctx, caseId, period.id, { legalStatus: 'C2', fromOn: '2026-12-01' }), 'fromOn', /future|after today|today/i)
    await changeLegalStatus(ctx, caseId, period.id, { legalStatus: 'C2', fromOn: '2026-07-01' })
    await refused(changeLegalStatus(ctx, caseId, period.id, { legalStatus: 'E1', fromOn: '2026-07-01' }), 'fromOn', /already recorded/)
    const [row] = await database.db.select().from(lookedAfterPeriod).where(eq(lookedAfterPeriod.id, period.id))
    await endLookedAfter(ctx, caseId, period.id, { version: row!.version, endedOn: '2026-08-01', reasonCeased: 'E41' })
    await refused(changeLegalStatus(ctx, caseId, period.id, { legalStatus: 'E1', fromOn: '2026-07-15' }), 'period', /ended on 2026-08-01/)
  })

  test('placements cannot start before the period or overlap; temporary moves interrupt the open placement', async () => {
    const { caseId, ctx, period } = await inCare('2026-06-01', 'C2')
    await refused(movePlacement(ctx, caseId, period.id, move({ startedOn: '2026-05-01' })), 'startedOn', /before the period of care/)
    await refused(movePlacement(ctx, caseId, period.id, move({ startedOn: '2026-06-01' })), 'startedOn', /cannot overlap/)
    await refused(movePlacement(ctx, caseId, period.id, move({ startedOn: '2026-07-01', provider: null })), 'provider', /Select who provides/)
    const t = await startTemporaryMove(ctx, caseId, period.id, temporaryMoveInput.parse({ placeType: 'T1', startedOn: '2026-07-01', placementPostcode: 'ZQ3 6HS' }))
    await refused(startTemporaryMove(ctx, caseId, period.id, temporaryMoveInput.parse({ placeType: 'T4', startedOn: '2026-07-03', placementPostcode: 'ZQ3 6HS' })), 'startedOn', /cannot overlap/)
    await refused(movePlacement(ctx, caseId, period.id, move({ startedOn: '2026-07-05' })), 'startedOn', /temporary move/)
    const [row] = await database.db.select().from(lookedAfterPeriod).where(eq(lookedAfterPeriod.id, period.id))
    await refused(endLookedAfter(ctx, caseId, period.id, { version: row!.version, endedOn: '2026-07-05', reasonCeased: 'E4A' }), 'endedOn', /temporary move/)
    await refused(endTemporaryMove(ctx, caseId, t.id, { version: t.version, endedOn: '2026-07-01' }), 'endedOn', /after the start/)
    await endTemporaryMove(ctx, caseId, t.id, { version: t.version, endedOn: '2026-07-08' })
    await refused(movePlacement(ctx, caseId, period.id, move({ startedOn: '2026-06-20' })), 'startedOn', /after 2026-07-01/)
    const moved = await movePlacement(ctx, caseId, period.id, move({ startedOn: '2026-08-01' }))
    const care = (await lookedAfterOfCase(ctx, caseId)).care[period.id]!
    assert.deepEqual(care.episodes.map((e) => `${e.RNE} ${e.PLACE} ${e.REASON_PLACE_CHANGE}`.trim()), ['S U6', 'P T1', 'P U6 CARPL', 'P U4'])
    assert.equal(moved.carerId !== null, true)
  })

  test('a placement’s details are corrected from the version read; an old version is refused with nothing saved', async () => {
    const { caseId, ctx, period } = await inCare('2026-06-01', 'C2')
    const [first] = (await lookedAfterOfCase(ctx, caseId)).care[period.id]!.placements
    const changed = await changePlacement(ctx, caseId, first!.id, { version: first!.version, urn: 'SC654321', placementPostcode: 'zq3 6hs' })
    assert.equal(changed.urn, 'SC654321')
    assert.equal(changed.postcode, 'ZQ3 6HS')
    await assert.rejects(changePlacement(ctx, caseId, first!.id, { version: first!.version, urn: 'SC111111' }), EditConflict)
    await refused(changePlacement(ctx, caseId, first!.id, { version: changed.version, provider: null }), 'provider', /Select who provides/)
    await refused(changePlacement(ctx, caseId, first!.id, { version: changed.version, endReason: 'CARPL' }), 'endReason', /Only a placement that ended/)
    const revisions = await database.db.select().from(recordRevision).where(and(eq(recordRevision.entityId, first!.id), eq(recordRevision.entity, 'placement')))
    assert.deepEqual(revisions.map((r) => r.version).sort(), [1, 2])
  })

  test('only people who may change the case record care; every change and read is audited', async () => {
    const { caseId, ctx, period } = await inCare('2026-06-01', 'C2')
    const colleague = await world.user(['social-worker'])
    await assert.rejects(changeLegalStatus(world.ctx(colleague), caseId, period.id, { legalStatus: 'E1', fromOn: '2026-07-01' }), AccessDenied)
    await assert.rejects(movePlacement(world.ctx(colleague), caseId, period.id, move({ startedOn: '2026-07-01' })), AccessDenied)
    const outsider = await world.user(['social-worker'], { team: 'front-door' })
    await assert.rejects(lookedAfterOfCase(world.ctx(outsider), caseId), AccessDenied)
    await changeLegalStatus(ctx, caseId, period.id, { legalStatus: 'E1', fromOn: '2026-07-01' })
    const actions = (await database.db.select({ action: auditEvent.action }).from(auditEvent).where(eq(auditEvent.subjectPersonId, (await lookedAfterOfCase(ctx, caseId)).c.personId))).map((a) => a.action)
    for (const a of ['period-of-care.create', 'placement.create', 'legal-status.create', 'case.update.refused', 'case.read.refused', 'case.view']) assert.ok(actions.includes(a), `${a} in ${actions.join(', ')}`)
    const added = await addCarer(ctx, { name: 'Northshire Road children’s home', kind: 'childrens-home', urn: 'SC900100' })
    const [row] = await database.db.select().from(carer).where(eq(carer.id, added.id))
    assert.equal(row!.partnershipId, ctx.actor.partnershipId)
  })

  test('the team’s placement stability lists children with 3+ placements in 12 months and long-term unstable ones, to those who may see them', async () => {
    const a = await inCare('2026-01-05', 'C2')
    await movePlacement(a.ctx, a.caseId, a.period.id, move({ startedOn: '2026-03-01' }))
    await movePlacement(a.ctx, a.caseId, a.period.id, move({ startedOn: '2026-06-01', placementPostcode: 'ZQ3 6HS' }))
    const b = await inCare('2023-01-02', 'C2')
    await movePlacement(b.ctx, b.caseId, b.period.id, move({ startedOn: '2025-06-01' }))
    const colleague = await world.user(['social-worker'])
    const view = await teamStability(world.ctx(colleague))
    assert.ok(view.threeOrMore.some((c) => c.caseId === a.caseId && c.placementsIn12Months === 3))
    assert.ok(!view.threeOrMore.some((c) => c.caseId === b.caseId))
    assert.ok(view.longTermUnstable.some((c) => c.caseId === b.caseId && c.currentSince === '2025-06-01'))
    const [entry] = await database.db.select().from(auditEvent).where(and(eq(auditEvent.actorUserId, colleague.userId), eq(auditEvent.action, 'case.list')))
    assert.ok(((entry!.detail as { caseIds: string[] }).caseIds).includes(a.caseId))
    const outsider = await world.user(['social-worker'], { team: 'front-door' })
    const theirs = await teamStability(world.ctx(outsider))
    assert.ok(![...theirs.threeOrMore, ...theirs.longTermUnstable].some((c) => c.caseId === a.caseId || c.caseId === b.caseId))
  })
})
