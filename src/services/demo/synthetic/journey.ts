/**
 * Generates one synthetic child's journey through children's social care, as the rows the services
 * would have written: the person and their case, contacts and front door decisions, child-in-need
 * episodes, assessments, strategy discussions, section 47 enquiries, conferences, plans with goals
 * and actions, core groups, visits, looked-after periods, the statutory clocks with their tasks, and
 * a record_revision for every version of every journey record, stamped at the time of the event.
 *
 * Each child draws from its own generator seeded by (seed, child number), so a child's journey does
 * not depend on the others and the same seed always gives the same rows. Nothing happens after the
 * `until` date: what is still going on then stays open, with its clocks and tasks.
 */
import { editionInForce, dueDate, type LocalRuleSettings, type RuleId } from '../../../domain/timescales/index.ts'
import type { SyntheticDays } from '../../../domain/demo/days.ts'
import { laChildId, nhsNumberCapacity, nhsNumberGenerator, upnGenerator } from '../../../domain/demo/identifiers.ts'
import { FAMILY_NAMES, GIVEN_NAMES_F, GIVEN_NAMES_M } from '../../../domain/demo/names.ts'
import { Prng } from '../../../domain/demo/prng.ts'
import type { CaseTeam, SyntheticOrganisation } from './organisation.ts'
import { newRow, type RowBatch, type RowOf, type TableKey } from './rows.ts'
import * as T from './texts.ts'
import { addMonths } from '../../../domain/timescales/calendar/iso-date.ts'
import { postcodeLookup, SYNTHETIC_AREA } from '../../care/placements.ts'
import { normalisePostcode } from '../../../domain/care/placement-rules.ts'
import { HOME_EXIT } from '../../../domain/care/leaving-care.ts'

export interface JourneySettings {
  seed: number
  /** First day a first contact may fall on (day number). */
  fromDay: number
  /** Nothing happens after this day (day number). */
  untilDay: number
  org: SyntheticOrganisation
  days: SyntheticDays
  localRules: LocalRuleSettings
}

type Weighted<V> = readonly (readonly [V, number])[]

const REFERRAL_SOURCES: Weighted<string> = [
  ['6', 29], ['2A', 18], ['3A', 3], ['3B', 3], ['3E', 4], ['3D', 3], ['5A', 4], ['5D', 4], ['5B', 2],
  ['1A', 4], ['1B', 2], ['1C', 1], ['1D', 1], ['4', 2], ['7', 2], ['8', 4], ['9', 2], ['10', 1],
]

const ETHNICITIES: Weighted<string> = [
  ['WBRI', 66], ['WIRI', 0.5], ['WIRT', 0.4], ['WOTH', 5], ['WROM', 0.6], ['MWBC', 3], ['MWBA', 1], ['MWAS', 1.2],
  ['MOTH', 3], ['AIND', 1.5], ['APKN', 3], ['ABAN', 1], ['AOTH', 1.5], ['BCRB', 1.5], ['BAFR', 4], ['BOTH', 1],
  ['CHNE', 0.3], ['OOTH', 2], ['REFU', 0.5], ['NOBT', 2],
]

const DISABILITY_CODES = ['MOB', 'HAND', 'PC', 'INC', 'COMM', 'LD', 'HEAR', 'VIS', 'BEH', 'CON', 'AUT', 'DDA'] as const

const PRIMARY_NEEDS: Weighted<string> = [
  ['N1', 57], ['N2', 3], ['N3', 4], ['N4', 10], ['N5', 15], ['N6', 2], ['N7', 1], ['N8', 4], ['N9', 3], ['N0', 1],
]

/** Factors identified at assessment, roughly by how often they are recorded (retired 18A/19A never). */
const FACTORS: Weighted<string> = [
  ['3B', 14], ['4B', 12], ['3A', 9], ['2B', 6], ['1B', 5], ['16A', 8], ['17A', 7], ['4A', 6], ['18C', 3], ['18B', 1],
  ['19C', 2], ['19B', 1], ['10A', 2], ['11A', 2], ['24A', 2], ['14A', 2], ['15A', 2], ['5A', 1], ['6A', 1], ['6B', 1],
  ['7A', 1], ['13A', 1], ['2A', 1], ['1A', 0.5], ['20', 3], ['22A', 0.2], ['23A', 0.2], ['9A', 0.5], ['12A', 0.3],
]

const CATEGORIES: Weighted<string> = [['NEG', 50], ['EMO', 30], ['PHY', 12], ['SAB', 6], ['MUL', 2]]

const LEGAL_STATUSES: Weighted<string> = [['C1', 45], ['V2', 35], ['L2', 10], ['L1', 10]]

// ---- children in care: shares are England's published figures rounded (DfE, Children looked after
// in England 2024) where there are any, otherwise assumptions (docs/synthetic-data.md says which).

/** Share of children old enough to turn 18 in the data (most of them go into care and leave at 18). */
const OLDER_TEEN_SHARE = 0.01
/** Share of assessments leading to a plan after which the child becomes looked after straight away. */
const DIRECT_INTO_CARE = 0.08
/** Share of looked-after children of 10 and over who go missing or away at least once. */
const MISSING_SHARE = 0.25

const CARE_NEEDS: Weighted<string> = [['N1', 66], ['N2', 3], ['N3', 3], ['N4', 8], ['N5', 13], ['N6', 1], ['N7', 0.2], ['N8', 6]]
const PLACE_FIRST: Weighted<string> = [['U6', 50], ['U3', 16], ['U4', 6], ['K2', 10], ['P1', 5], ['R3', 2], ['U5', 1], ['S1', 1]]
const PLACE_LATER: Weighted<string> = [['U4', 34], ['U6', 25], ['U1', 8], ['U3', 6], ['K2', 15], ['P1', 7], ['S1', 2], ['K1', 1]]
const PLACE_16_PLUS: Weighted<string> = [['K3', 32], ['U6', 22], ['U4', 12], ['K2', 25], ['U3', 5], ['P1', 3], ['R5', 1]]
const PROVIDERS: Record<string, Weighted<string>> = {
  U: [['PR1', 55], ['PR4', 40], ['PR5', 5]],
  K: [['PR4', 80], ['PR1', 15], ['PR5', 5]],
  R: [['PR4', 40], ['PR3', 40], ['PR5', 20]],
  S: [['PR4', 60], ['PR3', 30], ['PR5', 10]],
}
const CARER_KIND_OF: Record<string, string> = {
  U1: 'foster-connected', U2: 'foster-connected', U3: 'foster-connected', U4: 'foster', U5: 'foster', U6: 'foster',
  K1: 'childrens-home', K2: 'childrens-home', K3: 'supported-accommodation', P1: 'parent', R3: 'other', S1: 'other',
}
const HOUSEHOLD_NAMES = ['Oak', 'Ash', 'Birch', 'Cedar', 'Elm', 'Hazel', 'Larch', 'Maple', 'Rowan', 'Willow', 'Alder', 'Holly'] as const
const TEMPORARY_TYPES: Weighted<string> = [['T1', 35], ['T2', 20], ['T3', 30], ['T4', 10], ['T0', 5]]
const MOVE_REASONS: Weighted<string> = [
  ['CARPL', 44], ['CREQB', 14], ['CREQO', 9], ['CHILD', 7], ['LAREQ', 8], ['STAND', 3], ['ALLEG', 2], ['CLOSE', 4], ['APPRR', 1], ['PLACE', 4], ['OTHER', 4],
]
const CEASED: Weighted<string> = [['E4A', 38], ['E4B', 4], ['E13', 5], ['E41', 8], ['E45', 7], ['E46', 4], ['E47', 4], ['E48', 3], ['E3', 3], ['E8', 8], ['E16', 1]]
const CEASED_16_PLUS: Weighted<string> = [['E4A', 35], ['E4B', 4], ['E13', 6], ['E5', 20], ['E6', 5], ['E3', 4], ['E8', 10], ['E9', 2]]
const AT_18: Weighted<string> = [['E17', 25], ['E5', 50], ['E6', 10], ['E8', 15]]
const ACTIVITIES: Weighted<string> = [['F1', 7], ['P1', 1], ['F2', 20], ['P2', 4], ['F4', 4], ['P4', 1], ['F5', 16], ['P5', 6], ['G4', 10], ['G5', 24], ['G6', 7]]
const ACCOMMODATIONS: Weighted<string> = [
  ['U1', 26], ['D1', 18], ['E1', 8], ['B1', 14], ['K1', 4], ['C1', 2], ['T1', 3], ['Y1', 6], ['V1', 1],
  ['U2', 3], ['B2', 2], ['D2', 2], ['S2', 2], ['X2', 3], ['W2', 1], ['Y2', 1],
]

/** Postcodes of the synthetic lookup: in the authority's area (E06000999), out of it in England, all for home. */
const SYNTHETIC_POSTCODES = (() => {
  const english = [...postcodeLookup().entries()].filter(([, p]) => p.laua.startsWith('E'))
  const inArea = english.filter(([, p]) => p.utla === SYNTHETIC_AREA).map(([key]) => normalisePostcode(key))
  const outOfArea = english.filter(([, p]) => p.utla !== SYNTHETIC_AREA).map(([key]) => normalisePostcode(key))
  return { inArea, outOfArea, home: inArea }
})()

type Row<K extends TableKey> = RowOf<K>

