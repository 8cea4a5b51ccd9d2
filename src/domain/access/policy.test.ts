import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { decide, decideGeneral, decideOnPartnershipRecord, decideOnSection11Return, decideOnSubjectAccessCase, decideOnSubjectAccessPartnershipRecord, type Action, type Relationship, type Subject } from './policy.ts'
import { roleIds, type Role } from './roles.ts'

const P = 'partnership-1'
const subject = (role: Role, over: Partial<Subject> = {}): Subject => ({
  userId: 'u1',
  partnershipId: P,
  roles: [role],
  active: true,
  ...over,
})

// Columns: no relationship, then one relationship each (the IRO allocated now last).
const COLUMNS: (Relationship | 'none')[] = [
  'none',
  'allocated-worker',
  'team',
  'front-door-contact',
  'agency-involvement',
  'invitation',
  'plan-action-owner',
  'addressed-request',
  'explicit-permission',
  'break-glass',
  'iro',
]

const NEVER = 'N N N N N N N N N N N'

/**
 * Expected outcomes. Y allowed under that relationship; B allowed and flagged as break-glass;
 * O refused but break-glass offered; N refused.
 */
type CaseAction = 'case:read' | 'case:update' | 'case:authorise' | 'case:contribute' | 'case:participate' | 'case:manage-access'
const UNRESTRICTED: Record<CaseAction, Record<Role, string>> = {
  'case:read': {
    // The IRO allocated now opens the case to the IRO role only.
    'front-door-practitioner': 'O Y Y Y O Y O Y Y B O',
    'social-worker': /*        */ 'O Y Y O O Y O Y Y B O',
    'team-manager': /*         */ 'O Y Y Y O Y O Y Y B O',
    'conference-chair': /*     */ 'O Y Y O O Y O Y Y B O',
    'independent-reviewing-officer': 'N N N N N Y N N Y N Y',
    // An invitation, an owned action or an addressed request opens only the participation view.
    'partner-practitioner': /* */ 'N N N N Y N N N Y N N',
    'unscheduled-care': NEVER,
    'business-unit': NEVER,
    'designated-officer': NEVER,
    'performance-analyst': NEVER,
    auditor: NEVER,
    administrator: NEVER,
  },
  'case:update': {
    'front-door-practitioner': 'N N Y Y N N N N N N N',
    'social-worker': /*        */ 'N Y N N N N N N N N N',
    'team-manager': /*         */ 'N N Y Y N N N N N N N',
    'conference-chair': /*     */ 'N N Y N N Y N N N N N',
    'independent-reviewing-officer': 'N N N N N N N N N N Y',
    'partner-practitioner': NEVER,
    'unscheduled-care': NEVER,
    'business-unit': NEVER,
    'designated-officer': NEVER,
    'performance-analyst': NEVER,
    auditor: NEVER,
    administrator: NEVER,
  },
  'case:authorise': {
    'front-door-practitioner': NEVER,
    'social-worker': NEVER,
    'team-manager': /*         */ 'N N Y N N N N N N N N',
    'conference-chair': NEVER,
    'independent-reviewing-officer': NEVER,
    'partner-practitioner': NEVER,
    'unscheduled-care': NEVER,
    'business-unit': NEVER,
    'designated-officer': NEVER,
    'performance-analyst': NEVER,
    auditor: NEVER,
    administrator: NEVER,
  },
  'case:contribute': {
    'front-door-practitioner': NEVER,
    'social-worker': NEVER,
    'team-manager': NEVER,
    'conference-chair': NEVER,
    'independent-reviewing-officer': NEVER,
    'partner-practitioner': /* */ 'N N N N Y Y Y N N N N',
    'unscheduled-care': NEVER,
    'business-unit': NEVER,
    'designated-officer': NEVER,
    'performance-analyst': NEVER,
    auditor: NEVER,
    administrator: NEVER,
  },
  'case:participate': {
    'front-door-practitioner': NEVER,
    'social-worker': NEVER,
    'team-manager': NEVER,
    'conference-chair': NEVER,
    'independent-reviewing-officer': NEVER,
    'partner-practitioner': /* */ 'N N N N Y Y Y Y Y N N',
    'unscheduled-care': NEVER,
    'business-unit': NEVER,
    'designated-officer': NEVER,
    'performance-analyst': NEVER,
    auditor: NEVER,
    administrator: NEVER,
  },
  // Who may see the case (involvement, restriction, permission): the manager of the case's team only.
  'case:manage-access': {
    'front-door-practitioner': NEVER,
    'social-worker': NEVER,
    'team-manager': /*         */ 'N N Y N N N N N N N N',
    'conference-chair': NEVER,
    'independent-reviewing-officer': NEVER,
    'partner-practitioner': NEVER,
    'unscheduled-care': NEVER,
    'business-unit': NEVER,
    'designated-officer': NEVER,
    'performance-analyst': NEVER,
    auditor: NEVER,
    administrator: NEVER,
  },
}

