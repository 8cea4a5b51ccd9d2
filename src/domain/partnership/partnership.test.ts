import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { inDateOrder } from './dated-entries.ts'
import { resolutionTargets } from './lado-targets.ts'
import { mergedChronology } from './merged-chronology.ts'
import { notificationRecipients } from './notification.ts'
import { compareCycles, parseStandards, ratingsCarriedForward } from './section11.ts'
import type { ChronologyEntry } from '../journey/chronology.ts'

describe('serious incident notification recipients per edition', () => {
  test('Ofsted and the LSCB under 2013 and 2015; the Panel and the partners from 2018', () => {
    for (const edition of [2013, 2015] as const) {
      const r = notificationRecipients(edition, 'death-abuse-neglect')
      assert.deepEqual(r.recipients, ['Ofsted', 'The Local Safeguarding Children Board (LSCB)'])
      assert.equal(r.caveat, null)
    }
    for (const edition of [2018, 2023, 2026] as const) {
      const r = notificationRecipients(edition, 'serious-harm-abuse-neglect')
      assert.match(r.recipients[0]!, /Child Safeguarding Practice Review Panel/)
      assert.match(r.recipients[1]!, /safeguarding partners/)
      assert.equal(r.recipients.some((x) => /LSCB/.test(x)), false)
    }
  })
  test('the death of a looked-after child also goes to the Secretary of State (2015 on)', () => {
    assert.ok(notificationRecipients(2018, 'looked-after-death').recipients.some((x) => /Secretary of State/.test(x)))
    assert.ok(notificationRecipients(2015, 'looked-after-death').recipients.some((x) => /Secretary of State/.test(x)))
    assert.ok(!notificationRecipients(2013, 'looked-after-death').recipients.some((x) => /Secretary of State/.test(x)))
  })
  test('before 2013 the recipients carry a caveat', () => {
    assert.match(notificationRecipients(2010, 'death-abuse-neglect').caveat ?? '', /Q6/)
  })
})

describe('dated entries and the merged chronology', () => {
  test('entries read earliest first; entries of one day keep their order', () => {
    const entries = [{ on: '2026-03-02', text: 'Seen at clinic' }, { on: '2026-01-05', text: 'Missed appointment' }, { on: '2026-03-02', text: 'Referred' }]
    assert.deepEqual(inDateOrder(entries).map((e) => e.text), ['Missed appointment', 'Seen at clinic', 'Referred'])
  })
  test('merges the record and contributions in date order, leaving out anything after the incident', () => {
    const record = [
      { date: '2026-02-01', title: 'Contact', detail: 'School concern', agency: 'Council' },
      { date: '2026-05-01', title: 'Visit', detail: '', agency: 'Council' },
    ] as ChronologyEntry[]
    const merged = mergedChronology('2026-04-01', record, [
      { agency: 'Police', entries: [{ on: '2026-01-10', text: 'Call-out' }, { on: '2026-04-02', text: 'After the incident' }] },
    ])
    assert.deepEqual(merged.map((e) => [e.on, e.agency, e.what, e.source]), [
      ['2026-01-10', 'Police', 'Call-out', 'contribution'],
      ['2026-02-01', 'Council', 'Contact: School concern', 'record'],
    ])
  })
})

describe('LADO resolution targets', () => {
  test('80% within a month, 90% within 3 months, all but exceptional within 12', () => {
    const cases = [
      ...Array.from({ length: 8 }, () => ({ referredOn: '2025-01-10', outcomeOn: '2025-02-01' })),
      { referredOn: '2025-01-10', outcomeOn: '2025-03-01' },
      { referredOn: '2025-01-10', outcomeOn: null, exceptionalReason: 'Awaiting a criminal trial' },
      { referredOn: '2026-11-01', outcomeOn: null },
    ]
    const [month, quarter, year] = resolutionTargets(cases, '2026-11-20')
    assert.deepEqual([month!.measured, month!.within, month!.percent, month!.met], [10, 8, 80, true])
    assert.deepEqual([quarter!.within, quarter!.percent, quarter!.met, quarter!.openPastLimit], [9, 90, true, 1])
    assert.deepEqual([year!.within, year!.exceptional, year!.met], [9, 1, true])
  })
  test('nothing to judge yet gives no percentage', () => {
    assert.equal(resolutionTargets([{ referredOn: '2026-11-01', outcomeOn: null }], '2026-11-20')[0]!.percent, null)
  })
})

describe('section 11 templates and comparison', () => {
  test('parses standards with criteria, and refuses a standard without one', () => {
    const parsed = parseStandards('Leadership\n- A named lead\n- In the plan\n\nListening to children\n- Wishes recorded')
    assert.ok(parsed.ok)
    assert.deepEqual(parsed.standards.map((s) => [s.code, s.title, s.criteria.length]), [['1', 'Leadership', 2], ['2', 'Listening to children', 1]])
    assert.equal(parseStandards('Leadership').ok, false)
  })
  test('compares ratings by standard title between cycles', () => {
    const standards = [{ code: '1', title: 'Leadership', criteria: ['x'] }, { code: '2', title: 'Training', criteria: ['y'] }, { code: '3', title: 'New', criteria: ['z'] }]
    const rows = compareCycles(
      { standards, answers: { '1': { rating: 'met', evidence: '' }, '2': { rating: 'not-met', evidence: '' }, '3': { rating: 'met', evidence: '' } } },
      { standards: standards.slice(0, 2), answers: { '1': { rating: 'partly-met', evidence: '' }, '2': { rating: 'met', evidence: '' } } },
    )
    assert.deepEqual(rows.map((r) => r.movement), ['improved', 'worse', 'new'])
  })
  test('a new self-assessment starts from the ratings agreed before, standard by standard (by title)', () => {
    const before = [{ code: '1', title: 'Leadership', criteria: ['x'] }, { code: '2', title: 'Training', criteria: ['y'] }]
    const now = [{ code: '1', title: 'New', criteria: ['z'] }, { code: '2', title: 'leadership', criteria: ['x'] }, { code: '3', title: 'Training', criteria: ['y'] }]
    const agreed = { standards: before, answers: { '1': { rating: 'partly-met', evidence: '' }, '2': { rating: 'not-met', evidence: '' } } }
    assert.deepEqual(ratingsCarriedForward(now, agreed), { '2': 'partly-met', '3': 'not-met' })
    assert.deepEqual(ratingsCarriedForward(now, null), {})
  })
})
