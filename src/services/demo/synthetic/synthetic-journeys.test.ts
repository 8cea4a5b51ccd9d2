/**
 * The synthetic generator's journeys, checked without a database: the same seed gives the same
 * rows; the rows keep the rules the services and the CIN census keep (dates in order, ICPCs on
 * weekdays, clocks due when the timescale rules say, a revision for every version of every record).
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { defaultBankHolidayCalendar } from '../../../domain/timescales/calendar/load.ts'
import { addDays, dayOfWeekOf, toDayNumber } from '../../../domain/timescales/calendar/iso-date.ts'
import { isValidNhsNumber, nhsNumberCapacity, upnCheckLetter } from '../../../domain/demo/identifiers.ts'
import { dueDate } from '../../../domain/timescales/index.ts'
import { type RowBatch, type TableKey } from './rows.ts'
import { generateRange, syntheticGenerator } from './seed.ts'

const UNTIL = '2026-11-01'

function generate(children: number, seed: number, until = UNTIL): RowBatch {
  const { generator } = syntheticGenerator({ children, seed, until })
  return generateRange(generator, 0, children)
}

const batch = generate(1500, 42)
const calendar = defaultBankHolidayCalendar()

/** The record_revision entity of each journey table. */
const ENTITIES: Partial<Record<TableKey, string>> = {
  childCase: 'case',
  contact: 'contact',
  cinEpisode: 'cin-episode',
  assessment: 'assessment',
  strategyDiscussion: 'strategy-discussion',
  section47Enquiry: 'section47',
  plan: 'plan',
  planItem: 'plan-item',
  conference: 'conference',
  coreGroupMeeting: 'core-group',
  caseNote: 'case-note',
  lookedAfterPeriod: 'looked-after',
  periodOfCare: 'period-of-care',
  previousPermanence: 'previous-permanence',
  legalStatusChange: 'legal-status',
  placement: 'placement',
  missingEpisode: 'missing-episode',
  healthEducationRecord: 'health-education',
  careLeaver: 'care-leaver',
  careLeaverRecord: 'care-leaver-record',
}