/** Restricted records: only explicit permission opens them; break-glass is never offered. */
const RESTRICTED_READ: Record<Role, string> = {
  'front-door-practitioner': 'N N N N N N N N Y N N',
  'social-worker': /*        */ 'N N N N N N N N Y N N',
  'team-manager': /*         */ 'N N N N N N N N Y N N',
  'conference-chair': /*     */ 'N N N N N N N N Y N N',
  'independent-reviewing-officer': 'N N N N N N N N Y N N',
  'partner-practitioner': /* */ 'N N N N N N N N Y N N',
  'unscheduled-care': NEVER,
  'business-unit': NEVER,
  'designated-officer': NEVER,
  'performance-analyst': NEVER,
  auditor: NEVER,
  administrator: NEVER,
}

function outcome(role: Role, action: Action, rel: Relationship | 'none', restricted: boolean): string {
  const d = decide(subject(role), action, {
    partnershipId: P,
    restricted,
    relationships: rel === 'none' ? [] : [rel],
  })
  if (d.allowed) {
    assert.equal(d.ground, rel, `${role} ${action} ${rel}: ground`)
    return d.breakGlass ? 'B' : 'Y'
  }
  assert.ok(d.reason.length > 0)
  return d.breakGlassAvailable ? 'O' : 'N'
}

describe('access policy: role × action × relationship', () => {
  for (const [action, table] of Object.entries(UNRESTRICTED) as [CaseAction, Record<Role, string>][]) {
    for (const role of roleIds) {
      test(`${action} by ${role}`, () => {
        const actual = COLUMNS.map((rel) => outcome(role, action, rel, false)).join(' ')
        assert.equal(actual, table[role])
      })
    }
  }
  for (const role of roleIds) {
    test(`case:read of a restricted record by ${role}`, () => {
      const actual = COLUMNS.map((rel) => outcome(role, 'case:read', rel, true)).join(' ')
      assert.equal(actual, RESTRICTED_READ[role])
    })
  }

  test('restricted record with allocation and explicit permission is read under the explicit permission', () => {
    const d = decide(subject('social-worker'), 'case:read', {
      partnershipId: P,
      restricted: true,
      relationships: ['allocated-worker', 'explicit-permission'],
    })
    assert.deepEqual(d, { allowed: true, ground: 'explicit-permission', breakGlass: false })
  })

  test('restricted record: the case team’s manager still manages who may see it (under team), but cannot read or authorise without permission', () => {
    const record = { partnershipId: P, restricted: true, relationships: ['team' as const] }
    assert.deepEqual(decide(subject('team-manager'), 'case:manage-access', record), { allowed: true, ground: 'team', breakGlass: false })
    assert.equal(decide(subject('team-manager'), 'case:read', record).allowed, false)
    assert.equal(decide(subject('team-manager'), 'case:authorise', record).allowed, false)
    // Explicit permission alone never lets anyone manage access.
    assert.equal(decide(subject('team-manager'), 'case:manage-access', { ...record, relationships: ['explicit-permission'] }).allowed, false)
  })

  test('restricted record: allocation alone does not allow update', () => {
    const d = decide(subject('social-worker'), 'case:update', {
      partnershipId: P,
      restricted: true,
      relationships: ['allocated-worker'],
    })
    assert.equal(d.allowed, false)
  })

  test('another partnership’s record is always refused, whatever the relationship', () => {
    const d = decide(subject('team-manager'), 'case:read', {
      partnershipId: 'other',
      restricted: false,
      relationships: ['allocated-worker', 'team', 'explicit-permission', 'break-glass'],
    })
    assert.deepEqual(d, { allowed: false, reason: 'This record belongs to another partnership.', breakGlassAvailable: false })
  })

  test('an inactive user is refused everything', () => {
    const s = subject('administrator', { active: false })
    assert.equal(decide(s, 'organisation:manage').allowed, false)
    const sw = subject('social-worker', { active: false })
    assert.equal(decide(sw, 'case:read', { partnershipId: P, restricted: false, relationships: ['allocated-worker'] }).allowed, false)
  })

  test('the strongest relationship is recorded as the ground', () => {
    const d = decide(subject('social-worker'), 'case:read', {
      partnershipId: P,
      restricted: false,
      relationships: ['break-glass', 'team', 'allocated-worker'],
    })
    assert.deepEqual(d, { allowed: true, ground: 'allocated-worker', breakGlass: false })
  })

  test('a user with several roles gets the union of their capabilities', () => {
    const d = decide(subject('partner-practitioner', { roles: ['partner-practitioner', 'team-manager'] }), 'case:update', {
      partnershipId: P,
      restricted: false,
      relationships: ['team'],
    })
    assert.equal(d.allowed, true)
  })
})

