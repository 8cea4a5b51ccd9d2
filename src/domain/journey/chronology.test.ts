import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { chronologyEntries, filterEntries, latestRevisions, referralSourceName, type ChronologyRevision, type Recorder } from './chronology.ts'
import { endOfLondonDay, londonDate } from '../timescales/calendar/london-time.ts'

const CASE = '00000000-0000-4000-8000-00000000000c'
const school: Recorder = { userId: 'u-school', name: 'Dana Schoolteacher', agencyId: 'a-school', agencyName: 'Fictional Primary School' }
const council: Recorder = { userId: 'u-sw', name: 'Sam Worker', agencyId: 'a-council', agencyName: 'Fictional Council' }
const manager: Recorder = { userId: 'u-tm', name: 'Mo Manager', agencyId: 'a-council', agencyName: 'Fictional Council' }

let seq = 0
function rev(
  entity: string,
  data: Record<string, unknown>,
  options: { id?: string; version?: number; at?: string; by?: Recorder; original?: Recorder } = {},
): ChronologyRevision {
  return {
    caseId: CASE,
    entity,
    entityId: options.id ?? `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`,
    version: options.version ?? 1,
    data,
    recordedAt: options.at ?? '2026-03-02T10:00:00.000Z',
    recordedBy: options.by ?? council,
    originallyRecordedBy: options.original ?? options.by ?? council,
  }
}

const only = (revisions: ChronologyRevision[]) => chronologyEntries(revisions).map((e) => [e.date, e.kind, e.title])