function groupBy<T, K>(rows: readonly T[], key: (row: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>()
  for (const row of rows) {
    const k = key(row)
    const list = out.get(k)
    if (list) list.push(row)
    else out.set(k, [row])
  }
  return out
}

const weekday = (date: string) => {
  const d = dayOfWeekOf(toDayNumber(date))
  return d >= 1 && d <= 5
}

describe('synthetic journeys', () => {
  test('the same seed gives exactly the same rows; another seed gives different ones', () => {
    const again = generate(200, 42)
    const first = generateRange(syntheticGenerator({ children: 1500, seed: 42 }).generator, 0, 200)
    assert.equal(JSON.stringify(again), JSON.stringify(first))
    assert.notEqual(JSON.stringify(generate(200, 43)), JSON.stringify(first))
    // A child's rows do not depend on which other children were generated with it.
    const alone = generateRange(syntheticGenerator({ children: 1500, seed: 42 }).generator, 150, 151)
    assert.deepEqual(alone.person[0], batch.person[150])
  })

  test('has every kind of journey the brief asks for', () => {
    const count = (n: number, what: string) => assert.ok(n > 0, `expected some ${what}`)
    count(batch.contact.filter((c) => c.decision === 'nfa').length, 'contacts with no further action')
    count(batch.assessment.filter((a) => a.outcome === 'nfa').length, 'referrals ending after assessment')
    count(batch.plan.filter((p) => p.kind === 'child-in-need').length, 'child in need plans')
    count(batch.plan.filter((p) => p.kind === 'early-help').length, 'early help plans')
    count(batch.plan.filter((p) => p.kind === 'child-protection').length, 'child protection plans')
    count(batch.plan.filter((p) => p.endReason === 'step-down-cin').length, 'step-downs to child in need')
    count(batch.cinEpisode.filter((e) => e.rereferral).length, 're-referrals')
    count(batch.lookedAfterPeriod.length, 'looked-after periods')
    count(batch.person.filter((p) => p.expectedDateOfBirth !== null).length, 'unborn children')
    count(batch.person.filter((p) => p.disabilities.some((d) => d !== 'NONE')).length, 'disabled children')
    count(batch.coreGroupMeeting.length, 'core groups')
    count(batch.caseNote.filter((n) => n.kind === 'statutory-visit').length, 'statutory visits')
    count(batch.conference.filter((k) => k.kind === 'review').length, 'review conferences')
    count(batch.cinEpisode.filter((e) => e.referralDate < '2025-04-01' && e.closureDate === null).length, 'cases open across census years')
    count(batch.childCase.filter((c) => c.status !== 'closed').length, 'open cases')
  })

  test('identifiers are valid and unique, names fictional, unborn children have sex U', () => {
    const nhs = batch.person.map((p) => p.nhsNumber).filter((n): n is string => n !== null)
    assert.ok(nhs.every((n) => n.startsWith('999') && isValidNhsNumber(n)))
    assert.equal(new Set(nhs).size, nhs.length)
    const ids = batch.person.map((p) => p.laChildId!)
    assert.equal(new Set(ids).size, ids.length)
    assert.ok(ids.every((id) => /^[A-Z0-9]{1,20}$/.test(id)))
    for (const p of batch.person) {
      if (p.upn) assert.equal(p.upn[0], upnCheckLetter(p.upn.slice(1)))
      if (p.expectedDateOfBirth) {
        assert.equal(p.sex, 'U')
        assert.equal(p.dateOfBirth, null)
        assert.ok(p.expectedDateOfBirth > UNTIL)
      } else {
        assert.ok(p.sex === 'M' || p.sex === 'F')
        assert.ok(p.dateOfBirth! <= UNTIL)
        const d = p.disabilities
        assert.ok(d.length > 0 && new Set(d).size === d.length && (d.length === 1 || !d.includes('NONE')))
      }
    }
  })

  test('past the test range’s NHS numbers (909,091), a million children: the rest have none known, every other identifier still unique', () => {
    const capacity = nhsNumberCapacity()
    const { generator } = syntheticGenerator({ children: 1_000_000, seed: 3 })
    const last = generator.identifiers(capacity - 1)
    assert.ok(last.nhsNumber && isValidNhsNumber(last.nhsNumber))
    const beyond = [capacity, capacity + 1, 999_999].map((i) => generator.identifiers(i))
    assert.deepEqual(beyond.map((ids) => ids.nhsNumber), [null, null, null])
    const others = [last, ...beyond]
    assert.equal(new Set(others.map((ids) => ids.upn)).size, 4)
    assert.equal(new Set(others.map((ids) => ids.laChildId)).size, 4)
  })

  test('every clock is due when its rule (in the edition in force on its start) says; tasks are the open clocks’', () => {
    for (const k of batch.clock) {
      const due = dueDate({ rule: k.rule, start: k.startOn, calendar })
      assert.equal(k.dueOn, due.due, `${k.rule} from ${k.startOn}`)
      assert.equal(k.edition, due.edition)
      if (k.completedOn) assert.ok(k.completedOn >= k.startOn && k.completedOn <= UNTIL)
    }
    const open = batch.clock.filter((k) => k.completedOn === null)
    assert.deepEqual(batch.task.map((t) => t.clockId).sort(), open.map((k) => k.id).sort())
    const clocks = new Map(batch.clock.map((k) => [k.id, k]))
    for (const t of batch.task) {
      assert.equal(t.status, 'open')
      assert.equal(t.dueOn, clocks.get(t.clockId!)!.dueOn)
      assert.ok((t.assigneeUserId === null) !== (t.assigneeTeamId === null))
    }
  })

  test('every version of every journey record has its revision, stamped when it happened', () => {
    const revisions = groupBy(batch.recordRevision, (r) => r.entityId)
    const end = `${addDays(UNTIL, 1)}T00:00:00.000Z`
    let records = 0
    for (const [table, entity] of Object.entries(ENTITIES) as [TableKey, string][]) {
      for (const row of batch[table] as { id: string; version: number; createdAt: string; updatedAt: string }[]) {
        records++
        const list = revisions.get(row.id) ?? []
        assert.deepEqual(list.map((r) => r.version), Array.from({ length: row.version }, (_, i) => i + 1), `${entity} ${row.id}`)
        assert.ok(list.every((r) => r.entity === entity))
        const last = list[list.length - 1]!
        const { children: _children, ...data } = last.data as Record<string, unknown>
        assert.deepEqual(data, row)
        assert.equal(list[0]!.recordedAt, row.createdAt)
        assert.equal(last.recordedAt, row.updatedAt)
        for (let i = 1; i < list.length; i++) assert.ok(list[i]!.recordedAt >= list[i - 1]!.recordedAt, `${entity} revisions in order`)
        assert.ok(last.recordedAt < end, 'nothing recorded after the end date')
      }
    }
    assert.equal(batch.recordRevision.length, revisions.size === 0 ? 0 : batch.recordRevision.length)
    assert.ok(records > 0)
    const counted = Object.keys(ENTITIES).reduce((n, t) => n + (batch[t as TableKey] as { version: number }[]).reduce((m, r) => m + r.version, 0), 0)
    assert.equal(batch.recordRevision.length, counted, 'no revision without a record')
  })

  test('each child protection plan starts at an initial conference held on a working day, within the census rules', () => {
    const initial = new Map(batch.conference.filter((k) => k.kind === 'initial' && k.planId).map((k) => [k.planId!, k]))
    const s47s = new Map(batch.section47Enquiry.map((s) => [s.id, s]))
    const discussions = new Map(batch.strategyDiscussion.map((d) => [d.id, d]))
    const plans = batch.plan.filter((p) => p.kind === 'child-protection')
    assert.ok(plans.length > 0)
    for (const p of plans) {
      const icpc = initial.get(p.id)
      assert.ok(icpc, 'an ICPC made the plan')
      assert.equal(icpc.decision, 'plan')
      assert.equal(icpc.heldOn, p.startedOn)
      assert.ok(calendar.isWorkingDay(icpc.heldOn!), `ICPC on ${icpc.heldOn} is a working day`)
      assert.deepEqual(icpc.categories, [p.initialCategory])
      const s47 = s47s.get(icpc.section47Id!)!
      assert.ok(s47.startedOn <= icpc.heldOn!)
      const discussion = discussions.get(s47.strategyDiscussionId)!
      const discussedOn = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date(discussion.heldAt))
      assert.equal(s47.icpcTarget, dueDate({ rule: 'icpc', start: discussedOn }).due)
      assert.ok(weekday(s47.icpcTarget!))
    }
    for (const k of batch.conference.filter((c) => c.heldOn)) assert.ok(weekday(k.heldOn!), 'conferences on weekdays')
    for (const k of batch.conference.filter((c) => c.kind === 'review' && c.heldOn)) {
      const p = batch.plan.find((x) => x.id === k.planId)!
      assert.ok(k.heldOn! > p.startedOn, 'a review after the plan started (8841)')
    }
  })

  test('every referral that is not NFA has a primary need, even one still waiting at the end date (8610)', () => {
    // An end date a few days before a census reference date leaves referrals waiting for their
    // assessment or strategy discussion; the census still needs their primary need.
    const near = generate(3000, 5, '2026-03-27')
    const waiting = near.cinEpisode.filter((e) => e.referralDate >= '2026-03-13')
    assert.ok(waiting.length > 0)
    for (const e of near.cinEpisode) if (!e.referralNfa) assert.notEqual(e.primaryNeed, null, `episode referred ${e.referralDate}`)
  })

  test('episodes keep the CIN census date rules', () => {
    const byEpisode = <T extends { episodeId: string | null }>(rows: T[]) => groupBy(rows, (r) => r.episodeId)
    const assessments = byEpisode(batch.assessment)
    const enquiries = byEpisode(batch.section47Enquiry)
    const plans = byEpisode(batch.plan)
    const conferences = byEpisode(batch.conference)
    for (const e of batch.cinEpisode) {
      assert.equal(e.referralNfa, false)
      const activity: string[] = []
      for (const a of assessments.get(e.id) ?? []) {
        assert.ok(a.startedOn >= e.referralDate, 'assessment starts on or after the referral (1103)')
        assert.notEqual(e.primaryNeed, null, 'a primary need once the assessment starts (8610)')
        if (a.completedOn) assert.ok(a.completedOn >= a.startedOn)
        if (a.authorisedOn) assert.ok(a.authorisedOn >= a.completedOn!, 'authorised after completion (8608)')
        if (a.completedOn) {
          assert.ok(a.factors.length > 0 && !a.factors.some((f) => f === '18A' || f === '19A'))
          assert.ok(!a.factors.includes('21') || a.factors.length === 1, 'factor 21 alone (8869)')
        } else {
          assert.deepEqual(a.factors, [], 'factors only on completed assessments (8614)')
        }
        activity.push(a.startedOn, ...(a.authorisedOn ? [a.authorisedOn] : []))
      }
      for (const s of enquiries.get(e.id) ?? []) activity.push(s.startedOn)
      for (const p of plans.get(e.id) ?? []) activity.push(p.startedOn, ...(p.endedOn ? [p.endedOn] : []))
      for (const k of conferences.get(e.id) ?? []) if (k.heldOn) activity.push(k.heldOn)
      assert.ok(activity.every((d) => d >= e.referralDate), 'nothing before the referral (1104, 1105, 2889, 4015)')
      if (e.closureDate) {
        assert.ok(e.closureReason, 'a closure date needs a reason (8805)')
        assert.ok(activity.every((d) => d <= e.closureDate!), 'nothing after closure (8565)')
        assert.ok((assessments.get(e.id) ?? []).every((a) => a.authorisedOn), 'closed episodes have authorised assessments (8867)')
        if (e.closureReason === 'RC8' || e.closureReason === 'RC9') {
          assert.equal(enquiries.get(e.id)?.length ?? 0, 0, 'RC8/RC9 without section 47 (2990)')
          assert.ok((plans.get(e.id) ?? []).every((p) => p.kind === 'early-help'), 'RC8/RC9 without CIN or CP plans (2990)')
        }
      } else {
        assert.equal(e.closureReason, null)
      }
    }
    for (const episodes of groupBy(batch.cinEpisode, (e) => e.caseId).values()) {
      const sorted = [...episodes].sort((a, b) => a.referralDate.localeCompare(b.referralDate))
      for (let i = 1; i < sorted.length; i++) {
        assert.ok(sorted[i - 1]!.closureDate !== null && sorted[i - 1]!.closureDate! <= sorted[i]!.referralDate, 'episodes do not overlap (8820, 8815)')
      }
    }
  })

  test('a child’s CIN and CP plans never overlap, and the case’s stage says what is open', () => {
    const plansByCase = groupBy(batch.plan, (p) => p.caseId)
    const episodesByCase = groupBy(batch.cinEpisode, (e) => e.caseId)
    const periodsByCase = groupBy(batch.lookedAfterPeriod, (p) => p.caseId)
    for (const c of batch.childCase) {
      const plans = plansByCase.get(c.id) ?? []
      const statutory = plans.filter((p) => p.kind !== 'early-help').sort((a, b) => a.startedOn.localeCompare(b.startedOn))
      for (let i = 1; i < statutory.length; i++) {
        assert.ok(statutory[i - 1]!.endedOn !== null && statutory[i - 1]!.endedOn! <= statutory[i]!.startedOn, 'plans in sequence (4001, 4016, 4017, 8940)')
      }
      const open = (kind: string) => plans.some((p) => p.kind === kind && p.endedOn === null)
      const openEpisode = (episodesByCase.get(c.id) ?? []).some((e) => e.closureDate === null)
      const openPeriod = (periodsByCase.get(c.id) ?? []).some((p) => p.endedOn === null)
      switch (c.status) {
        case 'closed':
          assert.ok(c.closedOn && !openEpisode && !openPeriod && plans.every((p) => p.endedOn !== null), 'a closed case has nothing open')
          break
        case 'child-protection':
          assert.ok(open('child-protection'))
          break
        case 'child-in-need':
          assert.ok(open('child-in-need'))
          break
        case 'early-help':
          assert.ok(open('early-help'))
          break
        case 'looked-after':
          assert.ok(openPeriod)
          break
        default:
          assert.equal(c.closedOn, null)
      }
    }
  })

  test('children in care: from plans and directly, legal statuses, placements with moves and reasons, temporary moves, missing, health and education, leaving care and care leavers', () => {
    const care = generate(4000, 19)
    const plansByCase = groupBy(care.plan, (p) => p.caseId)
    const periods = care.lookedAfterPeriod
    const fromPlan = periods.filter((p) => (plansByCase.get(p.caseId) ?? []).some((x) => x.kind === 'child-protection' && x.endReason === 'looked-after' && x.endedOn === p.startedOn))
    assert.ok(fromPlan.length > 0 && fromPlan.length < periods.length, `from child protection plans and directly: ${fromPlan.length} of ${periods.length}`)
    const contexts = new Map(care.periodOfCare.map((c) => [c.periodId, c]))
    const previous = new Set(care.previousPermanence.map((p) => p.periodId))
    assert.equal(previous.size, care.previousPermanence.length, 'one previous permanence a period')
    const statuses = groupBy(care.legalStatusChange, (s) => s.periodId)
    const placements = groupBy(care.placement, (p) => p.periodId)
    const people = new Map(care.person.map((p) => [p.id, p]))
    const caseOf = new Map(care.childCase.map((c) => [c.id, c]))
    const moves: number[] = []
    for (const period of periods) {
      const context = contexts.get(period.id)
      assert.ok(context && context.homePostcode, 'a period of care has its 903 context')
      assert.ok(previous.has(period.id), 'a period of care has its previous permanence (903 rule 630)')
      const ls = [...(statuses.get(period.id) ?? [])].sort((a, b) => a.fromOn.localeCompare(b.fromOn))
      assert.equal(ls[0]?.fromOn, period.startedOn, 'the legal status from the start')
      assert.equal(ls.at(-1)!.legalStatus, period.legalStatus, 'the period shows the latest legal status')
      const all = placements.get(period.id) ?? []
      const main = all.filter((p) => p.interruptsId === null).sort((a, b) => a.startedOn.localeCompare(b.startedOn))
      assert.equal(main[0]?.startedOn, period.startedOn, 'placed from the first day')
      moves.push(main.length)
      for (let i = 1; i < main.length; i++) {
        assert.equal(main[i - 1]!.endedOn, main[i]!.startedOn, 'a move ends the last placement the day the next starts')
        assert.ok(main[i - 1]!.endReason, 'with the reason it ended')
      }
      const dob = people.get(caseOf.get(period.caseId)!.personId)!.dateOfBirth!
      for (const p of main) {
        const lsThen = ls.filter((s) => s.fromOn <= p.startedOn).at(-1)!.legalStatus
        assert.ok(!(p.placeType === 'P1' && lsThen === 'V2'), 'no P1 under section 20 (rule 378)')
        if (p.placeType === 'K3') assert.ok(addDays(dob, 16 * 365) <= p.startedOn, 'K3 from 16')
        assert.ok((p.provider === 'PR0') === (p.placeType === 'P1'))
      }
      for (const t of all.filter((p) => p.interruptsId !== null)) {
        const of = main.find((p) => p.id === t.interruptsId)!
        assert.ok(t.startedOn > of.startedOn && t.endedOn! < (of.endedOn ?? '9999') && t.provider === null, 'a temporary move within its placement')
      }
      if (period.endedOn) {
        assert.ok(context.reasonCeased && !['X1', 'E11', 'E12'].includes(context.reasonCeased), 'a reason ceased, not adoption (built elsewhere)')
        assert.ok(main.every((p) => p.endedOn !== null && p.endedOn <= period.endedOn!), 'nothing open after care ends')
      } else assert.equal(context.reasonCeased, null)
    }
    assert.ok(moves.some((n) => n >= 3) && moves.filter((n) => n === 1).length > moves.length / 4, `placements per period: ${moves.join(' ')}`)
    assert.ok(care.placement.some((p) => p.interruptsId !== null), 'temporary moves')
    assert.ok(new Set(care.legalStatusChange.map((s) => s.legalStatus)).size >= 4)
    assert.ok(care.missingEpisode.some((m) => m.interviewHeldOn !== null) && care.missingEpisode.some((m) => m.kind === 'away'), 'missing and away, with return interviews')
    assert.ok(care.missingEpisode.every((m) => m.interviewOfferedOn === null || (m.returnedOn !== null && m.interviewOfferedOn >= m.returnedOn)))
    for (const kind of ['initial-health-assessment', 'review-health-assessment', 'dental-check', 'sdq', 'pep', 'pep-review']) {
      assert.ok(care.healthEducationRecord.some((h) => h.kind === kind), kind)
    }
    const ceased = new Set(care.periodOfCare.map((c) => c.reasonCeased))
    assert.ok(ceased.has('E4A'), 'returned home')
    assert.ok([...ceased].some((r) => r && /^E4[5-8]$/.test(r)), 'special guardianship')
    const former = care.careLeaver.filter((c) => c.category === 'former-relevant')
    assert.ok(former.length > 0 && former.every((c) => c.personalAdviser !== null), 'care leavers from 18 with a personal adviser')
    const leaverRecords = groupBy(care.careLeaverRecord, (r) => r.caseId)
    assert.ok(former.every((c) => (leaverRecords.get(c.caseId) ?? []).some((r) => r.kind === 'pathway-plan')), 'and a pathway plan')
    assert.ok(care.careLeaverRecord.some((r) => r.kind === 'contact' && r.inTouch === 'YES' && r.activity && r.accommodation))
  })
})
