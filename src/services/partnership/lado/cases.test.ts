/** Allegations against people who work with children: referral to outcome, the 1-working-day referral, targets, and who is refused. */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { and, eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { openTestWorld, World } from '../../../../test/support/fixtures.ts'
import { ladoReferral } from '../../../../test/support/lado.ts'
import { auditEvent, person } from '../../../db/schema/index.ts'
import { roleIds } from '../../../domain/access/roles.ts'
import { AccessDenied, EditConflict, ValidationFailed } from '../../common/context.ts'
import { addLadoChild, addLadoMeeting, explainLadoDelay, getLadoCase, ladoTargetsReport, listLadoCases, recordLadoOutcome, recordLadoReferral } from './cases.ts'
import { ladoReferralInput, type LadoReferralInput } from './input.ts'
import { lateCompletionsByReason } from '../../journey/clock-delays.ts'

let database: TestDatabase
let world: World
let officer: Awaited<ReturnType<World['user']>>
let contact: Awaited<ReturnType<World['user']>>
after(() => database.close())
before(async () => {
  ({ database, world } = await openTestWorld())
  await world.team('lado', 'council')
  await world.team('lado-other', 'council')
  officer = await world.user(['designated-officer'], { team: 'lado' })
  contact = await world.user(['partner-practitioner'], { agency: 'school', team: null })
})

const referral = (over: Partial<LadoReferralInput> = {}): LadoReferralInput =>
  ladoReferral({ employerAgencyId: world.agencies.school!, employerName: null, employerContactUserId: contact.userId, categories: ['harm', 'risk'], allegation: 'Grabbed a pupil by the arm (fictional)', childDescription: 'A Year 4 pupil', ...over })

const refusals = (recordId: string, actorUserId: string) =>
  database.db
    .select()
    .from(auditEvent)
    .where(and(eq(auditEvent.recordId, recordId), eq(auditEvent.actorUserId, actorUserId), eq(auditEvent.action, 'lado-case.read.refused')))

describe('LADO cases', () => {
  test('a case runs from referral through a strategy meeting to its outcome', async () => {
    const ctx = world.ctx(officer)
    const child = await world.childCase()
    await database.db.update(person).set({ nhsNumber: '9990000301' }).where(eq(person.id, child.personId))
    const lado = await recordLadoReferral(ctx, referral({ childNhsNumber: '9990000301', childDescription: null }))
    assert.match(lado.reference, /^LADO-2026-\d{3}$/)
    assert.deepEqual([lado.referralDueOn, lado.edition, lado.category, lado.categories], ['2026-11-17', 2026, 'harm', ['harm', 'risk']])
    assert.equal(lado.employerName.startsWith('school'), true, 'the agency’s name when no other is given')
    await addLadoChild(ctx, lado.id, { childNhsNumber: null, childDescription: 'Another pupil who saw it' })
    await addLadoMeeting(ctx, lado.id, { kind: 'strategy', heldOn: '2026-11-18', attendees: 'LADO, police, head teacher', decisions: 'Police to interview; employer to consider suspension' })
    let view = await getLadoCase(ctx, lado.id)
    assert.equal(view.referralOnTime, true)
    assert.deepEqual(view.children.map((c) => c.name ?? c.description), ['Testy ' + view.children[0]!.name!.split(' ')[1], 'Another pupil who saw it'])
    assert.equal(view.meetings.length, 1)
    assert.deepEqual(view.clocks.map((c) => [c.rule, c.state]), [
      ['lado-referral', 'completed-on-time'],
      ['lado-resolution-month', 'due'],
      ['lado-resolution-quarter', 'due'],
      ['lado-resolution-year', 'due'],
    ])
    assert.equal(view.mayUpdate, true)
    const read = await database.db.select().from(auditEvent).where(and(eq(auditEvent.recordId, lado.id), eq(auditEvent.action, 'lado-case.view')))
    assert.equal(read[0]?.subjectPersonId, child.personId, 'a read is audited against the child')

    await assert.rejects(recordLadoOutcome(ctx, lado.id, { outcome: 'unsubstantiated', outcomeOn: '2026-11-16', outcomeNotes: null, exceptionalReason: null, version: 1 }), ValidationFailed)
    const done = await recordLadoOutcome(ctx, lado.id, { outcome: 'unsubstantiated', outcomeOn: '2026-11-20', outcomeNotes: 'Not enough evidence either way', exceptionalReason: null, version: 1 })
    assert.deepEqual([done.outcome, done.outcomeOn, done.version], ['unsubstantiated', '2026-11-20', 2])
    await assert.rejects(recordLadoOutcome(ctx, lado.id, { outcome: 'false', outcomeOn: '2026-11-20', outcomeNotes: null, exceptionalReason: null, version: 1 }), EditConflict)
    view = await getLadoCase(ctx, lado.id)
    assert.deepEqual(view.clocks.slice(1).map((c) => c.state), ['completed-on-time', 'completed-on-time', 'completed-on-time'])
    const lists = await listLadoCases(ctx)
    assert.equal(lists.concluded.items.some((c) => c.id === lado.id), true)
    assert.equal(lists.open.items.some((c) => c.id === lado.id), false)
  })

  test('each list a page at a time with its total, most recently referred first', async () => {
    await world.team('lado-paging', 'council')
    const pager = await world.user(['designated-officer'], { team: 'lado-paging' })
    const made: string[] = []
    for (let i = 0; i < 23; i++) made.push((await recordLadoReferral(world.ctx(pager), referral({ subjectName: `Paged ${i} (fictional)`, employerContactUserId: null, employerContactName: 'Business manager (fictional)' }))).id)
    const first = await listLadoCases(world.ctx(pager))
    assert.deepEqual([first.open.items.length, first.open.total, first.concluded.total], [20, 23, 0])
    const second = await listLadoCases(world.ctx(pager), { open: { offset: 20, limit: 20 } })
    assert.equal(second.open.items.length, 3)
    assert.deepEqual(new Set([...first.open.items, ...second.open.items].map((c) => c.id)), new Set(made))
  })

  test('the referral is due 1 working day after the employer knew: a Friday allegation referred on Tuesday is late', async () => {
    const ctx = world.ctx(officer)
    await assert.rejects(
      recordLadoReferral(ctx, referral({ knownOn: '2026-11-13', referredOn: '2026-11-17', referralLateReason: 'Words only' })),
      (err) => err instanceof ValidationFailed && 'referralLateReasonCode' in err.fieldErrors,
      'late: the coded reason is asked for (issue 17)',
    )
    const late = await recordLadoReferral(ctx, referral({ knownOn: '2026-11-13', referredOn: '2026-11-17', referralLateReasonCode: 'family-unavailable', referralLateReason: 'The school waited for the head to return' }))
    assert.equal(late.referralDueOn, '2026-11-16')
    assert.equal(late.referralLateReasonCode, 'family-unavailable')
    const view = await getLadoCase(ctx, late.id)
    assert.equal(view.referralOnTime, false)
    assert.equal(view.clocks[0]!.state, 'completed-late')
    assert.equal(view.clocks[0]!.delayReason, 'The school waited for the head to return')
    const changed = await explainLadoDelay(ctx, late.id, { timescale: 'referral', reasonCode: 'other', reason: 'The head was away', version: late.version })
    assert.deepEqual([changed.referralLateReasonCode, changed.referralLateReason, changed.version], ['other', 'The head was away', late.version + 1])
    // Before WT2018 there is no national referral timescale: shown as absent, not guessed.
    const old = await recordLadoReferral(ctx, referral({ knownOn: '2012-03-01', referredOn: '2012-03-05' }))
    assert.equal(old.referralDueOn, null)
    assert.equal((await getLadoCase(ctx, old.id)).referralOnTime, null)
  })

  test('the referral form: an employer, a child and a harm test are needed; dates in order and not in the future', async () => {
    const bad = ladoReferralInput.safeParse({ knownOn: '2026-11-18', referredOn: '2026-11-17', subjectName: 'x', subjectRole: 'y', allegation: 'z' })
    assert.equal(bad.success, false)
    const fields = new Set(bad.error!.issues.map((i) => i.path.join('.')))
    for (const f of ['categories']) assert.ok(fields.has(f), f)
    const parsed = ladoReferralInput.safeParse({ ...referral(), employerAgencyId: '', employerName: '', childDescription: '', categories: 'harm' })
    assert.deepEqual(new Set(parsed.error!.issues.map((i) => i.path.join('.'))), new Set(['employerName', 'childNhsNumber']))
    await assert.rejects(recordLadoReferral(world.ctx(officer), referral({ knownOn: '2026-11-21', referredOn: '2026-11-21' })), ValidationFailed)
    await assert.rejects(recordLadoReferral(world.ctx(officer), referral({ childNhsNumber: '9990009999', childDescription: null })), ValidationFailed)
  })

  test('only the designated officer’s team and the employer’s named contact open a case; every refusal is audited', async () => {
    const lado = await recordLadoReferral(world.ctx(officer), referral())
    for (const role of roleIds) {
      const user = await world.user([role], { team: role === 'designated-officer' ? 'lado-other' : 'assessment' })
      await assert.rejects(getLadoCase(world.ctx(user), lado.id), AccessDenied, `${role} is refused`)
      assert.equal((await refusals(lado.id, user.userId)).length, 1, `${role}'s refusal is audited`)
      const lists = await listLadoCases(world.ctx(user))
      assert.equal([...lists.open.items, ...lists.concluded.items, ...lists.asContact.items].length, 0, `${role} lists nothing`)
      assert.equal(lists.open.total + lists.concluded.total + lists.asContact.total, 0, `${role} counts nothing`)
    }
    const colleague = await world.user(['designated-officer'], { team: 'lado' })
    assert.equal((await getLadoCase(world.ctx(colleague), lado.id)).ground, 'designated-officer-team')
    const teamMateWithoutRole = await world.user(['social-worker'], { team: 'lado' })
    await assert.rejects(getLadoCase(world.ctx(teamMateWithoutRole), lado.id), AccessDenied)

    // The named contact reads their case, read only, and sees it listed; changes are refused and audited.
    const view = await getLadoCase(world.ctx(contact), lado.id)
    assert.deepEqual([view.ground, view.mayUpdate], ['employer-contact', false])
    assert.equal((await listLadoCases(world.ctx(contact))).asContact.items.some((c) => c.id === lado.id), true)
    await assert.rejects(addLadoMeeting(world.ctx(contact), lado.id, { kind: 'evaluation', heldOn: '2026-11-19', attendees: 'x', decisions: 'y' }), AccessDenied)
    const updateRefused = await database.db
      .select()
      .from(auditEvent)
      .where(and(eq(auditEvent.recordId, lado.id), eq(auditEvent.actorUserId, contact.userId), eq(auditEvent.action, 'lado-case.update.refused')))
    assert.equal(updateRefused.length, 1)
    // Another case of the same employer with a different contact stays closed to them.
    const other = await recordLadoReferral(world.ctx(officer), referral({ employerContactUserId: null, employerContactName: 'Deputy head (fictional)' }))
    await assert.rejects(getLadoCase(world.ctx(contact), other.id), AccessDenied)
  })
})

describe('LADO resolution against targets', () => {
  test('80% within a month, 90% within 3, all but exceptional within 12, for the cases referred in a period', async () => {
    const ctx = world.ctx(officer)
    const made = async (referredOn: string, outcomeOn: string | null, exceptionalReason: string | null = null) => {
      const r = await recordLadoReferral(ctx, referral({ knownOn: referredOn, referredOn }))
      if (outcomeOn || exceptionalReason) {
        await recordLadoOutcome(ctx, r.id, { outcome: 'false', outcomeOn: outcomeOn ?? '2026-11-20', outcomeNotes: null, exceptionalReason, exceptionalReasonCode: exceptionalReason ? 'awaiting-agency' : null, version: 1 })
      }
    }
    await made('2025-01-06', '2025-01-20')
    await made('2025-01-07', '2025-03-01')
    await made('2025-01-08', '2025-06-02')
    await made('2025-01-09', '2026-11-20', 'Criminal trial awaited')
    await made('2025-01-10', null)
    await made('2024-12-31', '2025-01-02') // outside the period
    const report = await ladoTargetsReport(ctx, '2025-01-01', '2025-12-31')
    assert.deepEqual([report.referred, report.concluded, report.open], [5, 4, 1])
    assert.deepEqual(report.targets.map((t) => [t.rule, t.measured, t.within, t.percent, t.met]), [
      ['lado-resolution-month', 5, 1, 20, false],
      ['lado-resolution-quarter', 5, 2, 40, false],
      ['lado-resolution-year', 5, 3, 60, false],
    ])
    assert.equal(report.targets[2]!.exceptional, 1)
    assert.deepEqual([report.referralsOnTime, report.referralsMeasured], [5, 5])

    const unit = await world.user(['business-unit'], { team: null })
    assert.equal((await ladoTargetsReport(world.ctx(unit), '2025-01-01', '2025-12-31')).referred, 5)
    for (const role of roleIds.filter((r) => r !== 'designated-officer' && r !== 'business-unit')) {
      await assert.rejects(ladoTargetsReport(world.ctx(await world.user([role])), '2025-01-01', '2025-12-31'), AccessDenied, role)
    }
  })
})

describe('a case concluded after 12 months (lado-resolution-year, issue 17 §3)', () => {
  test('asks for the coded reason with the words, kept; changed afterwards (versioned, audited with the code); counted by reason', async () => {
    const ctx = world.ctx(officer)
    const period = { from: '2026-01-01', to: '2026-12-31' }
    const countOf = async (reason: string) => (await lateCompletionsByReason(database.db, world.partnershipId, period)).reasons.find((r) => r.reason === reason)!.count
    const before = [await countOf('awaiting-agency'), await countOf('other')]
    const r = await recordLadoReferral(ctx, referral({ knownOn: '2025-03-03', referredOn: '2025-03-04' }))
    const outcome = { outcome: 'false' as const, outcomeOn: '2026-04-01', outcomeNotes: null, exceptionalReason: 'The criminal trial was awaited (fictional)', version: 1 }
    await assert.rejects(recordLadoOutcome(ctx, r.id, outcome), (err) => {
      assert.ok(err instanceof ValidationFailed, String(err))
      assert.match(err.fieldErrors.exceptionalReasonCode ?? '', /due by 4 March 2026/)
      return true
    })
    const done = await recordLadoOutcome(ctx, r.id, { ...outcome, exceptionalReasonCode: 'awaiting-agency' })
    assert.deepEqual([done.exceptionalReasonCode, done.exceptionalReason], ['awaiting-agency', 'The criminal trial was awaited (fictional)'])
    assert.deepEqual([await countOf('awaiting-agency'), await countOf('other')], [before[0]! + 1, before[1]!])

    const changed = await explainLadoDelay(ctx, r.id, { timescale: 'resolution', reasonCode: 'other', reason: 'The police investigation ran long (fictional)', version: done.version })
    assert.deepEqual([changed.exceptionalReasonCode, changed.exceptionalReason, changed.version], ['other', 'The police investigation ran long (fictional)', done.version + 1])
    assert.deepEqual([await countOf('awaiting-agency'), await countOf('other')], [before[0]!, before[1]! + 1])
    const [audited] = await database.db.select().from(auditEvent).where(and(eq(auditEvent.recordId, r.id), eq(auditEvent.action, 'lado-case.late-reason')))
    assert.equal((audited!.detail as { reasonCode: string }).reasonCode, 'other')
    assert.ok(!JSON.stringify(audited!.detail).includes('police investigation'), 'the words are not audited')

    // On time: no reason asked, none to change afterwards.
    const onTime = await recordLadoReferral(ctx, referral({ knownOn: '2025-06-02', referredOn: '2025-06-02' }))
    const concluded = await recordLadoOutcome(ctx, onTime.id, { ...outcome, outcomeOn: '2026-05-01' })
    assert.equal(concluded.exceptionalReasonCode, null)
    await assert.rejects(explainLadoDelay(ctx, onTime.id, { timescale: 'resolution', reasonCode: 'other', reason: 'x', version: concluded.version }), ValidationFailed)
  })
})

describe('linking a child to an allegation goes through the policy (issue 15, item 2)', () => {
  test('a restricted child is not found by NHS number; a linked child is named to the employer’s contact through the policy, audited', async () => {
    const ctx = world.ctx(officer)
    const restricted = await world.childCase({ restricted: true })
    await database.db.update(person).set({ nhsNumber: '9990000336' }).where(eq(person.id, restricted.personId))
    const unknown = await recordLadoReferral(ctx, referral({ childNhsNumber: '9990000999' })).then(() => null, (e: unknown) => e)
    const hidden = await recordLadoReferral(ctx, referral({ childNhsNumber: '9990000336' })).then(() => null, (e: unknown) => e)
    assert.ok(unknown instanceof ValidationFailed && hidden instanceof ValidationFailed)
    assert.deepEqual(hidden.fieldErrors, unknown.fieldErrors)
    const lado = await recordLadoReferral(ctx, referral())
    await assert.rejects(addLadoChild(ctx, lado.id, { childNhsNumber: '9990000336', childDescription: null }), ValidationFailed)

    // With explicit permission the officer links the child; the employer's contact, without it, sees only the description.
    await world.grant(restricted.caseId, officer.userId, 'explicit-permission')
    await addLadoChild(ctx, lado.id, { childNhsNumber: '9990000336', childDescription: 'A pupil in Year 6' })
    const open = await world.childCase({ givenName: 'Robin' })
    await database.db.update(person).set({ nhsNumber: '9990000344' }).where(eq(person.id, open.personId))
    await addLadoChild(ctx, lado.id, { childNhsNumber: '9990000344', childDescription: null })
    const asOfficer = await getLadoCase(ctx, lado.id)
    assert.deepEqual(asOfficer.children.map((c) => c.caseId), [null, restricted.caseId, open.caseId])
    const asContact = await getLadoCase(world.ctx(contact), lado.id)
    assert.deepEqual(
      asContact.children.map((c) => [c.caseId, c.name?.split(' ')[0] ?? null, c.description]),
      [[null, null, 'A Year 4 pupil'], [null, null, 'A pupil in Year 6'], [open.caseId, 'Robin', null]],
    )
    const caseEntries = async (caseId: string, userId: string) =>
      (await database.db.select().from(auditEvent).where(and(eq(auditEvent.recordId, caseId), eq(auditEvent.actorUserId, userId)))).map((e) => [e.action, e.ground]).sort()
    assert.deepEqual(await caseEntries(open.caseId, contact.userId), [['case.view', 'employer-contact']])
    assert.deepEqual(await caseEntries(restricted.caseId, contact.userId), [['case.read.refused', null]])
    assert.deepEqual(await caseEntries(open.caseId, officer.userId), [['case.view', 'designated-officer-team']])
    assert.deepEqual(await caseEntries(restricted.caseId, officer.userId), [['case.link.refused', null], ['case.link.refused', null], ['case.view', 'explicit-permission']])
  })
})