describe('chronology entries from each kind of record', () => {
  test('a contact is dated by the day it was received in England and says who it came from and the decision', () => {
    const contact = rev(
      'contact',
      {
        receivedAt: '2026-06-01T23:30:00.000Z',
        source: '2A',
        referrerName: 'Dana Schoolteacher',
        referrerRole: 'Designated safeguarding lead',
        concern: 'Came to school hungry three days running.',
        decision: 'nfa',
        feedbackOn: '2026-06-03',
        feedback: 'Thank you: no further action.',
      },
      { by: council, original: school },
    )
    const entries = chronologyEntries([contact])
    assert.deepEqual(
      entries.map((e) => [e.date, e.kind, e.title, e.agency, e.recordedBy]),
      [
        ['2026-06-02', 'contact', 'Contact from Schools: no further action', 'Fictional Primary School', 'Dana Schoolteacher'],
        ['2026-06-03', 'contact', 'Referrer told the outcome of their contact', 'Fictional Council', 'Sam Worker'],
      ],
    )
    assert.equal(entries[0]!.detail, 'Dana Schoolteacher, Designated safeguarding lead: Came to school hungry three days running.')
    assert.equal(entries[0]!.link, `/contacts/${contact.entityId}`)
  })

  test("a contact about several children says this child's own decision: added to their open case (issue 16)", () => {
    const other = '00000000-0000-4000-8000-0000000000cc'
    const data = {
      receivedAt: '2026-06-01T09:00:00.000Z',
      source: '2A',
      concern: 'Two children seen unsupervised late at night.',
      decision: 'referral',
      children: [{ personId: 'p1', caseId: CASE, decision: 'open-case' }, { personId: 'p2', caseId: other, decision: 'referral' }],
    }
    const [e] = chronologyEntries([rev('contact', data)])
    assert.equal(e!.title, "Contact from Schools: added to the child's open case with children's social care")
    assert.equal(e!.detail, 'Two children seen unsupervised late at night.')
  })

  test('an undecided contact says it is waiting for a decision', () => {
    const [e] = chronologyEntries([rev('contact', { receivedAt: '2026-01-10T09:00:00Z', source: '6', concern: 'x' })])
    assert.equal(e!.title, 'Contact from Police: waiting for a decision')
  })

  test('a referral opens an episode and its closure is a second entry', () => {
    const episode = rev('cin-episode', {
      referralDate: '2026-01-10',
      referralSource: '3B',
      primaryNeed: 'N1',
      rereferral: true,
      closureDate: '2026-04-01',
      closureReason: 'RC8',
    })
    const entries = chronologyEntries([episode])
    assert.deepEqual(
      entries.map((e) => [e.date, e.kind, e.title, e.detail]),
      [
        [
          '2026-01-10',
          'referral',
          'Referral from Health services – health visitor',
          'Primary need: Abuse, neglect and exploitation. A re-referral within 12 months of the last.',
        ],
        ['2026-04-01', 'referral', 'Child in need episode closed', 'Case closed after assessment, no further action'],
      ],
    )
    assert.equal(entries[0]!.link, `/cases/${CASE}/contacts`)
  })

  test('an assessment gives its start and its completion, with outcome and authorisation', () => {
    const a = rev('assessment', {
      kind: 'single',
      startedOn: '2026-01-12',
      childSeenOn: '2026-01-14',
      completedOn: '2026-02-20',
      outcome: 'cin-plan',
      authorisedOn: null,
    })
    const entries = chronologyEntries([a])
    assert.deepEqual(
      entries.map((e) => [e.date, e.kind, e.title]),
      [
        ['2026-01-12', 'assessment', 'Child and family (single) assessment started'],
        ['2026-02-20', 'assessment', 'Child and family (single) assessment completed: child in need plan'],
      ],
    )
    assert.equal(entries[1]!.detail, 'Child seen 14 January 2026.')
    assert.equal(entries[1]!.link, `/cases/${CASE}/assessments/${a.entityId}`)
  })

  test('an assessment not yet completed gives only its start', () => {
    assert.deepEqual(only([rev('assessment', { kind: 'initial', startedOn: '2012-05-01' })]), [
      ['2012-05-01', 'assessment', 'Initial assessment started'],
    ])
  })

  test('strategy discussion, section 47, conferences and core groups', () => {
    const strategy = rev('strategy-discussion', {
      heldAt: '2026-02-01T14:00:00Z',
      decision: 's47-joint',
      attendees: [{ name: 'A' }, { name: 'B' }, { name: 'C' }],
      requiredAgencyAbsenceReason: 'Health could not attend at short notice.',
    })
    assert.equal(
      chronologyEntries([strategy])[0]!.detail,
      '3 people took part. Not every required agency took part: Health could not attend at short notice.',
    )
    const icpc = rev('conference', { kind: 'initial', scheduledFor: '2026-02-20', heldOn: '2026-02-21', decision: 'plan', categories: ['NEG'] })
    const coreGroup = rev('core-group', { heldOn: '2026-03-01', planId: 'p-1', notes: 'Plan reviewed.' })
    assert.deepEqual(
      chronologyEntries([strategy, icpc, coreGroup]).map((e) => e.link),
      [`/cases/${CASE}/child-protection`, `/cases/${CASE}/conferences/${icpc.entityId}`, `/cases/${CASE}/child-protection#plan-p-1`],
    )
    const entries = only([
      strategy,
      rev('section47', { startedOn: '2026-02-01', completedOn: '2026-02-10', outcome: 'substantiated-continuing-risk' }),
      rev('conference', { kind: 'initial', scheduledFor: '2026-02-20', heldOn: '2026-02-21', decision: 'plan', categories: ['NEG'] }),
      rev('conference', { kind: 'review', scheduledFor: '2026-05-20', heldOn: null }),
      rev('core-group', { heldOn: '2026-03-01', notes: 'Plan reviewed.' }),
    ])
    assert.deepEqual(entries, [
      ['2026-02-01', 'section-47', 'Section 47 enquiry started'],
      ['2026-02-01', 'strategy-discussion', 'Strategy discussion: section 47 enquiry jointly with a police investigation'],
      ['2026-02-10', 'section-47', 'Section 47 enquiry completed: concerns substantiated, child judged at continuing risk: initial conference'],
      ['2026-02-21', 'conference', 'Initial child protection conference: child protection plan'],
      ['2026-03-01', 'core-group', 'Core group meeting'],
      ['2026-05-20', 'conference', 'Review child protection conference scheduled'],
    ])
  })

  test('plans start and end; a done action is dated the day it was recorded as done', () => {
    const plan = rev('plan', {
      kind: 'child-protection',
      startedOn: '2026-02-21',
      initialCategory: 'NEG',
      endedOn: '2026-08-01',
      endReason: 'step-down-cin',
    })
    const action = rev(
      'plan-item',
      { kind: 'action', planId: plan.entityId, description: 'Health visitor to visit weekly', status: 'done' },
      { at: '2026-04-03T16:00:00Z' },
    )
    const goal = rev('plan-item', { kind: 'goal', planId: plan.entityId, description: 'Safe at home', status: 'not-started' })
    const entries = chronologyEntries([plan, action, goal])
    assert.deepEqual(
      entries.map((e) => [e.date, e.title, e.detail]),
      [
        ['2026-02-21', 'Child protection plan started', 'Category: Neglect.'],
        ['2026-04-03', 'Plan action done: Health visitor to visit weekly', ''],
        ['2026-08-01', 'Child protection plan ended: stepped down to a child in need plan', ''],
      ],
    )
    assert.equal(entries[1]!.link, `/cases/${CASE}/plans/${plan.entityId}`)
  })

  test('visits and notes, looked after periods, pre-proceedings, family and the case itself', () => {
    const parent = '00000000-0000-4000-8000-0000000000aa'
    const entries = chronologyEntries(
      [
        rev('case-note', { kind: 'statutory-visit', occurredOn: '2026-03-05', title: 'Home visit', body: 'Saw the children.', childSeen: true, childSeenAlone: true }),
        rev('case-note', { kind: 'supervision', occurredOn: '2026-03-06', title: 'Supervision', body: 'Agreed next steps.' }),
        rev('looked-after', { startedOn: '2026-09-01', legalStatus: 'C1', endedOn: '2026-10-01' }),
        rev('pre-proceedings', { decisionOn: '2026-07-01', letterSentOn: '2026-07-03', outcome: 'B', endedOn: '2026-08-20', proceedingsIssuedOn: '2026-08-20' }),
        rev('relationship', { relatedPersonId: parent, kind: 'parent', parentalResponsibility: true }, { at: '2026-01-11T09:00:00Z' }),
        rev('relationship', { kind: 'partner-of-parent', endedOn: '2026-10-02' }, { at: '2026-01-12T09:00:00Z' }),
        rev('case', { openedOn: '2026-01-10', closedOn: null, status: 'child-protection' }),
      ],
      { personNames: { [parent]: 'Pat Parent' } },
    )
    assert.deepEqual(
      entries.map((e) => [e.date, e.kind, e.title, e.detail]),
      [
        ['2026-01-10', 'case', 'Case opened', ''],
        ['2026-01-11', 'family', 'Parent added to the family network: Pat Parent', 'Has parental responsibility.'],
        ['2026-01-12', 'family', 'Partner of parent added to the family network', ''],
        ['2026-03-05', 'visit', 'Statutory child protection visit: Home visit', 'Child seen, and seen alone. Saw the children.'],
        ['2026-03-06', 'note', 'Management oversight: Supervision', 'Agreed next steps.'],
        ['2026-07-01', 'pre-proceedings', 'Decision to start pre-proceedings under the Public Law Outline', ''],
        ['2026-07-03', 'pre-proceedings', 'Letter before proceedings sent', ''],
        ['2026-08-20', 'pre-proceedings', 'Care proceedings issued', ''],
        ['2026-08-20', 'pre-proceedings', 'Pre-proceedings ended: care proceedings issued', ''],
        ['2026-09-01', 'looked-after', 'Became looked after: interim care order', ''],
        ['2026-10-01', 'looked-after', 'Stopped being looked after', ''],
        ['2026-10-02', 'family', 'Partner of parent relationship ended', ''],
      ],
    )
  })

  test('care records: a missing episode, its return and the interview offer; a health check; a care leaver’s contact', () => {
    const entries = chronologyEntries([
      rev('missing-episode', { kind: 'away', startedOn: '2026-03-01', returnedOn: '2026-03-02', interviewOfferedOn: '2026-03-04', notes: 'With a friend (fictional).' }),
      rev('health-education', { kind: 'dental-check', doneOn: '2026-03-10', notes: null }),
      rev('care-leaver-record', { kind: 'contact', on: '2026-03-20', notes: null }),
    ])
    assert.deepEqual(entries.map((e) => [e.date, e.kind, e.title, e.detail]), [
      ['2026-03-01', 'looked-after', 'Away without permission', 'With a friend (fictional).'],
      ['2026-03-02', 'looked-after', 'Came back after being away without permission', ''],
      ['2026-03-04', 'looked-after', 'Return home interview offered', ''],
      ['2026-03-10', 'looked-after', 'Dental check', ''],
      ['2026-03-20', 'looked-after', 'Contact with the young person', ''],
    ])
  })

  test('unknown entities and malformed dates are left out, not failed on', () => {
    const entries = chronologyEntries([
      rev('something-new', { occurredOn: '2026-01-01' }),
      rev('case-note', { kind: 'note', occurredOn: 'yesterday', title: 'x', body: 'y' }),
      rev('contact', { receivedAt: 'not a time', source: '2A' }),
      rev('case-note', { kind: 'note', occurredOn: '2026-01-02', title: 'Kept', body: 'y' }),
    ])
    assert.deepEqual(entries.map((e) => e.title), ['Case note: Kept'])
  })
})