interface Clock {
  clock: Row<'clock'>
  task: Row<'task'>
  dueDay: number
}

/** How a section 47 route ended: still going on at `until`, or an outcome on a day. */
type Enquiry =
  | { kind: 'open' }
  | { kind: 'no-s47' | 'not-substantiated' | 'no-continuing-risk' | 'no-plan'; day: number }
  | { kind: 'plan'; day: number; conference: Row<'conference'>; category: string; planId: string }

export class JourneyGenerator {
  private readonly dueCache = new Map<string, { dueDay: number; edition: number; due: string }>()
  private readonly nhsNumber: (index: number) => string
  /** The test range's NHS numbers: the children after them have none known (as a child new to the country may not). */
  private readonly nhsNumbers = nhsNumberCapacity()
  private readonly upn: (index: number) => string
  /** Each case-holding team's manager, by team id. */
  readonly managers: Map<string, string>

  constructor(readonly settings: JourneySettings) {
    this.nhsNumber = nhsNumberGenerator(settings.seed)
    this.upn = upnGenerator(settings.seed)
    const { org } = settings
    this.managers = new Map([...org.assessmentTeams, ...org.protectionTeams, org.earlyHelp, org.frontDoor].map((t) => [t.id, t.managerId]))
  }

  /** The due date of a rule from a start day, as startClock works it out (memoised). */
  due(rule: RuleId, startDay: number): { dueDay: number; edition: number; due: string } {
    const key = `${rule}:${startDay}`
    let hit = this.dueCache.get(key)
    if (!hit) {
      const { days, localRules } = this.settings
      const d = dueDate({ rule, start: days.iso(startDay), localRules, calendar: days.calendar })
      hit = { dueDay: days.dayOf(d.due), edition: d.edition, due: d.due }
      this.dueCache.set(key, hit)
    }
    return hit
  }

  /** Appends child number `index`'s rows to `out`. */
  generate(index: number, out: RowBatch): void {
    new Story(this, index, out).run()
  }

  identifiers(index: number) {
    return { nhsNumber: index < this.nhsNumbers ? this.nhsNumber(index) : null, upn: this.upn(index), laChildId: laChildId(this.settings.seed, index) }
  }
}

class Story {
  private readonly rng: Prng
  private readonly s: JourneySettings
  private readonly days: SyntheticDays
  private readonly org: SyntheticOrganisation
  private readonly until: number
  private readonly stamps = new Map<number, number>()
  private person!: Row<'person'>
  private kase!: Row<'childCase'>
  private unborn = false
  private lastReferralDay: number | null = null
  private forceNextContact = false
  /** Open clock tasks of the case, which an allocation moves to the new worker. */
  private openTasks: Row<'task'>[] = []
  /** The chair the case's conferences invite (one invitation per case). */
  private chair: string | null = null
  /**
   * A generator of its own for what happens in care (placements, moves, missing episodes, health,
   * education, care leavers), so adding care records leaves every other draw of the journey as it was.
   */
  private readonly care: Prng
  /** A teenager who turns 18 within the data (most go into care directly and leave it at 18). */
  private olderTeen = false

  constructor(
    private readonly g: JourneyGenerator,
    private readonly index: number,
    private readonly out: RowBatch,
  ) {
    this.s = g.settings
    this.rng = new Prng(this.s.seed, index + 1)
    this.care = new Prng(this.s.seed, index + 1, 903)
    this.days = this.s.days
    this.org = this.s.org
    this.until = this.s.untilDay
  }

  private ids = 0

  /**
   * The next id of this child's records: the child's number first, so a load in child order
   * appends to every index on an id instead of writing all over it (random ids made the load
   * slow down as the tables grew).
   */
  private newId(): string {
    return this.rng.orderedUuid(this.index + 1, this.ids++)
  }

  run(): void {
    this.journey()
    // Tasks are kept for the clocks still running at the end (completed clocks' tasks are not loaded).
    for (const t of this.openTasks) this.out.task.push(t)
  }

  private journey(): void {
    const { rng } = this
    this.unborn = rng.chance(0.03)
    let day = this.unborn
      ? this.until - rng.int(10, 120)
      : this.s.fromDay + Math.floor(rng.next() * (this.until - this.s.fromDay + 1))
    this.createPerson(day)
    for (let contacts = 0; contacts < 6; contacts++) {
      const closed = this.contact(day)
      if (closed === null || this.unborn) return
      let next: number
      if (this.forceNextContact) {
        next = closed + rng.int(5, 30)
        this.forceNextContact = false
      } else if (rng.chance(0.3)) {
        const gap = rng.weighted<[number, number]>([[[7, 180], 40], [[181, 540], 35], [[541, 1200], 25]])
        next = closed + rng.int(gap[0], gap[1])
      } else {
        return
      }
      if (next > this.until) return
      day = next
    }
  }

  // ---- records, revisions and clocks

  /** A time on `day`, later than any earlier stamp on that day for this child. */
  private stamp(day: number): string {
    const previous = this.stamps.get(day)
    const minute = previous === undefined ? this.rng.int(510, 720) : previous + this.rng.int(2, 20)
    this.stamps.set(day, minute)
    return minute < 1380 ? this.days.instant(day, minute) : this.days.instant(day, 1379, Math.min(59, minute - 1379))
  }

  private revise(entity: string, row: { id: string; version: number }, at: string, actor: string, data: object = { ...row }): void {
    this.out.recordRevision.push(
      newRow('recordRevision', {
        partnershipId: this.org.partnershipId,
        caseId: this.kase.id,
        entity,
        entityId: row.id,
        version: row.version,
        data,
        recordedAt: at,
        recordedBy: actor,
      }),
    )
  }

  /** Inserts a journey record on the case (with its first revision), as createRecord does. */
  private create<K extends Exclude<TableKey, 'contactChild' | 'recordRevision'>>(
    entity: string,
    key: K,
    values: Partial<Row<K>>,
    at: string,
    actor: string,
  ): Row<K> {
    const row = newRow(key, {
      id: this.newId(),
      partnershipId: this.org.partnershipId,
      caseId: this.kase.id,
      recordedBy: actor,
      ...values,
      createdAt: at,
      updatedAt: at,
      version: 1,
    } as Partial<Row<K>>) as Row<K> & { id: string; version: number }
    this.out[key].push(row as never)
    this.revise(entity, row, at, actor)
    return row
  }

  /** A versioned update with its revision, as updateRecord does. */
  private update<R extends { id: string; version: number; updatedAt: string }>(
    entity: string,
    row: R,
    changes: Partial<R>,
    at: string,
    actor: string,
    extra: object = {},
  ): void {
    Object.assign(row, changes)
    row.version += 1
    row.updatedAt = at
    this.revise(entity, row, at, actor, { ...row, ...extra })
  }

  private startClock(rule: RuleId, startDay: number, subjectType: string, subjectId: string, at: string, actor: string): Clock {
    const due = this.g.due(rule, startDay)
    const clock = newRow('clock', {
      id: this.newId(),
      partnershipId: this.org.partnershipId,
      caseId: this.kase.id,
      rule,
      edition: due.edition,
      startOn: this.days.iso(startDay),
      dueOn: due.due,
      subjectType,
      subjectId,
      createdAt: at,
      updatedAt: at,
      version: 1,
    })
    const task = newRow('task', {
      id: this.newId(),
      partnershipId: this.org.partnershipId,
      caseId: this.kase.id,
      clockId: clock.id,
      title: T.TASK_TITLES[rule] ?? rule,
      dueOn: due.due,
      assigneeUserId: this.kase.allocatedWorkerId,
      assigneeTeamId: this.kase.allocatedWorkerId ? null : this.kase.teamId,
      status: 'open',
      createdBy: actor,
      createdAt: at,
      updatedAt: at,
      version: 1,
    })
    this.out.clock.push(clock)
    this.openTasks.push(task)
    return { clock, task, dueDay: due.dueDay }
  }

  /** Completes a clock (and its task) as completeClocks does: no version change. */
  private completeClock(c: Clock | null, day: number, at: string, explainIfLate = true): void {
    if (!c || c.clock.completedOn !== null) return
    const on = this.days.iso(day)
    c.clock.completedOn = on
    c.clock.updatedAt = at
    if (explainIfLate && day > c.dueDay) c.clock.delayReason = this.rng.pick(T.DELAY_REASONS)
    c.task.status = 'done'
    c.task.doneOn = on
    c.task.updatedAt = at
    this.openTasks = this.openTasks.filter((t) => t !== c.task)
  }

  // ---- the child and the case