describe('access policy: actions not about one record', () => {
  const GENERAL: Record<'organisation:manage' | 'audit:read' | 'rules:read' | 'review:start' | 'lado:refer' | 'lado:report' | 'retention:manage' | 'erasure:approve', Role[]> = {
    'organisation:manage': ['administrator'],
    'audit:read': ['auditor'],
    'rules:read': [...roleIds],
    'review:start': ['business-unit'],
    'lado:refer': ['designated-officer'],
    'lado:report': ['designated-officer', 'business-unit'],
    'retention:manage': ['auditor', 'administrator'],
    'erasure:approve': ['auditor'],
  }
  for (const [action, allowed] of Object.entries(GENERAL) as [keyof typeof GENERAL, Role[]][]) {
    for (const role of roleIds) {
      test(`${action} by ${role}`, () => {
        const d = decide(subject(role), action)
        assert.equal(d.allowed, allowed.includes(role))
        if (d.allowed) assert.equal(d.ground, `role:${role}`)
      })
    }
  }

  test('a record action without a record is a programming error', () => {
    assert.throws(() => decide(subject('social-worker'), 'case:read'))
  })
})

describe('access policy: the partnership\'s restricted records', () => {
  const review = (member: boolean) => ({ kind: 'review' as const, partnershipId: P, member })
  const lado = (inDesignatedTeam: boolean, employerContact: boolean) => ({ kind: 'lado' as const, partnershipId: P, inDesignatedTeam, employerContact })

  test('review material: members read, business unit members change, nobody else by role alone', () => {
    for (const role of roleIds) {
      assert.equal(decideOnPartnershipRecord(subject(role), 'read', review(false)).allowed, false, `${role} not a member`)
      assert.deepEqual(decideOnPartnershipRecord(subject(role), 'read', review(true)), { allowed: true, ground: 'review-member', breakGlass: false })
      assert.equal(decideOnPartnershipRecord(subject(role), 'update', review(true)).allowed, role === 'business-unit', `${role} update`)
    }
  })

  test("allegations: the designated officer's team reads and changes; the employer's contact only reads", () => {
    for (const role of roleIds) {
      const officer = role === 'designated-officer'
      assert.equal(decideOnPartnershipRecord(subject(role), 'read', lado(true, false)).allowed, officer, `${role} in team`)
      assert.equal(decideOnPartnershipRecord(subject(role), 'update', lado(true, false)).allowed, officer, `${role} update`)
      assert.equal(decideOnPartnershipRecord(subject(role), 'read', lado(false, false)).allowed, false, `${role} unrelated`)
      assert.equal(decideOnPartnershipRecord(subject(role), 'read', lado(false, true)).allowed, true, `${role} contact`)
      assert.equal(decideOnPartnershipRecord(subject(role), 'update', lado(false, true)).allowed, false, `${role} contact update`)
    }
  })

  test('another partnership\'s records and inactive users are refused', () => {
    assert.equal(decideOnPartnershipRecord(subject('business-unit'), 'read', { ...review(true), partnershipId: 'other' }).allowed, false)
    assert.equal(decideOnPartnershipRecord({ ...subject('business-unit'), active: false }, 'read', review(true)).allowed, false)
  })
})