describe('as known at a date', () => {
  const id = '00000000-0000-4000-8000-0000000000f1'
  const first = rev(
    'assessment',
    { kind: 'single', startedOn: '2026-01-12', completedOn: '2026-02-20', outcome: 'nfa' },
    { id, version: 1, at: '2026-02-20T17:00:00Z', by: council },
  )
  const corrected = rev(
    'assessment',
    { kind: 'single', startedOn: '2026-01-12', completedOn: '2026-02-20', outcome: 'cin-plan', authorisedOn: '2026-03-10' },
    { id, version: 2, at: '2026-03-10T09:00:00Z', by: manager, original: council },
  )
  const later = rev('case-note', { kind: 'note', occurredOn: '2026-02-01', title: 'Written later', body: 'b' }, { at: '2026-03-15T09:00:00Z' })

  test('shows the record as it stood then: a later correction does not leak into the past', () => {
    const then = chronologyEntries([corrected, first, later], { asKnownAt: '2026-03-01' })
    assert.deepEqual(
      then.map((e) => [e.title, e.recordedBy, e.version]),
      [
        ['Child and family (single) assessment started', 'Sam Worker', 1],
        ['Child and family (single) assessment completed: no further action', 'Sam Worker', 1],
      ],
    )
    const now = chronologyEntries([first, later, corrected])
    assert.deepEqual(
      now.map((e) => [e.title, e.recordedBy, e.editedBy]),
      [
        ['Child and family (single) assessment started', 'Sam Worker', null],
        ['Case note: Written later', 'Sam Worker', null],
        ['Child and family (single) assessment completed: child in need plan', 'Sam Worker', 'Mo Manager'],
        ['Child and family (single) assessment authorised', 'Mo Manager', null],
      ],
    )
  })

  test('"by the end of the day" is the end of the day in England', () => {
    const lateEvening = rev('case-note', { kind: 'note', occurredOn: '2026-06-01', title: 't', body: 'b' }, { at: '2026-06-01T23:30:00Z' })
    assert.equal(latestRevisions([lateEvening], '2026-06-01').length, 0, '00:30 on 2 June in England')
    assert.equal(latestRevisions([lateEvening], '2026-06-02').length, 1)
    const winterEvening = rev('case-note', { kind: 'note', occurredOn: '2026-01-15', title: 't', body: 'b' }, { at: '2026-01-15T23:30:00Z' })
    assert.equal(latestRevisions([winterEvening], '2026-01-15').length, 1)
  })

  test('revisions written in the same instant: the higher version wins', () => {
    const a = rev('case-note', { kind: 'note', occurredOn: '2026-01-01', title: 'Old', body: 'b' }, { id, version: 1 })
    const b = rev('case-note', { kind: 'note', occurredOn: '2026-01-01', title: 'New', body: 'b' }, { id, version: 2 })
    assert.deepEqual(chronologyEntries([b, a]).map((e) => e.title), ['Case note: New'])
  })

  test('endOfLondonDay is midnight in England, across the clock changes', () => {
    assert.equal(endOfLondonDay('2026-01-15').toISOString(), '2026-01-16T00:00:00.000Z')
    assert.equal(endOfLondonDay('2026-06-01').toISOString(), '2026-06-01T23:00:00.000Z')
    assert.equal(endOfLondonDay('2026-03-28').toISOString(), '2026-03-29T00:00:00.000Z')
    assert.equal(endOfLondonDay('2026-03-29').toISOString(), '2026-03-29T23:00:00.000Z')
    assert.equal(endOfLondonDay('2026-10-24').toISOString(), '2026-10-24T23:00:00.000Z')
    assert.equal(endOfLondonDay('2026-10-25').toISOString(), '2026-10-26T00:00:00.000Z')
    assert.equal(endOfLondonDay('2026-12-31').toISOString(), '2027-01-01T00:00:00.000Z')
    assert.equal(londonDate(new Date(endOfLondonDay('2026-06-01').getTime() - 1)), '2026-06-01')
  })
})