  private createPerson(firstDay: number): void {
    const { rng, days } = this
    const ids = this.g.identifiers(this.index)
    const sex = this.unborn ? 'U' : rng.chance(0.5) ? 'M' : 'F'
    const given = sex === 'F' ? rng.pick(GIVEN_NAMES_F) : sex === 'M' ? rng.pick(GIVEN_NAMES_M) : 'Unborn'
    let dateOfBirth: string | null = null
    let expectedDateOfBirth: string | null = null
    let disabilities: string[] = []
    let upn: string | null = null
    let upnUnknown: string | null = null
    if (this.unborn) {
      expectedDateOfBirth = days.iso(this.until + rng.int(14, 150))
    } else {
      // Young enough to be under 18 on the last day of the data.
      const maxAgeDays = 18 * 365 - (this.until - firstDay) - 20
      const ageDays = rng.chance(0.12) ? rng.int(0, 364) : rng.int(0, Math.max(0, maxAgeDays))
      let dob = firstDay - ageDays
      // A few teenagers old enough to turn 18 before the end, so that care leavers leave care at 18.
      if (this.care.chance(OLDER_TEEN_SHARE)) {
        this.olderTeen = true
        dob = firstDay - this.care.int(15 * 365 + 100, 17 * 365 + 250)
      }
      dateOfBirth = days.iso(dob)
      disabilities = rng.chance(0.09) ? rng.sample(DISABILITY_CODES, rng.chance(0.7) ? 1 : 2) : ['NONE']
      if (this.until - dob >= 4 * 365 + 200) upn = ids.upn
      else upnUnknown = 'UN1'
    }
    const at = this.stamp(firstDay)
    this.person = newRow('person', {
      id: this.newId(),
      partnershipId: this.org.partnershipId,
      givenName: given,
      familyName: rng.pick(FAMILY_NAMES),
      dateOfBirth,
      sex,
      nhsNumber: this.unborn ? null : ids.nhsNumber,
      expectedDateOfBirth,
      laChildId: ids.laChildId,
      upn,
      upnUnknown,
      ethnicity: rng.weighted(ETHNICITIES),
      disabilities,
      restricted: false,
      createdAt: at,
      updatedAt: at,
      version: 1,
    })
    this.out.person.push(this.person)
  }

  private openCase(day: number, at: string, actor: string): void {
    this.kase = newRow('childCase', {
      id: this.newId(),
      partnershipId: this.org.partnershipId,
      personId: this.person.id,
      teamId: this.org.frontDoor.id,
      allocatedWorkerId: null,
      status: 'front-door',
      openedOn: this.days.iso(day),
      closedOn: null,
      restricted: false,
      createdAt: at,
      updatedAt: at,
      version: 1,
    })
    this.out.childCase.push(this.kase)
    this.revise('case', this.kase, at, actor)
  }

  /** setCaseStage: moves the case to a stage; closing sets closedOn, leaving 'closed' reopens it. */
  private setStage(stage: string, day: number, at: string, actor: string): void {
    const k = this.kase
    if (k.status === stage) return
    const changes: Partial<Row<'childCase'>> =
      stage === 'closed'
        ? { status: stage, closedOn: this.days.iso(day) }
        : k.status === 'closed'
          ? { status: stage, closedOn: null, openedOn: this.days.iso(day) }
          : { status: stage }
    this.update('case', k, changes, at, actor)
  }

  /**
   * A team manager takes the case into their team and allocates it to a worker, to whom the case's
   * open clock tasks then move (as allocateCase does).
   */
  private allocate(team: CaseTeam, day: number): string {
    const worker = this.rng.pick(team.workerIds)
    const at = this.stamp(day)
    this.update('case', this.kase, { teamId: team.id, allocatedWorkerId: worker }, at, team.managerId)
    for (const t of this.openTasks) {
      t.assigneeUserId = worker
      t.assigneeTeamId = null
      t.updatedAt = at
      t.version += 1
    }
    return worker
  }

  /** Moves the case to a team of this kind unless it is already in one. */
  private ensureTeam(teams: CaseTeam[], day: number): string {
    if (teams.some((t) => t.id === this.kase.teamId) && this.kase.allocatedWorkerId) return this.kase.allocatedWorkerId
    return this.allocate(this.rng.pick(teams), day)
  }

  private get worker(): string {
    return this.kase.allocatedWorkerId ?? this.org.frontDoor.managerId
  }

  /** The manager of the team holding the case. */
  private managerOf(): string {
    return (this.kase.teamId && this.g.managers.get(this.kase.teamId)) || this.org.frontDoor.managerId
  }

  // ---- the front door

  /** A contact and everything that follows from it. Returns the day the case closed, or null if still open. */
  private contact(day: number): number | null {
    const { rng, days, org } = this
    const recorder = rng.pick(org.frontDoor.workerIds)
    const source = rng.weighted(REFERRAL_SOURCES)
    const referrer = this.referrerFor(source)
    const receivedAt = this.stamp(day)
    // The child's case: created at the first contact, reopened at the front door by a later one.
    if (this.kase === undefined) {
      this.openCase(day, receivedAt, recorder)
    } else {
      const reopen = { status: 'front-door', closedOn: null, openedOn: days.iso(day), teamId: org.frontDoor.id, allocatedWorkerId: null }
      this.update('case', this.kase, reopen, receivedAt, recorder)
    }
    const consent = rng.weighted([['given', 70], ['not-sought', 20], ['refused', 10]])
    const contactRow = newRow('contact', {
      id: this.newId(),
      partnershipId: org.partnershipId,
      receivedAt,
      source,
      referrerName: referrer.name,
      referrerAgencyId: referrer.agencyId,
      referrerRole: referrer.role,
      referrerContact: referrer.agencyId ? '01632 960000 (synthetic)' : null,
      concern: rng.pick(T.CONCERNS),
      consent,
      consentReason: consent === 'given' ? null : T.CONSENT_REASONS[consent]!,
      urgency: rng.weighted([['standard', 70], ['urgent', 25], ['immediate', 5]]),
      teamId: org.frontDoor.id,
      recordedBy: recorder,
      createdAt: receivedAt,
      updatedAt: receivedAt,
      version: 1,
    })
    this.out.contact.push(contactRow)
    this.out.contactChild.push(
      newRow('contactChild', { id: this.newId(), partnershipId: org.partnershipId, contactId: contactRow.id, caseId: this.kase.id, personId: this.person.id }),
    )
    const children = [{ personId: this.person.id, caseId: this.kase.id }]
    this.revise('contact', contactRow, receivedAt, recorder, { ...contactRow, children })
    const decisionClock = this.startClock('referral-decision', day, 'contact', contactRow.id, receivedAt, recorder)

    const decisionDay = days.addWorkingDays(day, rng.weighted([[0, 70], [1, 25], [2, 5]]))
    const effectiveDay = days.isWorkingDay(day) || decisionDay !== day ? decisionDay : days.addWorkingDays(day, 1)
    if (effectiveDay > this.until) return null
    const decision = this.unborn
      ? rng.weighted([['referral', 60], ['early-help', 25], ['nfa', 15]])
      : rng.weighted([
          ['nfa', 30], ['information-advice', 18], ['early-help', 15], ['referral', 31], ['strategy-discussion', 5], ['immediate-protection', 1],
        ])
    const decidedAt = this.stamp(effectiveDay)
    const decided = { decision, decisionReason: T.DECISION_REASONS[decision] ?? null, decidedAt, decidedBy: recorder }
    this.update('contact', contactRow, decided, decidedAt, recorder, { children })
    this.completeClock(decisionClock, effectiveDay, decidedAt)
    const feedbackDay = days.addWorkingDays(effectiveDay, rng.weighted([[0, 50], [1, 35], [3, 15]]))
    if (feedbackDay <= this.until) {
      const at = this.stamp(feedbackDay)
      this.update('contact', contactRow, { feedbackOn: days.iso(feedbackDay), feedback: T.FEEDBACK }, at, recorder, { children })
    }
    switch (decision) {
      case 'nfa':
      case 'information-advice':
        this.setStage('closed', effectiveDay, decidedAt, recorder)
        return effectiveDay
      case 'early-help':
        return this.earlyHelp(effectiveDay, decidedAt, recorder)
      default:
        return this.referral(contactRow, day, effectiveDay, decidedAt, decision)
    }
  }

  /** Who made a contact from this source: an agency's practitioner, or a person. */
  private referrerFor(source: string): { name: string; agencyId: string | null; role: string | null } {
    const a = this.org.agencies
    const from = (agencyId: string, role: string) => ({ name: `${role} (synthetic)`, agencyId, role })
    const person = (name: string) => ({ name, agencyId: null, role: null })
    switch (source) {
      case '2A': return from(this.rng.pick(a.schools), 'Designated safeguarding lead')
      case '2B': return from(a.council, 'Education welfare officer')
      case '3A': return from(this.rng.pick(a.gps), 'GP')
      case '3B': return from(a.trust, 'Health visitor')
      case '3C': return from(a.trust, 'School nurse')
      case '3D': return from(a.trust, 'Midwife')
      case '3E': return from(a.trust, 'A&E nurse')
      case '3F': return from(a.trust, 'Paediatrician')
      case '4': return from(a.housing, 'Housing officer')
      case '5A': return from(a.council, 'Adult social care worker')
      case '5B': return from(a.council, 'Youth justice worker')
      case '5D': return from(a.council, 'Early help worker')
      case '6': return from(a.police, 'Police officer')
      case '7': return from(a.probation, 'Probation officer')
      case '8': return from(a.voluntary, 'Family support worker')
      case '1A': return person('A relative (synthetic)')
      case '1B': return person('A neighbour (synthetic)')
      case '1C': return person('The young person (synthetic)')
      case '1D': return person('A member of the public (synthetic)')
      case '9': return person('Anonymous')
      default: return person('Not known')
    }
  }

  // ---- child in need: referral, assessment and what follows