describe('access policy: section 11 self-assessments', () => {
  const own = { partnershipId: P, ownAgency: true }
  const other = { partnershipId: P, ownAgency: false }
  test('role × (own agency, another agency) × action', () => {
    // [read own, answer own, manage own, read other, answer other, manage other]
    const expected: Partial<Record<Role, string>> = {
      'business-unit': 'Y N Y Y N Y',
      'partner-practitioner': 'Y Y N N N N',
      'team-manager': 'Y Y N N N N',
    }
    for (const role of roleIds) {
      const got = [own, other]
        .flatMap((record) => (['read', 'answer', 'manage'] as const).map((action) => (decideOnSection11Return(subject(role), action, record).allowed ? 'Y' : 'N')))
        .join(' ')
      assert.equal(got, expected[role] ?? 'N N N N N N', role)
    }
  })
  test('the ground says why: the agency answers as itself, the business unit by role', () => {
    assert.deepEqual(decideOnSection11Return(subject('partner-practitioner'), 'read', own), { allowed: true, ground: 'own-agency', breakGlass: false })
    assert.deepEqual(decideOnSection11Return(subject('business-unit'), 'read', other), { allowed: true, ground: 'role:business-unit', breakGlass: false })
  })
  test("another partnership's returns and inactive users are refused", () => {
    assert.equal(decideOnSection11Return(subject('business-unit'), 'read', { ...own, partnershipId: 'other' }).allowed, false)
    assert.equal(decideOnSection11Return({ ...subject('partner-practitioner'), active: false }, 'read', own).allowed, false)
  })
})

describe('access policy: subject access requests', () => {
  const record = (restricted: boolean, relationships: Relationship[] = []) => ({ partnershipId: P, restricted, relationships })
  test('the data protection officer (auditor) and team managers work them; nobody else', () => {
    const allowed = roleIds.filter((role) => decideGeneral(subject(role), 'subject-access:manage').allowed)
    assert.deepEqual(allowed.sort(), ['auditor', 'team-manager'])
  })
  test("a child's case is read for the bundle under the subject-access ground; a restricted one needs explicit permission", () => {
    const dpo = subject('auditor')
    const via = decideGeneral(dpo, 'subject-access:manage')
    assert.deepEqual(decideOnSubjectAccessCase(dpo, via, record(false)), { allowed: true, ground: 'subject-access', breakGlass: false })
    const refused = decideOnSubjectAccessCase(dpo, via, record(true))
    assert.equal(refused.allowed, false)
    assert.equal(!refused.allowed && refused.conceal, undefined)
    assert.equal(decideOnSubjectAccessCase(dpo, via, record(true, ['explicit-permission'])).allowed, true)
    const sw = subject('social-worker')
    assert.equal(decideOnSubjectAccessCase(sw, decideGeneral(sw, 'subject-access:manage'), record(false)).allowed, false)
    assert.equal(decideOnSubjectAccessCase(dpo, via, { ...record(false), partnershipId: 'other' }).allowed, false)
  })
  test("the partnership's own records about the person are read for the bundle under the subject-access ground, by those who work requests only", () => {
    const dpo = subject('auditor')
    const via = decideGeneral(dpo, 'subject-access:manage')
    assert.deepEqual(decideOnSubjectAccessPartnershipRecord(dpo, via, { partnershipId: P }), { allowed: true, ground: 'subject-access', breakGlass: false })
    assert.equal(decideOnSubjectAccessPartnershipRecord(dpo, via, { partnershipId: 'other' }).allowed, false)
    assert.equal(decideOnSubjectAccessPartnershipRecord({ ...dpo, active: false }, via, { partnershipId: P }).allowed, false)
    const sw = subject('social-worker')
    assert.equal(decideOnSubjectAccessPartnershipRecord(sw, decideGeneral(sw, 'subject-access:manage'), { partnershipId: P }).allowed, false)
  })
})