describe('who recorded each entry, and who edited it later (issue 16, item 10)', () => {
  const id = '00000000-0000-4000-8000-0000000000e1'
  const plan = (version: number, at: string, by: Recorder, data: Record<string, unknown>) =>
    rev('plan', { kind: 'cin', startedOn: '2026-01-05', summary: 'Support at home', ...data }, { id, version, at, by, original: council })

  test('an end is credited to whoever recorded it, not to whoever touched the record afterwards', () => {
    const history = [
      plan(1, '2026-01-05T10:00:00Z', council, {}),
      plan(2, '2026-04-01T10:00:00Z', manager, { endedOn: '2026-04-01', endReason: 'RC1' }),
      plan(3, '2026-04-09T10:00:00Z', school, { endedOn: '2026-04-01', endReason: 'RC1', summary: 'Support at home, with school' }),
    ]
    const entries = chronologyEntries(history)
    assert.deepEqual(
      entries.map((e) => [e.date, e.recordedBy, e.agency, e.recordedAt, e.editedBy, e.editedAt]),
      [
        ['2026-01-05', 'Sam Worker', 'Fictional Council', '2026-01-05T10:00:00.000Z', 'Dana Schoolteacher', '2026-04-09T10:00:00.000Z'],
        ['2026-04-01', 'Mo Manager', 'Fictional Council', '2026-04-01T10:00:00.000Z', null, null],
      ],
    )
    assert.equal(entries[1]!.version, 3, 'the entry still shows the newest revision')
  })

  test('a later change of what an entry says is an edit by whoever made it', () => {
    const entries = chronologyEntries([
      plan(1, '2026-01-05T10:00:00Z', council, {}),
      plan(2, '2026-04-01T10:00:00Z', council, { endedOn: '2026-04-01' }),
      plan(3, '2026-04-09T10:00:00Z', manager, { endedOn: '2026-03-31' }),
    ])
    assert.deepEqual(entries.at(-1)!.date, '2026-03-31')
    assert.deepEqual([entries.at(-1)!.recordedBy, entries.at(-1)!.editedBy], ['Sam Worker', 'Mo Manager'])
  })

  test('a completion taken back and recorded again is credited to whoever recorded it again', () => {
    const a = (version: number, at: string, by: Recorder, data: Record<string, unknown>) =>
      rev('assessment', { kind: 'single', startedOn: '2026-01-12', ...data }, { id, version, at, by, original: council })
    const entries = chronologyEntries([
      a(1, '2026-01-12T10:00:00Z', council, {}),
      a(2, '2026-02-20T10:00:00Z', council, { completedOn: '2026-02-20' }),
      a(3, '2026-02-21T10:00:00Z', manager, { completedOn: null, returnedOn: '2026-02-21' }),
      a(4, '2026-02-25T10:00:00Z', school, { completedOn: '2026-02-25', returnedOn: '2026-02-21' }),
      a(5, '2026-02-26T10:00:00Z', manager, { completedOn: '2026-02-25', authorisedOn: '2026-02-26', authorisationComment: 'Agreed.' }),
    ])
    assert.deepEqual(
      entries.map((e) => [e.date, e.title, e.detail, e.recordedBy, e.editedBy]),
      [
        ['2026-01-12', 'Child and family (single) assessment started', '', 'Sam Worker', null],
        ['2026-02-25', 'Child and family (single) assessment completed', '', 'Dana Schoolteacher', null],
        ['2026-02-26', 'Child and family (single) assessment authorised', 'Agreed.', 'Mo Manager', null],
      ],
    )
  })

  test('a plan action done is dated by the day it was recorded as done, whoever writes its progress later', () => {
    const action = (version: number, at: string, by: Recorder, status: string, progress: string) =>
      rev('plan-item', { kind: 'action', description: 'Attend the clinic', status, progress }, { id, version, at, by })
    const [done] = chronologyEntries([
      action(1, '2026-02-01T10:00:00Z', council, 'in-progress', ''),
      action(2, '2026-02-10T10:00:00Z', school, 'done', 'Attended.'),
      action(3, '2026-03-01T10:00:00Z', council, 'done', 'Attended, with mother.'),
    ])
    assert.deepEqual([done!.date, done!.recordedBy, done!.editedBy], ['2026-02-10', 'Dana Schoolteacher', 'Sam Worker'])
  })
})