  private referral(contactRow: Row<'contact'>, referralDay: number, decisionDay: number, decidedAt: string, decision: string): number | null {
    const { rng, days } = this
    const recorder = contactRow.recordedBy
    const rereferral = this.lastReferralDay !== null && referralDay <= days.addMonths(this.lastReferralDay, 12)
    this.lastReferralDay = referralDay
    const episode = this.create(
      'cin-episode',
      'cinEpisode',
      { contactId: contactRow.id, referralDate: days.iso(referralDay), referralSource: contactRow.source, referralNfa: false, rereferral },
      decidedAt,
      recorder,
    )
    const single = (editionInForce(days.iso(referralDay))?.year ?? 0) >= 2013
    const assessmentClock = this.startClock(single ? 'assessment' : 'initial-assessment', referralDay, 'cin-episode', episode.id, decidedAt, recorder)
    const protection = decision === 'strategy-discussion' || decision === 'immediate-protection'
    const strategyClock = protection ? this.startClock('strategy-discussion', decisionDay, 'cin-episode', episode.id, decidedAt, recorder) : null
    this.setStage('assessment', referralDay, decidedAt, recorder)
    this.allocate(rng.pick(this.org.assessmentTeams), decisionDay)
    const route = (): number | null => {
      if (strategyClock) {
        const enquiry = this.enquiry(episode, decisionDay, strategyClock, assessmentClock)
        if (enquiry.kind === 'no-s47') return this.assessment(episode, enquiry.day, assessmentClock, false)
        return this.afterEnquiry(episode, enquiry)
      }
      const start = Math.max(decisionDay, days.workingDayOnOrAfter(referralDay + rng.weighted([[0, 40], [1, 35], [3, 25]])))
      return this.assessment(episode, start, assessmentClock, !this.unborn)
    }
    const next = route()
    // A referral still waiting at `until` for its assessment or strategy discussion has the need
    // the front door recorded (census rule 8610: every referral that is not NFA has one).
    if (episode.primaryNeed === null && episode.closureDate === null) this.setPrimaryNeed(episode, decidedAt, recorder)
    return next
  }

  /** The worker records the episode's primary need when the assessment starts. */
  private setPrimaryNeed(episode: Row<'cinEpisode'>, at: string, actor: string): void {
    if (episode.primaryNeed !== null) return
    const need = this.unborn ? this.rng.weighted([['N1', 70], ['N3', 15], ['N5', 15]]) : this.rng.weighted(PRIMARY_NEEDS)
    this.update('cin-episode', episode, { primaryNeed: need }, at, actor)
  }

  /** A single assessment from `startDay`, then the decision it leads to. */
  private assessment(episode: Row<'cinEpisode'>, startDay: number, clock: Clock, mayLeadToEnquiry: boolean): number | null {
    const { rng, days } = this
    if (startDay > this.until) return null
    const worker = this.worker
    const row = this.create('assessment', 'assessment', { episodeId: episode.id, kind: 'single', startedOn: days.iso(startDay), factors: [] }, this.stamp(startDay), worker)
    this.setPrimaryNeed(episode, row.createdAt, worker)
    const duration = rng.weighted<[number, number]>([[[5, 20], 20], [[21, 45], 62], [[46, 70], 18]])
    const completeDay = days.addWorkingDays(startDay, rng.int(duration[0], duration[1]))
    if (completeDay > this.until) return null
    const outcome = rng.weighted([
      ['nfa', 30], ['early-help', 12], ['cin-plan', 38], ['continue', 3], ['strategy-discussion', mayLeadToEnquiry ? 17 : 0],
    ])
    const completedAt = this.stamp(completeDay)
    this.completeAssessment(row, clock, startDay, completeDay, outcome, completedAt, worker)
    this.completeClock(clock, completeDay, completedAt)
    const strategyClock =
      outcome === 'strategy-discussion' ? this.startClock('strategy-discussion', completeDay, 'cin-episode', episode.id, completedAt, worker) : null
    const authorisedDay = days.addWorkingDays(completeDay, rng.weighted([[0, 60], [1, 30], [2, 10]]))
    if (authorisedDay > this.until) return null
    const manager = this.managerOf()
    const authorisedAt = this.stamp(authorisedDay)
    this.update('assessment', row, { authorisedOn: days.iso(authorisedDay), authorisedBy: manager }, authorisedAt, manager)

    // Some children become looked after straight from the assessment, without a child protection plan.
    if ((outcome === 'cin-plan' || outcome === 'continue') && !this.unborn && this.ageOn(authorisedDay) < 17 && this.care.chance(this.olderTeen ? 0.7 : DIRECT_INTO_CARE)) {
      return this.lookedAfter(episode, authorisedDay)
    }
    switch (outcome) {
      case 'nfa':
        return this.closeEpisode(episode, authorisedDay, 'RC8', authorisedAt, manager)
      case 'early-help': {
        const closed = this.earlyHelp(authorisedDay, authorisedAt, manager)
        this.closeEpisodeOnly(episode, authorisedDay, 'RC9', authorisedAt, manager)
        return closed
      }
      case 'strategy-discussion': {
        // Completing the assessment started the strategy discussion clock (as completeAssessment does).
        const enquiry = this.enquiry(episode, completeDay, strategyClock!, null)
        if (enquiry.kind === 'no-s47') {
          const day = Math.max(enquiry.day, authorisedDay)
          return rng.chance(0.5) ? this.childInNeed(episode, day, null) : this.closeEpisode(episode, day, 'RC8', this.stamp(day), this.worker)
        }
        return this.afterEnquiry(episode, enquiry)
      }
      default:
        return this.childInNeed(episode, authorisedDay, null)
    }
  }

  /** Completes an assessment; it is late when its episode's assessment clock (from the referral) ran out. */
  private completeAssessment(row: Row<'assessment'>, clock: Clock, startDay: number, completeDay: number, outcome: string, at: string, worker: string) {
    const { rng, days } = this
    const factors = outcome === 'nfa' && rng.chance(0.35) ? ['21'] : this.factors(rng.weighted([[1, 40], [2, 35], [3, 18], [4, 7]]))
    const seenDay = Math.min(completeDay, days.addWorkingDays(startDay, rng.int(1, 5)))
    const late = completeDay > clock.dueDay
    this.update(
      'assessment',
      row,
      {
        childSeenOn: this.unborn ? null : days.iso(seenDay),
        childSeenAloneOn: this.unborn || !rng.chance(0.7) ? null : days.iso(seenDay),
        ...T.ASSESSMENT_TEXT,
        factors,
        completedOn: days.iso(completeDay),
        outcome,
        delayReason: late ? rng.pick(T.DELAY_REASONS) : null,
      },
      at,
      worker,
    )
  }

  private factors(count: number): string[] {
    const chosen = new Set<string>()
    for (let tries = 0; chosen.size < count && tries < 20; tries++) chosen.add(this.rng.weighted(FACTORS))
    return [...chosen]
  }

  /** Closes the episode, and the case with it (nothing else is open then). */
  private closeEpisode(episode: Row<'cinEpisode'>, day: number, reason: string, at: string, actor: string): number {
    this.closeEpisodeOnly(episode, day, reason, at, actor)
    this.setStage('closed', day, at, actor)
    return day
  }

  private closeEpisodeOnly(episode: Row<'cinEpisode'>, day: number, reason: string, at: string, actor: string): void {
    this.update('cin-episode', episode, { closureDate: this.days.iso(day), closureReason: reason }, at, actor)
  }

  // ---- strategy discussion, section 47 enquiry and the initial conference

