import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DEFAULT_RETENTION, describeRule, holdsCovering, isPastRetention, retentionDate, schedulesOf, type LegalHold } from './retention.ts'

describe('retention dates', () => {
  const closed = { dateOfBirth: '2001-03-31', closedOn: '2010-06-01', createdOn: '2009-01-05' }

  it("keeps a child's case until the 25th birthday", () => {
    const d = retentionDate(DEFAULT_RETENTION['child-case'], closed)
    assert.equal(d.retainUntil, '2026-03-31')
    assert.equal(d.why, '25 years from the date of birth')
    assert.equal(d.overridden, false)
  })

  it("keeps a looked-after child's record 75 years from the date of birth", () => {
    assert.equal(retentionDate(DEFAULT_RETENTION['looked-after-child'], closed).retainUntil, '2076-03-31')
  })

  it('keeps a contact that went no further 6 years from its closure', () => {
    assert.equal(retentionDate(DEFAULT_RETENTION['contact-no-further-action'], closed).retainUntil, '2016-06-01')
  })

  it('has no date while the record is open', () => {
    assert.equal(retentionDate(DEFAULT_RETENTION['child-case'], { ...closed, closedOn: null }).retainUntil, null)
    assert.equal(retentionDate(DEFAULT_RETENTION['contact-no-further-action'], { ...closed, closedOn: null }).retainUntil, null)
  })

  it('keeps a case closed after the birthday until its closure', () => {
    assert.equal(retentionDate(DEFAULT_RETENTION['child-case'], { ...closed, closedOn: '2027-01-10' }).retainUntil, '2027-01-10')
  })

  it('counts from the closure when no date of birth is recorded, and says so', () => {
    const d = retentionDate(DEFAULT_RETENTION['child-case'], { ...closed, dateOfBirth: null })
    assert.equal(d.retainUntil, '2035-06-01')
    assert.match(d.why, /no date of birth recorded/)
  })

  it('counts a leap day birthday to the end of February', () => {
    assert.equal(retentionDate({ basis: 'date-of-birth', months: 12 }, { ...closed, dateOfBirth: '2004-02-29', closedOn: '2004-03-01' }).retainUntil, '2005-02-28')
  })

  it("keeps a document as long as its case, and from the day it was made when so set", () => {
    assert.equal(retentionDate(DEFAULT_RETENTION.document, { ...closed, caseRetainUntil: '2026-03-31' }).retainUntil, '2026-03-31')
    assert.equal(retentionDate(DEFAULT_RETENTION.document, closed).retainUntil, null)
    assert.equal(retentionDate({ basis: 'created', months: 18 }, closed).retainUntil, '2010-07-05')
  })

  it('lets an override win, with its reason', () => {
    const d = retentionDate(DEFAULT_RETENTION['child-case'], closed, { retainUntil: '2040-01-01', reason: 'Civil claim expected' })
    assert.deepEqual(d, { retainUntil: '2040-01-01', why: 'Set for this record: Civil claim expected', overridden: true })
  })

  it('is past retention from the day after the last day kept', () => {
    assert.equal(isPastRetention('2026-03-31', '2026-03-31'), false)
    assert.equal(isPastRetention('2026-03-31', '2026-04-01'), true)
    assert.equal(isPastRetention(null, '2099-01-01'), false)
  })

  it('describes rules in words', () => {
    assert.equal(describeRule({ basis: 'created', months: 3 }), '3 months from the day the record was made')
    assert.equal(describeRule({ basis: 'closure', months: 13 }), '1 year and 1 month from the day the record was closed')
    assert.equal(describeRule({ basis: 'with-case', months: 0 }), 'as long as the case it is on')
  })

  it('shows the defaults as unconfirmed until the partnership sets them', () => {
    const all = schedulesOf([{ kind: 'child-case', basis: 'date-of-birth', months: 312, source: 'Our policy', confirmed: true }])
    assert.equal(all.find((s) => s.kind === 'child-case')?.months, 312)
    const lac = all.find((s) => s.kind === 'looked-after-child')!
    assert.equal(lac.confirmed, false)
    assert.match(lac.source, /confirm locally/)
  })
})

describe('legal holds', () => {
  const hold = (id: string, target: LegalHold['target'], liftedAt: string | null = null): LegalHold => ({ id, target, reason: 'r', liftedAt })
  const holds = [
    hold('kind', { on: 'kind', kind: 'child-case' }),
    hold('case', { on: 'case', caseId: 'c1' }),
    hold('person', { on: 'person', personId: 'p1' }),
    hold('lifted', { on: 'case', caseId: 'c2' }, '2026-01-01T00:00:00Z'),
  ]
  const ids = (record: Parameters<typeof holdsCovering>[1]) => holdsCovering(holds, record).map((h) => h.id)

  it('covers a record by its kind, its case or a person it is about', () => {
    assert.deepEqual(ids({ kinds: ['child-case'], caseId: 'c9', personIds: [] }), ['kind'])
    assert.deepEqual(ids({ kinds: ['document'], caseId: 'c1', personIds: [] }), ['case'])
    assert.deepEqual(ids({ kinds: ['looked-after-child'], caseId: 'c9', personIds: ['p2', 'p1'] }), ['person'])
    assert.deepEqual(ids({ kinds: ['document', 'child-case'], caseId: 'c1', personIds: ['p1'] }), ['kind', 'case', 'person'])
  })

  it('does not count a lifted hold', () => {
    assert.deepEqual(ids({ kinds: ['document'], caseId: 'c2', personIds: [] }), [])
  })
})