describe('order and filters', () => {
  const early = rev('case-note', { kind: 'note', occurredOn: '2026-02-01', title: 'Recorded second', body: 'b' }, { at: '2026-02-02T10:00:00Z' })
  const earlier = {
    ...rev('case-note', { kind: 'note', occurredOn: '2026-02-01', title: 'Recorded first', body: 'b' }, { at: '2026-02-05T10:00:00Z' }),
    firstRecordedAt: '2026-02-01T10:00:00Z',
  }
  const visit = rev('case-note', { kind: 'visit', occurredOn: '2026-01-20', title: 'Visit', body: 'b', childSeen: false })
  const fromSchool = rev('contact', { receivedAt: '2026-01-05T09:00:00Z', source: '2A', concern: 'c' }, { by: school })

  test('by event date, then by when each was recorded', () => {
    assert.deepEqual(
      chronologyEntries([early, earlier, visit, fromSchool]).map((e) => e.title),
      ['Contact from Schools: waiting for a decision', 'Visit: Visit', 'Case note: Recorded first', 'Case note: Recorded second'],
    )
  })

  test('filters by kind, by agency and by date range', () => {
    const all = chronologyEntries([early, earlier, visit, fromSchool])
    assert.deepEqual(filterEntries(all, { kinds: ['visit', 'contact'] }).map((e) => e.kind), ['contact', 'visit'])
    assert.deepEqual(filterEntries(all, { agencyId: 'a-school' }).map((e) => e.agency), ['Fictional Primary School'])
    assert.deepEqual(filterEntries(all, { from: '2026-01-20', to: '2026-01-31' }).map((e) => e.title), ['Visit: Visit'])
    assert.equal(filterEntries(all, { kinds: [] }).length, 4, 'no kinds chosen means every kind')
    assert.deepEqual(
      chronologyEntries([early, earlier, visit, fromSchool], { kinds: ['note'], from: '2026-02-01' }).map((e) => e.title),
      ['Case note: Recorded first', 'Case note: Recorded second'],
    )
  })
})