  /**
   * From the decision to hold a strategy discussion to the initial conference's decision. When the
   * episode's assessment has not started (a contact straight to strategy discussion), it runs with
   * the enquiry and concludes with it.
   */
  private enquiry(episode: Row<'cinEpisode'>, decisionDay: number, strategyClock: Clock, assessmentClock: Clock | null): Enquiry {
    const { rng, days } = this
    const heldDay = decisionDay + rng.weighted([[0, 80], [1, 15], [3, 5]])
    if (heldDay > this.until) return { kind: 'open' }
    const worker = this.worker
    const heldAt = this.stamp(heldDay)
    const decision = rng.weighted([['s47-joint', 45], ['s47-single', 35], ['no-s47', 20]])
    const discussion = this.create(
      'strategy-discussion',
      'strategyDiscussion',
      {
        episodeId: episode.id,
        heldAt,
        attendees: this.strategyAttendees(),
        informationShared: T.INFORMATION_SHARED,
        decision,
        decisionDetail: decision === 'no-s47' ? 'Synthetic record: threshold for section 47 not met; assessment continues.' : null,
        immediateSafetyActions: rng.chance(0.3) ? T.SAFETY_ACTIONS : null,
      },
      heldAt,
      worker,
    )
    this.completeClock(strategyClock, heldDay, heldAt)
    if (decision === 'no-s47') return { kind: 'no-s47', day: heldDay }

    const icpc = this.g.due('icpc', heldDay)
    const s47 = this.create(
      'section47',
      'section47Enquiry',
      { episodeId: episode.id, strategyDiscussionId: discussion.id, startedOn: days.iso(heldDay), icpcTarget: icpc.due },
      this.stamp(heldDay),
      worker,
    )
    this.setStage('section-47', heldDay, s47.createdAt, worker)
    const icpcClock = this.startClock('icpc', heldDay, 'section47', s47.id, s47.createdAt, worker)
    const assessment = assessmentClock
      ? this.create('assessment', 'assessment', { episodeId: episode.id, kind: 'single', startedOn: days.iso(heldDay), factors: [] }, this.stamp(heldDay), worker)
      : null
    if (assessment) this.setPrimaryNeed(episode, assessment.createdAt, worker)

    const outcome = rng.weighted([['not-substantiated', 35], ['substantiated-no-continuing-risk', 15], ['substantiated-continuing-risk', 50]])
    const conferenceDay = rng.chance(0.8)
      ? Math.min(icpc.dueDay, days.addWorkingDays(heldDay, rng.int(8, 15)))
      : days.addWorkingDays(icpc.dueDay, rng.int(1, 10))
    const completeDay =
      outcome === 'substantiated-continuing-risk'
        ? Math.max(heldDay + 1, days.addWorkingDays(conferenceDay, -rng.int(1, 3)))
        : days.addWorkingDays(heldDay, rng.int(5, 15))
    if (completeDay > this.until) return { kind: 'open' }
    const completedAt = this.stamp(completeDay)
    this.update(
      'section47',
      s47,
      {
        childSeenOn: this.unborn ? null : days.iso(Math.min(completeDay, days.addWorkingDays(heldDay, rng.int(0, 1)))),
        outcome,
        completedOn: days.iso(completeDay),
        findings: T.S47_FINDINGS,
        outcomeReasons: T.S47_REASONS[outcome] ?? null,
      },
      completedAt,
      worker,
    )
    if (assessment && assessmentClock) {
      const assessmentOutcome = outcome === 'not-substantiated' ? 'nfa' : outcome === 'substantiated-no-continuing-risk' ? 'cin-plan' : 'continue'
      this.completeAssessment(assessment, assessmentClock, heldDay, completeDay, assessmentOutcome, completedAt, worker)
      this.completeClock(assessmentClock, completeDay, completedAt)
      const manager = this.managerOf()
      this.update('assessment', assessment, { authorisedOn: days.iso(completeDay), authorisedBy: manager }, this.stamp(completeDay), manager)
    }
    if (outcome !== 'substantiated-continuing-risk') {
      // No conference is needed: the ICPC clock stops with the enquiry.
      this.completeClock(icpcClock, completeDay, completedAt, false)
      return { kind: outcome === 'not-substantiated' ? 'not-substantiated' : 'no-continuing-risk', day: completeDay }
    }

    const conference = this.scheduleConference({ episodeId: episode.id, section47Id: s47.id, kind: 'initial' }, conferenceDay, completedAt, worker)
    const chair = conference.chairId!
    if (conferenceDay > this.until) return { kind: 'open' }
    const plan = rng.chance(0.88)
    const category = rng.weighted(CATEGORIES)
    const planId = this.newId()
    const heldOn = this.stamp(conferenceDay)
    const late = conferenceDay > icpc.dueDay
    this.update(
      'conference',
      conference,
      {
        heldOn: days.iso(conferenceDay),
        participants: this.participants(conferenceDay, true),
        decision: plan ? 'plan' : 'no-plan',
        categories: plan ? [category] : [],
        outlinePlan: plan ? T.OUTLINE_PLAN : null,
        planId: plan ? planId : null,
        delayReason: late ? rng.pick(T.DELAY_REASONS) : null,
      },
      heldOn,
      chair,
    )
    this.completeClock(icpcClock, conferenceDay, heldOn)
    return plan ? { kind: 'plan', day: conferenceDay, conference, category, planId } : { kind: 'no-plan', day: conferenceDay }
  }

  private afterEnquiry(episode: Row<'cinEpisode'>, enquiry: Enquiry, previousPlan: Row<'plan'> | null = null): number | null {
    const { rng } = this
    switch (enquiry.kind) {
      case 'open':
        return null
      case 'plan':
        return this.childProtection(episode, enquiry, previousPlan)
      case 'no-s47':
      case 'no-continuing-risk':
        return this.childInNeed(episode, enquiry.day, null)
      case 'not-substantiated':
      case 'no-plan': {
        if (rng.chance(enquiry.kind === 'no-plan' ? 0.7 : 0.3)) return this.childInNeed(episode, enquiry.day, null)
        return this.closeEpisode(episode, enquiry.day, 'RC7', this.stamp(enquiry.day), this.worker)
      }
    }
  }

  private strategyAttendees() {
    const a = this.org.agencies
    const attendees = [
      { name: this.org.userName.get(this.worker) ?? 'Social worker (synthetic)', agencyId: a.council, agencyType: 'la-childrens-social-care', role: 'Social worker' },
      { name: 'DC Madeup (synthetic)', agencyId: a.police, agencyType: 'police', role: 'Detective constable' },
      { name: 'Nurse Notreal (synthetic)', agencyId: a.trust, agencyType: 'health-trust', role: 'Named nurse' },
    ]
    if (this.rng.chance(0.6)) {
      attendees.push({ name: 'Ms Testcase (synthetic)', agencyId: this.rng.pick(a.schools), agencyType: 'education', role: 'Designated safeguarding lead' })
    }
    return attendees
  }

  /** Who is invited to a conference, or (once held) who came and which reports arrived. */
  private participants(day: number, held: boolean) {
    const a = this.org.agencies
    const report = held ? this.days.iso(day - this.rng.int(1, 3)) : undefined
    const attendance = () => (held ? this.rng.weighted([['attended', 85], ['apologies', 10], ['did-not-attend', 5]]) : 'invited')
    const worker = { name: this.org.userName.get(this.worker) ?? 'Social worker (synthetic)', party: 'agency', agencyId: a.council, attendance: held ? 'attended' : 'invited' }
    return [
      held ? { ...worker, reportReceivedOn: report } : worker,
      { name: 'PC Sampleton (synthetic)', party: 'agency', agencyId: a.police, attendance: attendance(), ...(held ? { reportReceivedOn: report } : {}) },
      { name: 'Health visitor Fictional (synthetic)', party: 'agency', agencyId: a.trust, attendance: attendance(), ...(held ? { reportReceivedOn: report } : {}) },
      { name: 'Parent (synthetic)', party: 'family', attendance: held ? this.rng.weighted([['attended', 75], ['did-not-attend', 25]]) : 'invited' },
    ]
  }

  /**
   * Schedules a conference with the case's chair (scheduleConference): the chair is invited to the
   * case, once, so they can read it and record the outcome.
   */
  private scheduleConference(
    values: Pick<Row<'conference'>, 'episodeId' | 'kind'> & Partial<Row<'conference'>>,
    day: number,
    at: string,
    actor: string,
  ): Row<'conference'> {
    if (this.chair === null) {
      this.chair = this.rng.pick(this.org.chairIds)
      this.out.accessGrant.push(
        newRow('accessGrant', {
          id: this.newId(),
          partnershipId: this.org.partnershipId,
          caseId: this.kase.id,
          userId: this.chair,
          kind: 'invitation',
          reason: `Chair of ${values.kind} conference`,
          grantedBy: actor,
          startsAt: at,
          endsAt: null,
          createdAt: at,
          version: 1,
        }),
      )
    }
    return this.create(
      'conference',
      'conference',
      {
        ...values,
        scheduledFor: this.days.iso(day),
        scheduledTime: T.CONFERENCE_TIME,
        venue: T.CONFERENCE_VENUE,
        chairId: this.chair,
        participants: this.participants(day, false),
        categories: [],
      },
      at,
      actor,
    )
  }

  // ---- plans

  private createPlan(
    kind: string,
    episodeId: string | null,
    startDay: number,
    previousPlanId: string | null,
    at: string,
    actor: string,
    extra: Partial<Row<'plan'>> = {},
  ): { plan: Row<'plan'>; actions: Row<'planItem'>[] } {
    const { rng, days } = this
    const a = this.org.agencies
    const plan = this.create(
      'plan',
      'plan',
      { episodeId, kind, startedOn: days.iso(startDay), previousPlanId, leadUserId: this.worker, summary: T.PLAN_SUMMARY[kind] ?? null, ...extra },
      at,
      actor,
    )
    const actions: Row<'planItem'>[] = []
    const owners = [a.council, a.police, a.trust, a.voluntary, rng.pick(a.schools), a.housing]
    for (const description of rng.sample(T.GOALS, kind === 'early-help' ? 1 : 2)) {
      const goal = this.create('plan-item', 'planItem', { planId: plan.id, kind: 'goal', description, status: 'not-started' }, at, actor)
      for (const action of rng.sample(T.ACTIONS, kind === 'child-in-need' ? 1 : 2)) {
        actions.push(
          this.create(
            'plan-item',
            'planItem',
            {
              planId: plan.id,
              kind: 'action',
              goalId: goal.id,
              description: action,
              ownerAgencyId: rng.pick(owners),
              dueOn: days.iso(startDay + rng.int(20, 90)),
              status: 'not-started',
            },
            at,
            actor,
          ),
        )
      }
    }
    return { plan, actions }
  }

  private endPlan(plan: Row<'plan'>, actions: Row<'planItem'>[], day: number, endReason: string, at: string, actor: string): void {
    for (const action of actions) {
      if (action.dueOn !== null && action.dueOn <= this.days.iso(day)) {
        this.update('plan-item', action, { status: 'done', progress: T.ACTION_PROGRESS }, at, actor)
      }
    }
    const ending: Partial<Row<'plan'>> = { endedOn: this.days.iso(day), endReason }
    if (plan.kind === 'child-protection') ending.nextReviewOn = null
    this.update('plan', plan, ending, at, actor)
  }