test('referral sources read as words, not DfE capitals', () => {
  assert.equal(referralSourceName('2A'), 'Schools')
  assert.equal(referralSourceName('3A'), 'Health services – general practitioner (GP)')
  assert.equal(referralSourceName('5D'), 'LA services – early help')
  assert.equal(referralSourceName(null), 'an unknown source')
})

describe('erasure under the retention schedule (issue 18 §4)', () => {
  test('erased revisions read as nothing, and the erasure shows the gap with its rule', () => {
    const note = rev('case_note', { erased: true }, { id: '00000000-0000-4000-8000-0000000000e1' })
    const erasure = rev('erasure', { erasedOn: '2026-11-20', what: 'case', kind: 'child-case', rule: '25 years from the date of birth', retainUntil: '2026-05-04' }, { id: '00000000-0000-4000-8000-0000000000e2' })
    const entries = chronologyEntries([note, erasure])
    assert.equal(entries.length, 1)
    assert.equal(entries[0]!.kind, 'erasure')
    assert.equal(entries[0]!.date, '2026-11-20')
    assert.match(entries[0]!.title, /^Records erased on 20 November 2026: this case’s records$/)
    assert.match(entries[0]!.detail, /25 years from the date of birth \(kept until 4 May 2026\)/)
    assert.equal(entries[0]!.link, '/retention/erasures/00000000-0000-4000-8000-0000000000e2')
  })
})