  /** Visits (case notes) every `gap` days from `from` (exclusive) to `to` (exclusive), up to `until`. */
  private visits(from: number, to: number, gap: [number, number]): void {
    const { rng, days } = this
    for (let day = days.workingDayOnOrAfter(from + rng.int(gap[0], gap[1])); day < to && day <= this.until; day = days.workingDayOnOrAfter(day + rng.int(gap[0], gap[1]))) {
      const at = this.stamp(day)
      const seen = rng.chance(0.92)
      this.create(
        'case-note',
        'caseNote',
        { kind: 'visit', occurredOn: days.iso(day), title: T.VISIT_TITLE, body: T.VISIT_BODY, childSeen: this.unborn ? null : seen, childSeenAlone: this.unborn ? null : seen && rng.chance(0.6) },
        at,
        this.worker,
      )
    }
  }

  private earlyHelp(startDay: number, at: string, actor: string): number | null {
    const { rng } = this
    if (startDay > this.until) return null
    this.setStage('early-help', startDay, at, actor)
    this.allocate(this.org.earlyHelp, startDay)
    const { plan, actions } = this.createPlan('early-help', null, startDay, null, this.stamp(startDay), this.worker)
    const endDay = this.days.workingDayOnOrAfter(startDay + rng.int(60, 300))
    this.visits(startDay, endDay, [28, 42])
    if (endDay > this.until) return null
    const endReason = rng.weighted([['outcomes-met', 75], ['family-declined', 15], ['step-up', 10]])
    const endAt = this.stamp(endDay)
    this.endPlan(plan, actions, endDay, endReason, endAt, this.worker)
    if (endReason === 'step-up') this.forceNextContact = true
    this.setStage('closed', endDay, endAt, this.worker)
    return endDay
  }

  private childInNeed(episode: Row<'cinEpisode'>, startDay: number, previous: Row<'plan'> | null): number | null {
    const { rng, days } = this
    if (startDay > this.until) return null
    this.ensureTeam(this.org.protectionTeams, startDay)
    const at = this.stamp(startDay)
    const { plan, actions } = this.createPlan('child-in-need', episode.id, startDay, previous?.id ?? null, at, this.worker, {
      nextReviewOn: days.iso(days.addMonths(startDay, 3)),
    })
    this.setStage('child-in-need', startDay, at, this.worker)
    let endDay = days.workingDayOnOrAfter(startDay + rng.int(90, 420))
    const stepUpDay = !this.unborn && rng.chance(0.08) ? days.workingDayOnOrAfter(startDay + rng.int(30, Math.max(31, endDay - startDay - 10))) : null
    if (stepUpDay !== null && stepUpDay < endDay) {
      this.visits(startDay, stepUpDay, [28, 42])
      if (stepUpDay > this.until) return null
      const strategyClock = this.startClock('strategy-discussion', stepUpDay, 'cin-episode', episode.id, this.stamp(stepUpDay), this.worker)
      const enquiry = this.enquiry(episode, stepUpDay, strategyClock, null)
      if (enquiry.kind === 'open') return null
      if (enquiry.kind === 'plan') {
        this.endPlan(plan, actions, enquiry.day, 'step-up', this.stamp(enquiry.day), this.worker)
        return this.childProtection(episode, enquiry, plan)
      }
      this.setStage('child-in-need', enquiry.day, this.stamp(enquiry.day), this.worker)
      // The plan runs on for a while after the enquiry, whenever it was meant to end.
      endDay = Math.max(endDay, days.workingDayOnOrAfter(enquiry.day + rng.int(30, 90)))
      this.visits(enquiry.day, endDay, [28, 42])
    } else {
      this.visits(startDay, endDay, [28, 42])
    }
    if (endDay > this.until) return null
    const endReason = rng.weighted([['outcomes-met', 80], ['step-down-early-help', 12], ['moved-area', 8]])
    const endAt = this.stamp(endDay)
    this.endPlan(plan, actions, endDay, endReason, endAt, this.worker)
    if (endReason === 'step-down-early-help') {
      const closed = this.earlyHelp(endDay, endAt, this.worker)
      this.closeEpisodeOnly(episode, endDay, 'RC7', endAt, this.worker)
      return closed
    }
    return this.closeEpisode(episode, endDay, endReason === 'moved-area' ? 'RC5' : 'RC7', endAt, this.worker)
  }

  /** A child protection plan from the initial conference: core groups, visits, reviews, and its end. */
  private childProtection(episode: Row<'cinEpisode'>, icpc: Extract<Enquiry, { kind: 'plan' }>, previous: Row<'plan'> | null): number | null {
    const { rng, days, org } = this
    const start = icpc.day
    const chair = icpc.conference.chairId!
    this.ensureTeam(org.protectionTeams, start)
    const at = this.stamp(start)
    const firstReview = this.g.due('first-review-conference', start)
    const { plan, actions } = this.createPlan('child-protection', episode.id, start, previous?.id ?? null, at, chair, {
      id: icpc.planId,
      initialCategory: icpc.category,
      latestCategory: icpc.category,
      nextReviewOn: firstReview.due,
      summary: icpc.conference.outlinePlan,
    })
    this.setStage('child-protection', start, at, chair)
    let coreGroupClock: Clock | null = this.startClock('first-core-group', start, 'plan', plan.id, at, chair)
    let reviewClock: Clock | null = this.startClock('first-review-conference', start, 'plan', plan.id, at, chair)
    let visitClock: Clock | null = this.startClock('child-protection-visit', start, 'plan', plan.id, at, chair)

    const length = rng.weighted<[number, number]>([[[90, 180], 25], [[181, 365], 45], [[366, 730], 25], [[731, 900], 5]])
    const plannedDays = rng.int(length[0], length[1])
    const lookedAfterDay = !this.unborn && rng.chance(0.05) ? days.workingDayOnOrAfter(start + rng.int(20, plannedDays)) : null

    // The review conferences, up to the one that ends the plan (or the day the child became looked after).
    const reviews: number[] = []
    let endDay = lookedAfterDay ?? Number.POSITIVE_INFINITY
    for (let previousDay = start, dueDay = firstReview.dueDay; ; ) {
      const day = rng.chance(0.92)
        ? Math.max(previousDay + 1, days.workingDayOnOrBefore(dueDay - rng.int(0, 10)))
        : days.workingDayOnOrAfter(dueDay + rng.int(1, 15))
      if (day >= endDay) break
      reviews.push(day)
      if (day - start >= plannedDays) {
        endDay = day
        break
      }
      previousDay = day
      dueDay = this.g.due('review-conference', day).dueDay
    }
    const stopDay = Math.min(endDay, this.until + 1)

    // Core groups and statutory visits before the end.
    const coreGroups: number[] = []
    for (let day = days.addWorkingDays(start, rng.chance(0.9) ? rng.int(3, 10) : rng.int(11, 16)); day < stopDay; ) {
      coreGroups.push(day)
      const next = days.workingDayOnOrBefore(day + (rng.chance(0.9) ? rng.int(21, 28) : rng.int(29, 42)))
      day = next > day ? next : days.addWorkingDays(day, 1)
    }
    const visitDays: number[] = []
    for (let day = days.addWorkingDays(start, rng.chance(0.9) ? rng.int(7, 10) : rng.int(11, 15)); day < stopDay; ) {
      visitDays.push(day)
      day = days.addWorkingDays(day, rng.chance(0.9) ? rng.int(8, 10) : rng.int(11, 15))
    }

    type Event = [day: number, kind: 0 | 1 | 2]
    const events: Event[] = [
      ...coreGroups.map((d): Event => [d, 0]),
      ...visitDays.map((d): Event => [d, 1]),
      ...reviews.filter((d) => d <= this.until).map((d): Event => [d, 2]),
    ].sort((x, y) => x[0] - y[0] || x[1] - y[1])

    let firstCoreGroup = true
    let lastConferenceDay = start
    let ending = false
    for (const [day, kind] of events) {
      const worker = this.worker
      if (kind === 0) {
        const row = this.create(
          'core-group',
          'coreGroupMeeting',
          { planId: plan.id, heldOn: days.iso(day), attendees: T.CORE_GROUP_ATTENDEES, notes: T.CORE_GROUP_NOTES },
          this.stamp(day),
          worker,
        )
        this.completeClock(coreGroupClock, day, row.createdAt)
        if (firstCoreGroup) {
          this.update('plan', plan, { detailedPlanOn: days.iso(day) }, row.createdAt, worker)
          firstCoreGroup = false
        }
        coreGroupClock = this.startClock('core-group', day, 'plan', plan.id, row.createdAt, worker)
      } else if (kind === 1) {
        const alone = rng.chance(0.75)
        const note = this.create(
          'case-note',
          'caseNote',
          {
            kind: 'statutory-visit',
            occurredOn: days.iso(day),
            title: T.STATUTORY_VISIT_TITLE,
            body: T.VISIT_BODY,
            childSeen: true,
            childSeenAlone: alone,
          },
          this.stamp(day),
          worker,
        )
        this.completeClock(visitClock, day, note.createdAt)
        visitClock = this.startClock('child-protection-visit', day, 'plan', plan.id, note.createdAt, worker)
      } else {
        ending = day === endDay
        const scheduledAt = this.stamp(lastConferenceDay)
        const category = rng.chance(0.1) ? rng.weighted(CATEGORIES) : plan.latestCategory!
        const conference = this.scheduleConference({ episodeId: episode.id, planId: plan.id, kind: 'review' }, day, scheduledAt, worker)
        const heldAt = this.stamp(day)
        const late = reviewClock !== null && day > reviewClock.dueDay
        this.update(
          'conference',
          conference,
          {
            heldOn: days.iso(day),
            participants: this.participants(day, true),
            decision: ending ? 'end' : 'continue',
            categories: [category],
            delayReason: late ? rng.pick(T.DELAY_REASONS) : null,
          },
          heldAt,
          chair,
        )
        this.completeClock(reviewClock, day, heldAt)
        lastConferenceDay = day
        if (!ending) {
          reviewClock = this.startClock('review-conference', day, 'plan', plan.id, heldAt, chair)
          this.update('plan', plan, { latestCategory: category, nextReviewOn: days.iso(reviewClock.dueDay) }, heldAt, chair)
        } else {
          reviewClock = null
          if (category !== plan.latestCategory) this.update('plan', plan, { latestCategory: category }, heldAt, chair)
        }
      }
    }
    if (endDay > this.until) return null

    // The plan ends: at a review conference, or because the child became looked after.
    const endAt = this.stamp(endDay)
    const endActor = lookedAfterDay === endDay ? this.worker : chair
    const endReason = lookedAfterDay === endDay ? 'looked-after' : rng.weighted([['step-down-cin', 60], ['outcomes-met', 35], ['moved-area', 5]])
    this.endPlan(plan, actions, endDay, endReason, endAt, endActor)
    for (const c of [coreGroupClock, visitClock, reviewClock]) this.completeClock(c, endDay, endAt, false)
    switch (endReason) {
      case 'looked-after':
        return this.lookedAfter(episode, endDay)
      case 'step-down-cin':
        return this.childInNeed(episode, endDay, plan)
      default:
        return this.closeEpisode(episode, endDay, endReason === 'moved-area' ? 'RC5' : 'RC7', endAt, endActor)
    }
  }

  // ---- looked after

  private lookedAfter(episode: Row<'cinEpisode'>, startDay: number): number | null {
    const { rng, days } = this
    const worker = this.worker
    const at = this.stamp(startDay)
    const period = this.create('looked-after', 'lookedAfterPeriod', { startedOn: days.iso(startDay), legalStatus: rng.weighted(LEGAL_STATUSES) }, at, worker)
    this.setStage('looked-after', startDay, at, worker)
    const drawnEnd = rng.chance(0.4) ? days.workingDayOnOrAfter(startDay + rng.int(30, 600)) : Number.POSITIVE_INFINITY
    // Care ends at 18 at the latest.
    const eighteen = this.birthday(18)
    const endDay = eighteen !== null && eighteen <= drawnEnd ? Math.max(eighteen, startDay + 1) : drawnEnd
    const stopDay = Math.min(endDay, this.until + 1)
    let clock: Clock | null = this.startClock('cla-first-review', startDay, 'looked-after', period.id, at, worker)
    const rules: RuleId[] = ['cla-second-review', 'cla-review']
    for (let n = 0; clock !== null; n++) {
      const onTime = rng.chance(0.9)
      const day = n === 0
        ? days.addWorkingDays(startDay, onTime ? rng.int(10, 20) : rng.int(21, 30))
        : days.workingDayOnOrAfter(onTime ? clock.dueDay - rng.int(0, 14) : clock.dueDay + rng.int(1, 20))
      if (day >= stopDay) break
      const reviewedAt = this.stamp(day)
      this.completeClock(clock, day, reviewedAt)
      clock = this.startClock(rules[Math.min(n, 1)]!, day, 'looked-after', period.id, reviewedAt, worker)
    }
    const inCare = this.careRecords(period, startDay, endDay, stopDay, worker)
    if (endDay > this.until) {
      this.careLeaver(startDay, null, null)
      return null
    }
    const endAt = this.stamp(endDay)
    this.update('looked-after', period, { endedOn: days.iso(endDay) }, endAt, worker)
    this.completeClock(clock, endDay, endAt, false)
    const reason = this.endCare(inCare, endDay, endDay === eighteen, endAt, worker)
    const episodeEnd = rng.weighted([['RC7', 70], ['RC3', 15], ['RC4', 15]])
    // A care leaver's case stays open at the care leaver stage (endLookedAfter); otherwise it closes.
    if (!this.careLeaver(startDay, endDay, reason)) return this.closeEpisode(episode, endDay, episodeEnd, endAt, worker)
    this.closeEpisodeOnly(episode, endDay, episodeEnd, endAt, worker)
    this.setStage('care-leaver', endDay, endAt, worker)
    return null
  }

  /** The day of the child's birthday at `age`, or null (unborn or no date of birth). */
  private birthday(age: number): number | null {
    const dob = this.person.dateOfBirth
    return dob ? this.days.dayOf(addMonths(dob, age * 12)) : null
  }

  private ageOn(day: number): number {
    const dob = this.person.dateOfBirth
    return dob ? Math.floor((day - this.days.dayOf(dob)) / 365.25) : 0
  }

  /**
   * What a period of care records as the services would: its 903 context, legal status changes,
   * placements with moves (and reasons) and temporary moves, missing episodes with return
   * interviews, and the health and education records, up to the day before `stopDay`.
   */
  private careRecords(period: Row<'lookedAfterPeriod'>, startDay: number, endDay: number, stopDay: number, worker: string): InCare {
    const { care, days } = this
    const at = this.stamp(startDay)
    const homePostcode = care.pick(SYNTHETIC_POSTCODES.home)
    const context = this.create('period-of-care', 'periodOfCare', { periodId: period.id, categoryOfNeed: care.weighted(CARE_NEEDS), uasc: false, homePostcode }, at, worker)
    // Asked when care starts (903 PrevPerm, rule 630): these children had no earlier permanence order.
    this.create('previous-permanence', 'previousPermanence', { periodId: period.id, prevPerm: 'Z1', laPerm: null, datePerm: null }, at, worker)
    // Legal statuses: police protection or an EPO gives way to an interim care order; an interim care order to a full one; some section 20 accommodation to proceedings.
    const statuses: [number, string][] = [[startDay, period.legalStatus]]
    const next = (after: number, status: string, gap: [number, number]) => {
      const day = after + care.int(gap[0], gap[1])
      if (day < stopDay) statuses.push([day, status])
      return day
    }
    if (period.legalStatus === 'L1' || period.legalStatus === 'L2') {
      const icoDay = next(startDay, 'C1', period.legalStatus === 'L1' ? [2, 3] : [5, 8])
      if (care.chance(0.7)) next(icoDay, 'C2', [150, 300])
    } else if (period.legalStatus === 'C1') {
      if (care.chance(0.7)) next(startDay, 'C2', [120, 300])
    } else if (care.chance(0.25)) {
      const icoDay = next(startDay, 'C1', [60, 300])
      if (care.chance(0.6)) next(icoDay, 'C2', [150, 300])
    }
    for (const [day, legalStatus] of statuses) {
      const stampAt = day === startDay ? at : this.stamp(day)
      this.create('legal-status', 'legalStatusChange', { periodId: period.id, legalStatus, fromOn: days.iso(day) }, stampAt, worker)
      if (day !== startDay) this.update('looked-after', period, { legalStatus }, stampAt, worker)
    }
    const statusOn = (day: number) => statuses.filter(([d]) => d <= day).at(-1)![1]

    // Placements, one after another; a move ends the last with a reason, some have a temporary move.
    const placements: Row<'placement'>[] = []
    for (let day = startDay; day < stopDay; ) {
      const type = this.placeType(day, statusOn(day), placements.length === 0)
      const provider = type === 'P1' ? 'PR0' : type.startsWith('U') && ['U1', 'U2', 'U3'].includes(type) ? 'PR1' : care.weighted(PROVIDERS[type[0]!] ?? PROVIDERS.U!)
      const carerRow = this.carer(type, provider)
      const inArea = care.chance(0.6)
      const postcode = type === 'P1' ? homePostcode : care.pick(inArea ? SYNTHETIC_POSTCODES.inArea : SYNTHETIC_POSTCODES.outOfArea)
      const row = this.create('placement', 'placement', { periodId: period.id, placeType: type, provider, carerId: carerRow?.id ?? null, postcode, startedOn: days.iso(day) }, day === startDay ? at : this.stamp(day), worker)
      placements.push(row)
      const length = care.weighted<[number, number]>([[[20, 120], 20], [[121, 365], 35], [[366, 1500], 45]])
      const moveDay = day + care.int(length[0], length[1])
      // A temporary move (hospital, holiday, carer's holiday, a short stay) during a placement of some length.
      const lastDay = Math.min(moveDay, stopDay) - 1
      if (lastDay - day > 60 && care.chance(0.12)) {
        const tStart = day + care.int(20, lastDay - day - 20)
        const tEnd = tStart + care.int(2, 14)
        if (tEnd < lastDay && tEnd <= this.until) {
          this.create(
            'placement',
            'placement',
            { periodId: period.id, interruptsId: row.id, placeType: care.weighted(TEMPORARY_TYPES), provider: null, postcode: care.pick(SYNTHETIC_POSTCODES.inArea), startedOn: days.iso(tStart), endedOn: days.iso(tEnd) },
            this.stamp(tStart),
            worker,
          )
        }
      }
      if (moveDay >= stopDay) break
      this.update('placement', row, { endedOn: days.iso(moveDay), endReason: care.weighted(MOVE_REASONS) }, this.stamp(moveDay), worker)
      day = moveDay
    }
    this.missingEpisodes(startDay, stopDay, worker)
    this.healthAndEducation(startDay, stopDay, worker)
    return { context, placements }
  }