describe('documents (issue 18 §1)', () => {
  test('a document is evidence on the date it bears, with its kind and source, linked on the documents page; filtered as documents', () => {
    const report = rev('document', { title: 'School report', kind: 'report-from-partner', datedOn: '2026-02-14', receivedFrom: 'Fictional Primary School' }, { id: '00000000-0000-4000-8000-0000000000d1' })
    const photo = rev('document', { title: 'Bruise photograph', kind: 'photograph', datedOn: null, receivedFrom: null }, { at: '2026-03-05T09:00:00.000Z' })
    const entries = chronologyEntries([report, photo])
    assert.deepEqual(only([report, photo]), [
      ['2026-02-14', 'document', 'Document: School report'],
      ['2026-03-05', 'document', 'Document uploaded: Bruise photograph'],
    ])
    assert.equal(entries[0]!.detail, 'Report from a partner agency. From Fictional Primary School.')
    assert.equal(entries[0]!.link, `/cases/${CASE}/documents#document-00000000-0000-4000-8000-0000000000d1`)
    assert.equal(filterEntries(entries, { kinds: ['document'] }).length, 2)
    assert.equal(filterEntries(entries, { kinds: ['note'] }).length, 0)
  })

  test('a letter Together made is told once, as the letter, not again as the document it is kept as', () => {
    const kept = rev('document', { title: 'Invitation', kind: 'letter', datedOn: '2026-03-02', receivedFrom: null }, { id: '00000000-0000-4000-8000-0000000000d7' })
    const received = rev('document', { title: 'Letter from the GP', kind: 'letter', datedOn: '2026-03-01', receivedFrom: 'Fictional Surgery' })
    const letter = rev('letter', { kind: 'conference-invitation', title: 'Invitation', recipientName: 'A parent', documentId: '00000000-0000-4000-8000-0000000000d7' })
    const entries = chronologyEntries([kept, received, letter])
    assert.deepEqual(entries.map((e) => [e.kind, e.entity]), [['document', 'document'], ['letter', 'letter']])
    assert.equal(entries[0]!.title, 'Document: Letter from the GP')
  })

  test('a body map on the day the marks were seen, with how many and by whom, linked to it', () => {
    const map = rev('body-map', { seenOn: '2026-03-04', seenBy: 'School nurse', account: 'Seen at PE', marks: [{ number: 1 }, { number: 2 }] }, { id: '00000000-0000-4000-8000-0000000000b1' })
    const empty = rev('body-map', { seenOn: '2026-03-05', seenBy: 'Health visitor', account: null, marks: [] })
    const entries = chronologyEntries([map, empty])
    assert.deepEqual(entries.map((e) => [e.date, e.kind, e.title, e.detail]), [
      ['2026-03-04', 'document', 'Body map: 2 marks seen by School nurse', 'Seen at PE'],
      ['2026-03-05', 'document', 'Body map of marks seen by Health visitor: none added yet', ''],
    ])
    assert.equal(entries[0]!.link, `/cases/${CASE}/body-maps/00000000-0000-4000-8000-0000000000b1`)
  })
})