  private placeType(day: number, legalStatus: string, first: boolean): string {
    const age = this.ageOn(day)
    const choices = age >= 16 ? PLACE_16_PLUS : first ? PLACE_FIRST : PLACE_LATER
    for (;;) {
      const type = this.care.weighted(choices)
      if (type === 'P1' && legalStatus === 'V2') continue
      if (type === 'S1' && age < 4) continue
      return type
    }
  }

  /** A carer or household for a placement (one per placement here: enough to tell carers apart). */
  private carer(type: string, provider: string | null): Row<'carer'> | null {
    const kind = CARER_KIND_OF[type]
    if (!kind) return null
    const at = this.person.createdAt
    const urn = type === 'P1' || type === 'R1' || type === 'R2' ? null : `SC${String(this.care.int(100000, 999999))}`
    const row = newRow('carer', {
      id: this.newId(),
      partnershipId: this.org.partnershipId,
      name: `${this.care.pick(HOUSEHOLD_NAMES)} ${kind === 'childrens-home' ? 'children’s home' : kind === 'supported-accommodation' ? 'supported accommodation' : 'household'} (synthetic${provider === 'PR4' ? ', agency' : ''})`,
      kind,
      urn,
      createdAt: at,
      updatedAt: at,
      version: 1,
    })
    this.out.carer.push(row)
    return row
  }

  /** Missing and away episodes, for some children of 10 and over, each with its return home interview. */
  private missingEpisodes(startDay: number, stopDay: number, worker: string): void {
    const { care, days } = this
    if (this.ageOn(startDay) < 10 || !care.chance(MISSING_SHARE)) return
    let day = startDay + care.int(5, 120)
    for (let n = care.int(1, 6); n > 0 && day < stopDay && day <= this.until; n--) {
      const back = day + care.weighted([[0, 45], [1, 35], [2, 12], [4, 8]])
      const returned = back <= this.until
      const offered = returned && care.chance(0.85) ? Math.min(back + care.int(0, 3), this.until) : null
      const accepted = offered !== null ? care.chance(0.55) : null
      const held = accepted ? Math.min(offered! + care.int(0, 2), this.until) : null
      const screened = returned && care.chance(0.6) ? Math.min(back + care.int(1, 5), this.until) : null
      this.create(
        'missing-episode',
        'missingEpisode',
        {
          kind: care.chance(0.75) ? 'missing' : 'away',
          startedAt: days.instant(day, care.int(960, 1370)),
          startedOn: days.iso(day),
          returnedAt: returned ? days.instant(back, care.int(60, 1300)) : null,
          returnedOn: returned ? days.iso(back) : null,
          interviewOfferedOn: offered !== null ? days.iso(offered) : null,
          interviewAccepted: accepted,
          interviewHeldOn: held !== null ? days.iso(held) : null,
          interviewBy: held !== null ? 'Return interview service (synthetic)' : null,
          screenedOn: screened !== null ? days.iso(screened) : null,
          screeningOutcome: screened !== null ? (care.chance(0.8) ? 'no-concerns' : 'concerns') : null,
          notes: T.MISSING_NOTES,
        },
        this.stamp(returned ? back : day),
        worker,
      )
      day = back + care.int(7, 150)
    }
  }

  /** Health assessments, dental checks, immunisations, questionnaires and personal education plans in care. */
  private healthAndEducation(startDay: number, stopDay: number, worker: string): void {
    const { care, days } = this
    const last = Math.min(stopDay - 1, this.until)
    const record = (kind: string, day: number, values: Partial<Row<'healthEducationRecord'>> = {}) => {
      if (day <= last) this.create('health-education', 'healthEducationRecord', { kind, doneOn: days.iso(day), ...values }, this.stamp(day), worker)
    }
    const iha = days.addWorkingDays(startDay, care.chance(0.8) ? care.int(5, 20) : care.int(21, 60))
    record('initial-health-assessment', iha, { doneBy: 'Dr Synthetic, looked-after children health team (synthetic)' })
    for (let day = iha; ; ) {
      const under5 = this.ageOn(day) < 5
      day += under5 ? care.int(150, 200) : care.int(330, 400)
      if (day > last) break
      record('review-health-assessment', day, { doneBy: 'Looked-after children nurse (synthetic)' })
      record('immunisations', day, { upToDate: care.chance(0.87) })
      if (under5) record('health-surveillance', day)
      const age = this.ageOn(day)
      if (age >= 4 && age <= 16) record('sdq', day + care.int(0, 20), care.chance(0.85) ? { sdqScore: Math.min(40, Math.max(0, Math.round(14 + (care.next() - 0.5) * 24))) } : { sdqReason: 'SDQ2' })
    }
    for (let day = startDay + care.int(30, 120); day <= last; day += care.int(330, 420)) if (this.ageOn(day) >= 1) record('dental-check', day, { doneBy: 'Dentist (synthetic)' })
    if (this.ageOn(startDay) >= 3 && this.ageOn(startDay) < 18) {
      const pep = days.addWorkingDays(startDay, care.int(8, 25))
      record('pep', pep, { doneBy: 'Synthshire virtual school and the designated teacher (synthetic)' })
      for (let day = pep + care.int(80, 120); day <= last; day += care.int(80, 120)) record('pep-review', day, { doneBy: 'Designated teacher (synthetic)' })
    }
  }

  /** The end of care: the reason ceased on the period's context and the open placements ended that day. */
  private endCare(inCare: InCare, endDay: number, atEighteen: boolean, at: string, worker: string): string {
    const { care, days } = this
    const age = this.ageOn(endDay)
    const reason = atEighteen ? care.weighted(AT_18) : care.weighted(age >= 16 ? CEASED_16_PLUS : CEASED)
    for (const p of inCare.placements) if (p.endedOn === null) this.update('placement', p, { endedOn: days.iso(endDay), endReason: null }, at, worker)
    this.update('period-of-care', inCare.context, { reasonCeased: reason }, at, worker)
    return reason
  }

  /**
   * Care leaver status for a young person in care at 16 (13 weeks since 14): eligible while in care,
   * relevant after leaving care at 16 or 17, former relevant from 18; a personal adviser, the
   * pathway plan and its six-monthly reviews, and contacts (in touch, activity, accommodation) from 18.
   */
  private careLeaver(startDay: number, endDay: number | null, reason: string | null): boolean {
    const { care, days } = this
    const sixteen = this.birthday(16)
    const eighteen = this.birthday(18)!
    if (sixteen === null) return false
    const stop = Math.min(endDay ?? Number.POSITIVE_INFINITY, this.until)
    const eligibleDay = Math.max(sixteen, startDay + 91)
    if (eligibleDay > stop) return false
    const returnedHome = reason !== null && HOME_EXIT.has(reason)
    if (returnedHome && (endDay ?? 0) < eighteen) return false
    const worker = this.worker
    const adviserDay = eligibleDay + care.int(0, 40)
    const at = this.stamp(eligibleDay)
    const row = this.create(
      'care-leaver',
      'careLeaver',
      {
        category: 'eligible',
        personalAdviser: adviserDay <= this.until ? `${care.pick(GIVEN_NAMES_F)} ${care.pick(FAMILY_NAMES)}, leaving care service (synthetic)` : null,
        personalAdviserFrom: adviserDay <= this.until ? days.iso(adviserDay) : null,
        stayingPut: false,
        supportTo25: false,
      },
      at,
      worker,
    )
    const record = (kind: string, day: number, values: Partial<Row<'careLeaverRecord'>> = {}) =>
      this.create('care-leaver-record', 'careLeaverRecord', { kind, on: days.iso(day), ...values }, this.stamp(day), worker)
    const planDay = eligibleDay + care.int(10, 60)
    if (planDay <= this.until) {
      record('pathway-plan', planDay, { notes: T.PATHWAY_PLAN_NOTES })
      for (let day = planDay + care.int(150, 190); day <= this.until; day += care.int(150, 190)) record('pathway-plan-review', day)
    }
    if (endDay !== null && endDay < eighteen && endDay <= this.until) this.update('care-leaver', row, { category: 'relevant' }, this.stamp(endDay), worker)
    if (eighteen > this.until) return true
    const stayingPut = reason === 'E17'
    this.update('care-leaver', row, { category: 'former-relevant', stayingPut, stayingPutFrom: stayingPut ? days.iso(eighteen) : null }, this.stamp(eighteen), worker)
    for (let day = eighteen + care.int(0, 30); day <= this.until; day += care.int(60, 100)) {
      const inTouch = care.weighted([['YES', 90], ['NO', 7], ['REFU', 3]])
      record('contact', day, {
        inTouch,
        activity: inTouch === 'YES' ? care.weighted(ACTIVITIES) : '0',
        accommodation: inTouch !== 'YES' ? '0' : stayingPut && care.chance(0.8) ? 'Z1' : care.weighted(ACCOMMODATIONS),
      })
    }
    return true
  }
}

interface InCare {
  context: Row<'periodOfCare'>
  placements: Row<'placement'>[]
}
