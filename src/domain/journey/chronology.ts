/**
 * A child's chronology, derived from what was recorded (design principle 2: record once). Every
 * write of a journey record appends a revision; the chronology takes the newest revision of each
 * record known at a moment and turns it into the dated events it describes, so nothing is typed
 * twice and a later correction never leaks into an earlier "as known at" view. Each event is
 * credited to the revision it first appeared in (whoever recorded the completion, the end), and a
 * later change of what it says is shown as an edit by whoever made it, never as a new author. Pure:
 * the caller supplies the revisions, the names of the people who recorded them and the date to
 * look from.
 */
import {
  ACTION_STATUS,
  ASSESSMENT_KIND,
  ASSESSMENT_OUTCOME,
  CONFERENCE_DECISION,
  CONFERENCE_KIND,
  CONTACT_DECISION,
  delayReasonText,
  LEGAL_STATUS,
  CARE_LEAVER_RECORD_KIND,
  HEALTH_EDUCATION_KIND,
  NOTE_KIND,
  PLAN_END_REASON,
  PLAN_KIND,
  PRE_PROCEEDINGS_OUTCOME,
  RELATIONSHIP_KIND,
  S47_OUTCOME,
  STRATEGY_DECISION,
} from './codes.ts'
import { londonDate } from '../timescales/calendar/london-time.ts'
import { LETTER_KIND } from '../records/letters.ts'
import { DOCUMENT_RECORD_KIND, documentKindLabel, documentRecordText, type DocumentKindEntry } from '../records/documents.ts'
import {
  CATEGORY_OF_ABUSE,
  PRIMARY_NEED,
  REASON_FOR_CLOSURE,
  REFERRAL_SOURCE,
  labelOf,
  type Code,
  type CodeOf,
} from './dfe-codes.ts'

/** What an entry of the chronology is about: the filter's checkboxes. */
export const CHRONOLOGY_KIND = [
  { code: 'contact', label: 'Contacts' },
  { code: 'referral', label: 'Referrals and child in need episodes' },
  { code: 'assessment', label: 'Assessments' },
  { code: 'strategy-discussion', label: 'Strategy discussions' },
  { code: 'section-47', label: 'Section 47 enquiries' },
  { code: 'conference', label: 'Child protection conferences' },
  { code: 'plan', label: 'Plans' },
  { code: 'core-group', label: 'Core group meetings' },
  { code: 'visit', label: 'Visits' },
  { code: 'note', label: 'Case notes and management oversight' },
  { code: 'looked-after', label: 'Looked after' },
  { code: 'pre-proceedings', label: 'Pre-proceedings' },
  { code: 'family', label: 'Family network' },
  { code: 'case', label: 'Case opened, transferred and closed' },
  { code: 'information-sharing', label: 'Information requests, sharing and agency reports' },
  { code: 'letter', label: 'Letters' },
  { code: 'document', label: 'Documents and body maps' },
  { code: 'erasure', label: 'Records erased under the retention schedule' },
] as const satisfies readonly Code[]

export type ChronologyKind = CodeOf<typeof CHRONOLOGY_KIND>

/** A user who wrote a record, with the agency they work for. */
export interface Recorder {
  userId: string
  name: string
  agencyId: string | null
  agencyName: string | null
}

/** One stored revision of a journey record (a row of record_revision, with its authors joined). */
export interface ChronologyRevision {
  caseId: string
  entity: string
  entityId: string
  version: number
  /** The whole record as written, camelCase keys; instants as ISO strings. */
  data: Record<string, unknown>
  recordedAt: string | Date
  /** When the record's first revision was written; found from the revisions given when absent. */
  firstRecordedAt?: string | Date
  /** Who wrote this revision. */
  recordedBy: Recorder | null
  /** Who first recorded the record (its own recordedBy), when it has one. */
  originallyRecordedBy?: Recorder | null
}

export interface ChronologyEntry {
  /** The date the event happened (Europe/London). */
  date: string
  kind: ChronologyKind
  title: string
  detail: string
  agencyId: string | null
  agency: string | null
  /** When the event was recorded (ISO instant): the revision it first appeared in. */
  recordedAt: string
  recordedBy: string | null
  /** The last later change of what the entry says (its date, title or detail), by whom and when. */
  editedBy: string | null
  editedAt: string | null
  /** The page of the record the entry comes from. */
  link: string
  entity: string
  entityId: string
  version: number
}

export interface ChronologyFilters {
  /** Only what had been recorded by the end of this day (Europe/London), as it stood then. */
  asKnownAt?: string | undefined
  kinds?: readonly ChronologyKind[] | undefined
  agencyId?: string | undefined
  from?: string | undefined
  to?: string | undefined
}

export interface ChronologyOptions extends ChronologyFilters {
  /** Names of people a record names only by id (the other person of a family relationship). */
  personNames?: Readonly<Record<string, string>>
  /** The partnership's kinds of document, for their names (the built-in names without them). */
  documentKinds?: readonly DocumentKindEntry[]
}

/**
 * The chronology of one case: the newest revision of each record (known by `asKnownAt`, if
 * given) turned into dated entries, filtered, in date order (then the order they were recorded).
 * Give every revision of each record to credit each event to the revision it first appeared in.
 */
export function chronologyEntries(revisions: readonly ChronologyRevision[], options: ChronologyOptions = {}): ChronologyEntry[] {
  const histories = recordHistories(revisions, options.asKnownAt)
  // A letter Together made is kept as a document of the case too: it is told once, as the letter.
  const madeLetters = new Set(histories.filter((h) => h[0]!.entity === 'letter').map((h) => h.at(-1)!.data.documentId))
  // What a document is about is said from that record's own newest revision known.
  const newest = new Map(histories.map((h) => [`${h[0]!.entity}:${h[0]!.entityId}`, h.at(-1)!.data]))
  const context: ReaderContext = {
    names: options.personNames ?? {},
    documentKinds: options.documentKinds ?? [],
    record: (entity, id) => newest.get(`${entity}:${id}`) ?? null,
  }
  const entries = histories
    .filter((h) => !(h[0]!.entity === 'document' && madeLetters.has(h[0]!.entityId)))
    .flatMap((h) => entriesOf(h, context))
  return filterEntries(entries, options).sort(byDateThenRecorded)
}

/** For each record, its newest revision recorded by the end of `asKnownAt` (or ever). */
export function latestRevisions(revisions: readonly ChronologyRevision[], asKnownAt?: string): ChronologyRevision[] {
  return recordHistories(revisions, asKnownAt).map((h) => h.at(-1)!)
}

/**
 * The revisions of each record recorded by the end of `asKnownAt` (or ever), oldest first, each
 * carrying the record's first recorded instant.
 */
function recordHistories(revisions: readonly ChronologyRevision[], asKnownAt?: string): ChronologyRevision[][] {
  const byRecord = new Map<string, ChronologyRevision[]>()
  for (const r of revisions) {
    if (asKnownAt && londonDate(r.recordedAt) > asKnownAt) continue
    const key = `${r.entity}:${r.entityId}`
    byRecord.set(key, [...(byRecord.get(key) ?? []), r])
  }
  return [...byRecord.values()].map((history) => {
    const first = Math.min(...history.map((r) => new Date(r.firstRecordedAt ?? r.recordedAt).getTime()))
    const firstRecordedAt = new Date(first).toISOString()
    return history.sort((a, b) => (isNewer(a, b) ? 1 : isNewer(b, a) ? -1 : 0)).map((r) => ({ ...r, firstRecordedAt }))
  })
}

function isNewer(a: ChronologyRevision, b: ChronologyRevision): boolean {
  const at = new Date(a.recordedAt).getTime() - new Date(b.recordedAt).getTime()
  return at !== 0 ? at > 0 : a.version > b.version
}

/** Entries matching the kinds, agency and date range asked for (the as-known-at date is not a filter of entries). */
export function filterEntries(entries: readonly ChronologyEntry[], filters: ChronologyFilters): ChronologyEntry[] {
  const kinds = filters.kinds && filters.kinds.length > 0 ? new Set<string>(filters.kinds) : null
  return entries.filter(
    (e) =>
      (!kinds || kinds.has(e.kind)) &&
      (!filters.agencyId || e.agencyId === filters.agencyId) &&
      (!filters.from || e.date >= filters.from) &&
      (!filters.to || e.date <= filters.to),
  )
}

function byDateThenRecorded(a: ChronologyEntry, b: ChronologyEntry): number {
  return a.date.localeCompare(b.date) || a.recordedAt.localeCompare(b.recordedAt) || a.title.localeCompare(b.title)
}

// ---- From a record to its events

/**
 * One event a record describes. `by` says whose the event is: 'original' for what the record was
 * created to say (attributed to the record's own recorder, else whoever wrote the revision it
 * first appeared in), 'latest' for what a later edit added (a completion, an end), attributed to
 * whoever wrote the revision it first appeared in.
 */
interface RecordEvent {
  /** The day it happened; WHEN_RECORDED for the day it was first recorded; null when it has not. */
  date: string | null
  kind: ChronologyKind
  title: string
  detail?: string
  link: string
  by: 'original' | 'latest'
}

/** Typed reading of a revision's data, tolerant of missing or malformed fields. */
class Fields {
  constructor(private readonly data: Record<string, unknown>) {}

  text(key: string): string | null {
    const v = this.data[key]
    return typeof v === 'string' && v.trim() !== '' ? v : null
  }

  /** A calendar date field, or null when absent or not a date. */
  day(key: string): string | null {
    const v = this.text(key)
    return v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : null
  }

  /** The London date of an instant field. */
  dayOfInstant(key: string): string | null {
    const v = this.data[key]
    if (!(typeof v === 'string' || v instanceof Date)) return null
    return Number.isNaN(new Date(v).getTime()) ? null : londonDate(v)
  }

  flag(key: string): boolean | null {
    const v = this.data[key]
    return typeof v === 'boolean' ? v : null
  }

  list(key: string): unknown[] {
    const v = this.data[key]
    return Array.isArray(v) ? v : []
  }
}

/** An event dated by the day it was first recorded (a plan action being done). */
const WHEN_RECORDED = 'when-recorded'

/** What a reader may need besides the record itself. */
interface ReaderContext {
  names: Readonly<Record<string, string>>
  documentKinds: readonly DocumentKindEntry[]
  /** Another record's newest data known, by its entity and id; null when it is not among the revisions. */
  record: (entity: string, id: string) => Record<string, unknown> | null
}

type EntityReader = (f: Fields, r: ChronologyRevision, context: ReaderContext) => RecordEvent[]

const dateFormat = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' })
const longDate = (date: string) => dateFormat.format(new Date(`${date}T00:00:00Z`))

/** "No further action (feedback to the referrer)" → "no further action": a label inside a sentence. */
function phrase(set: readonly Code[], code: string | null): string {
  const label = labelOf(set, code).replace(/\s*\([^)]*\)\s*$/, '')
  return label.charAt(0).toLowerCase() + label.slice(1)
}

const ACRONYMS = new Set(['LA', 'UK', 'GP', 'CAFCASS', 'A&E'])

/** DfE writes referral sources in capitals ("SCHOOLS", "HEALTH SERVICES – health visitor"); say them in sentence case. */
export function referralSourceName(code: string | null): string {
  if (!code) return 'an unknown source'
  const label = labelOf(REFERRAL_SOURCE, code).replace(/^\(/, '')
  const words = label.replace(/\b[A-Z]{2,}\b/g, (w) => (ACRONYMS.has(w) ? w : w.toLowerCase()))
  return words.charAt(0).toUpperCase() + words.slice(1)
}

function short(text: string | null, max = 200): string {
  if (!text) return ''
  const flat = text.replace(/\s+/g, ' ').trim()
  if (flat.length <= max) return flat
  const cut = flat.slice(0, max)
  const lastSpace = cut.lastIndexOf(' ')
  return `${(lastSpace > max / 2 ? cut.slice(0, lastSpace) : cut).replace(/[\s,.;:]+$/, '')}…`
}

const sentences = (...parts: (string | null | false | undefined)[]) => parts.filter(Boolean).join(' ')

const casePage = (r: ChronologyRevision, section: string) => `/cases/${r.caseId}/${section}`
/** A strategy discussion's record page, or the invitations page before it is recorded. */
const strategyPage = (r: ChronologyRevision, discussionId: string | null) =>
  casePage(r, discussionId ? `strategy-discussions/${discussionId}` : 'strategy-discussions/invitations')
/** The page of an action's plan, or of the strategy discussion it was agreed at. */
const actionPage = (r: ChronologyRevision, f: { text: (name: string) => string | null }) =>
  f.text('planId') ? casePage(r, `plans/${f.text('planId')}`) : f.text('strategyDiscussionId') ? strategyPage(r, f.text('strategyDiscussionId')) : casePage(r, 'plans')

const READERS: Record<string, EntityReader> = {
  /** A letter made on the case (issue 18 §2), and when it was printed or posted. */
  letter: (f, r) => {
    const link = `/cases/${r.caseId}/letters/${r.entityId}`
    const to = f.text('recipientName') ?? ''
    const kind = labelOf(LETTER_KIND, f.text('kind'))
    const at = (key: string) => (f.text(key) ? londonDate(f.text(key)!) : null)
    return [
      { date: londonDate(r.firstRecordedAt ?? r.recordedAt), kind: 'letter', title: `Letter made: ${f.text('title') ?? kind} (to ${to})`, detail: kind, link, by: 'original' },
      { date: at('printedAt'), kind: 'letter', title: `Letter printed to give or send to ${to}`, link, by: 'latest' },
      { date: f.text('status') === 'sent' ? at('sentAt') : null, kind: 'letter', title: `Letter sent by post to ${to}`, link, by: 'latest' },
    ]
  },
  /**
   * A document on the case (issue 18 §1) as evidence on the date it bears (the day it was uploaded
   * when it bears none): its title and kind, whom it came from, and the record of the case it is
   * about; the link opens it on the case's documents.
   */
  document: (f, r, context) => {
    const kind = documentKindLabel(context.documentKinds, f.text('kind'))
    const from = f.text('receivedFrom')
    const dated = f.day('datedOn')
    const recordKind = f.text('recordKind')
    const recordId = f.text('recordId')
    const entity = DOCUMENT_RECORD_KIND.find((k) => k.code === recordKind)?.entity
    const record = entity && recordId ? context.record(entity, recordId) : null
    const about = recordKind && recordId ? (record && record.erased !== true ? documentRecordText(recordKind, record) : `A ${labelOf(DOCUMENT_RECORD_KIND, recordKind).toLowerCase()}`) : null
    return [
      {
        date: dated ?? londonDate(r.firstRecordedAt ?? r.recordedAt),
        kind: 'document',
        title: `${dated ? 'Document' : 'Document uploaded'}: ${f.text('title') ?? kind}`,
        detail: sentences(`${kind}.`, from && `From ${from}.`, about && `About: ${about}.`),
        link: `${casePage(r, 'documents')}#document-${r.entityId}`,
        by: 'original',
      },
    ]
  },
  /**
   * A body map (issue 18 §1) on the day the marks were seen: how many, by whom; the link opens it.
   */
  'body-map': (f, r) => {
    const marks = f.list('marks').length
    return [
      {
        date: f.day('seenOn'),
        kind: 'document',
        title: marks === 0 ? `Body map of marks seen by ${f.text('seenBy')}: none added yet` : `Body map: ${marks === 1 ? '1 mark' : `${marks} marks`} seen by ${f.text('seenBy')}`,
        detail: short(f.text('account'), 160),
        link: casePage(r, `body-maps/${r.entityId}`),
        by: 'original',
      },
    ]
  },
  /**
   * An erasure under the retention schedule (issue 18 §4): the gap shown honestly, with the rule
   * and no personal details; the erased records' own revisions read as nothing.
   */
  erasure: (f, r) => {
    const on = f.day('erasedOn')
    const until = f.day('retainUntil')
    return [
    {
      date: on,
      kind: 'erasure',
      title: `Records erased on ${on ? longDate(on) : 'a day not recorded'}: ${f.text('what') === 'document' ? 'a document' : 'this case’s records'}`,
      detail: `Erased under the retention schedule: ${f.text('rule') ?? 'rule not recorded'}${until ? ` (kept until ${longDate(until)})` : ''}. What was recorded before is no longer held.`,
      link: `/retention/erasures/${r.entityId}`,
      by: 'latest',
    },
  ]
  },

  contact: (f, r) => {
    // A contact about several children has a decision per child (issue 16): this case's child's.
    const child = f.list('children').find((k): k is { caseId: string; decision?: unknown } =>
      typeof k === 'object' && k !== null && (k as { caseId?: unknown }).caseId === r.caseId)
    const decision = (typeof child?.decision === 'string' ? child.decision : null) ?? f.text('decision')
    const referrer = [f.text('referrerName'), f.text('referrerRole')].filter(Boolean).join(', ')
    const link = `/contacts/${r.entityId}`
    // A late decision is an entry of its own, on the day it was made, with the reason (issue 16).
    const decidedOn = f.day('decidedOn')
    const dueOn = f.day('decisionDueOn')
    const late = decidedOn !== null && dueOn !== null && decidedOn > dueOn
    return [
      {
        date: f.dayOfInstant('receivedAt'),
        kind: 'contact',
        title: `Contact from ${referralSourceName(f.text('source'))}: ${decision ? phrase(CONTACT_DECISION, decision) : 'waiting for a decision'}`,
        detail: sentences(referrer && `${referrer}:`, short(f.text('concern'))),
        link,
        by: 'original',
      },
      {
        date: f.day('feedbackOn'),
        kind: 'contact',
        title: 'Referrer told the outcome of their contact',
        detail: short(f.text('feedback')),
        link,
        by: 'latest',
      },
      {
        date: late ? decidedOn : null,
        kind: 'contact',
        title: late ? `Contact decided late: it was due by ${longDate(dueOn)}` : '',
        detail: `Reason it was late: ${short(delayReasonText({ delayReasonCode: f.text('decisionDelayReasonCode'), delayReason: f.text('decisionDelayReason') })) || 'not given'}`,
        link,
        by: 'latest',
      },
    ]
  },

  /** A request to a partner agency, and its answer (issue 6). */
  'information-request': (f, r) => {
    const link = casePage(r, 'information-requests')
    const held = f.flag('held')
    return [
      {
        date: f.dayOfInstant('sentAt'),
        kind: 'information-sharing',
        title: `Information requested from a partner agency (${f.text('urgency') ?? 'no'} urgency)`,
        detail: short(f.text('question')),
        link,
        by: 'original',
      },
      {
        date: f.dayOfInstant('answeredAt'),
        kind: 'information-sharing',
        title: `Information request answered: ${held ? 'information held' : 'nothing held'}`,
        detail: short(f.text('information')),
        link,
        by: 'latest',
      },
    ]
  },

  /** A decision to share information out of Together, or not to (issue 6). */
  'information-share': (f, r) => [
    {
      date: f.day('decidedOn'),
      kind: 'information-sharing',
      title: `${f.text('decision') === 'shared' ? 'Information shared with' : 'Decided not to share information with'} ${f.text('recipient') ?? 'another agency'}`,
      detail: sentences(short(f.text('information'), 120), f.text('article6Basis') && `Lawful basis: ${f.text('article6Basis')}.`),
      link: casePage(r, 'information-sharing'),
      by: 'original',
    },
  ],

  /** A partner agency's report to a child protection conference (issue 6). */
  'conference-report': (f, r) => [
    {
      date: f.dayOfInstant('submittedAt'),
      kind: 'information-sharing',
      title: 'A partner agency sent its report to the conference',
      detail: short(f.text('body')),
      link: casePage(r, 'child-protection'),
      by: 'latest',
    },
  ],

  /** A partner agency's information for a strategy discussion, before or after it (issue 17 §5). */
  'strategy-contribution': (f, r) => [
    {
      date: f.dayOfInstant('submittedAt'),
      kind: 'strategy-discussion',
      title: `${r.recordedBy?.agencyName ?? 'A partner agency'} added its information to a strategy discussion`,
      detail: short(f.text('body')),
      link: strategyPage(r, f.text('strategyDiscussionId')),
      by: 'latest',
    },
  ],

  /** Information a referrer added to their contact after sending it (issue 6). */
  'contact-addition': (f) => [
    {
      date: f.dayOfInstant('addedAt'),
      kind: 'contact',
      title: 'The referrer added information to their contact',
      detail: short(f.text('body')),
      link: `/contacts/${f.text('contactId') ?? ''}`,
      by: 'latest',
    },
  ],

  'cin-episode': (f, r) => {
    const need = f.text('primaryNeed')
    const link = casePage(r, 'contacts')
    return [
      {
        date: f.day('referralDate'),
        kind: 'referral',
        title: `Referral from ${referralSourceName(f.text('referralSource'))}${f.flag('referralNfa') ? ': no further action' : ''}`,
        detail: sentences(
          need && `Primary need: ${labelOf(PRIMARY_NEED, need)}.`,
          f.flag('rereferral') && 'A re-referral within 12 months of the last.',
        ),
        link,
        by: 'original',
      },
      {
        date: f.day('closureDate'),
        kind: 'referral',
        title: 'Child in need episode closed',
        detail: labelOf(REASON_FOR_CLOSURE, f.text('closureReason')),
        link,
        by: 'latest',
      },
    ]
  },

  assessment: (f, r) => {
    const kind = labelOf(ASSESSMENT_KIND, f.text('kind'))
    const outcome = f.text('outcome')
    const seen = f.day('childSeenOn')
    const link = casePage(r, `assessments/${r.entityId}`)
    return [
      { date: f.day('startedOn'), kind: 'assessment', title: `${kind} started`, link, by: 'original' },
      {
        date: f.day('completedOn'),
        kind: 'assessment',
        title: `${kind} completed${outcome ? `: ${phrase(ASSESSMENT_OUTCOME, outcome)}` : ''}`,
        detail: sentences(
          seen && `Child seen ${longDate(seen)}.`,
          f.text('delayReason') && `Reason for delay: ${short(f.text('delayReason'), 120)}`,
        ),
        link,
        by: 'latest',
      },
      // Its own entry, so the manager's authorisation never reads as the completion's author.
      { date: f.day('authorisedOn'), kind: 'assessment', title: `${kind} authorised`, detail: short(f.text('authorisationComment')), link, by: 'latest' },
    ]
  },

  'early-help-assessment': (f, r) => {
    const link = casePage(r, 'early-help-assessments')
    const by = f.text('organisation') ? `By ${f.text('organisation')}.` : ''
    return [
      { date: f.day('startedOn'), kind: 'assessment', title: 'Early help assessment started', detail: sentences(by, short(f.text('summary'), 160)), link, by: 'original' },
      { date: f.day('completedOn'), kind: 'assessment', title: 'Early help assessment completed', detail: by, link, by: 'latest' },
    ]
  },

  'strategy-discussion': (f, r) => {
    const attendees = f.list('attendees').length
    return [
      {
        date: f.dayOfInstant('heldAt'),
        kind: 'strategy-discussion',
        title: `Strategy discussion: ${phrase(STRATEGY_DECISION, f.text('decision'))}`,
        detail: sentences(
          attendees > 0 && `${attendees} ${attendees === 1 ? 'person' : 'people'} took part.`,
          f.text('requiredAgencyAbsenceReason') && `Not every required agency took part: ${short(f.text('requiredAgencyAbsenceReason'), 120)}`,
          short(f.text('decisionDetail')),
        ),
        link: casePage(r, 'child-protection'),
        by: 'original',
      },
    ]
  },

  section47: (f, r) => {
    const outcome = f.text('outcome')
    const seen = f.day('childSeenOn')
    const link = casePage(r, `section47/${r.entityId}`)
    const account = f.text('childsAccount')
    return [
      {
        date: f.day('startedOn'),
        kind: 'section-47',
        title: 'Section 47 enquiry started',
        detail: seen ? `Child seen ${longDate(seen)}.` : '',
        link,
        by: 'original',
      },
      {
        date: f.day('completedOn'),
        kind: 'section-47',
        title: `Section 47 enquiry completed${outcome ? `: ${phrase(S47_OUTCOME, outcome)}` : ''}`,
        detail: sentences(
          f.text('findings') && `Found: ${short(f.text('findings'), 160)}`,
          account && `The child’s account: “${short(account, 160)}”`,
          f.text('outcomeReasons') && `Reasons: ${short(f.text('outcomeReasons'), 160)}`,
        ),
        link,
        by: 'latest',
      },
    ]
  },

  plan: (f, r) => {
    const kind = labelOf(PLAN_KIND, f.text('kind'))
    const category = f.text('initialCategory')
    const endReason = f.text('endReason')
    const link = casePage(r, `plans/${r.entityId}`)
    return [
      {
        date: f.day('startedOn'),
        kind: 'plan',
        title: `${kind} started`,
        detail: sentences(category && `Category: ${labelOf(CATEGORY_OF_ABUSE, category)}.`, short(f.text('summary'))),
        link,
        by: 'original',
      },
      {
        date: f.day('endedOn'),
        kind: 'plan',
        title: `${kind} ended${endReason ? `: ${phrase(PLAN_END_REASON, endReason)}` : ''}`,
        link,
        by: 'latest',
      },
    ]
  },

  /** Goals and actions are not events; an action being done is, on the day it was recorded as done. */
  'plan-item': (f, r) => {
    if (f.text('kind') !== 'action' || f.text('status') !== 'done') return []
    return [
      {
        date: WHEN_RECORDED,
        kind: 'plan',
        title: `Plan action done: ${short(f.text('description'), 80)}`,
        detail: short(f.text('progress')),
        link: actionPage(r, f),
        by: 'latest',
      },
    ]
  },

  /** Progress recorded on a plan action, often by the partner agency that owns it (issue 6). */
  'plan-action-update': (f, r) => [
    {
      date: f.day('progressOn'),
      kind: 'plan',
      title: `Progress on a plan action: ${labelOf(ACTION_STATUS, f.text('status')).toLowerCase()}`,
      detail: short(f.text('note')),
      link: actionPage(r, f),
      by: 'original',
    },
  ],

  conference: (f, r) => {
    const kind = labelOf(CONFERENCE_KIND, f.text('kind'))
    const held = f.day('heldOn')
    const decision = f.text('decision')
    const categories = f.list('categories').filter((c): c is string => typeof c === 'string')
    const scheduled = f.day('scheduledFor')
    const where = [f.text('scheduledTime') && `At ${f.text('scheduledTime')}`, f.text('venue')].filter(Boolean).join(', ')
    return [
      {
        date: held ?? scheduled,
        kind: 'conference',
        title: held ? `${kind}${decision ? `: ${phrase(CONFERENCE_DECISION, decision)}` : ''}` : `${kind} scheduled`,
        detail: held
          ? sentences(
              scheduled && held !== scheduled &&
                `Held on another day than scheduled (${longDate(scheduled)}): ${short(f.text('rescheduleReason'), 120) || 'no reason recorded'}.`,
              categories.length > 0 && `Category: ${categories.map((c) => labelOf(CATEGORY_OF_ABUSE, c)).join(', ')}.`,
              f.text('dissent') && 'Dissent recorded.',
              f.text('delayReason') && `Reason for delay: ${short(f.text('delayReason'), 120)}`,
            )
          : where && `${where}.`,
        link: casePage(r, `conferences/${r.entityId}`),
        by: held ? 'latest' : 'original',
      },
    ]
  },

  'core-group': (f, r) => [
    {
      date: f.day('heldOn'),
      kind: 'core-group',
      title: 'Core group meeting',
      detail: short(f.text('notes') ?? f.text('attendees')),
      link: casePage(r, f.text('planId') ? `child-protection#plan-${f.text('planId')}` : 'child-protection'),
      by: 'original',
    },
  ],

  'case-note': (f, r) => {
    const noteKind = f.text('kind')
    const isVisit = noteKind === 'visit' || noteKind === 'statutory-visit'
    const seen = f.flag('childSeen')
    const seenAlone = f.flag('childSeenAlone')
    return [
      {
        date: f.day('occurredOn'),
        kind: isVisit ? 'visit' : 'note',
        title: `${labelOf(NOTE_KIND, noteKind)}: ${f.text('title') ?? ''}`,
        detail: isVisit
          ? sentences(
              seen === true && (seenAlone ? 'Child seen, and seen alone.' : 'Child seen.'),
              seen === false && 'Child not seen.',
              short(f.text('body'), 160),
            )
          : short(f.text('body')),
        link: casePage(r, 'notes'),
        by: 'original',
      },
    ]
  },

  'looked-after': (f, r) => {
    const link = casePage(r, 'looked-after')
    return [
      {
        date: f.day('startedOn'),
        kind: 'looked-after',
        title: `Became looked after: ${phrase(LEGAL_STATUS, f.text('legalStatus'))}`,
        link,
        by: 'original',
      },
      { date: f.day('endedOn'), kind: 'looked-after', title: 'Stopped being looked after', link, by: 'latest' },
    ]
  },

  /** A time the child was missing or away, the return and the offer of the return home interview (issue 19 §5). */
  'missing-episode': (f, r) => {
    const link = casePage(r, 'missing')
    const what = f.text('kind') === 'away' ? 'Away without permission' : 'Missing'
    return [
      { date: f.day('startedOn'), kind: 'looked-after', title: what, detail: short(f.text('notes')), link, by: 'original' },
      { date: f.day('returnedOn'), kind: 'looked-after', title: `Came back after being ${what.toLowerCase()}`, link, by: 'latest' },
      { date: f.day('interviewOfferedOn'), kind: 'looked-after', title: 'Return home interview offered', link, by: 'latest' },
    ]
  },

  /** A looked-after child's health or education check (issue 19 §4). */
  'health-education': (f, r) => [
    { date: f.day('doneOn'), kind: 'looked-after', title: labelOf(HEALTH_EDUCATION_KIND, f.text('kind')), detail: short(f.text('notes')), link: casePage(r, 'health-education'), by: 'original' },
  ],

  /** A care leaver's pathway plan, review or contact (issue 19 §7). */
  'care-leaver-record': (f, r) => [
    { date: f.day('on'), kind: 'looked-after', title: labelOf(CARE_LEAVER_RECORD_KIND, f.text('kind')), detail: short(f.text('notes')), link: casePage(r, 'care-leaver'), by: 'original' },
  ],

  'pre-proceedings': (f, r) => {
    const link = casePage(r, 'looked-after')
    const outcome = f.text('outcome')
    const step = (key: string, title: string, by: RecordEvent['by'] = 'latest'): RecordEvent => ({
      date: f.day(key),
      kind: 'pre-proceedings',
      title,
      link,
      by,
    })
    return [
      step('decisionOn', 'Decision to start pre-proceedings under the Public Law Outline', 'original'),
      step('letterSentOn', 'Letter before proceedings sent'),
      step('fgdmMeetingOn', 'Family group decision-making meeting'),
      step('initialMeetingOn', 'Pre-proceedings meeting'),
      step('proceedingsIssuedOn', 'Care proceedings issued'),
      step('endedOn', `Pre-proceedings ended${outcome ? `: ${phrase(PRE_PROCEEDINGS_OUTCOME, outcome)}` : ''}`),
    ]
  },

  relationship: (f, r, { names }) => {
    const other = names[f.text('relatedPersonId') ?? '']
    const kind = labelOf(RELATIONSHIP_KIND, f.text('kind'))
    const link = casePage(r, 'family')
    return [
      {
        date: londonDate(r.firstRecordedAt ?? r.recordedAt),
        kind: 'family',
        title: `${kind} added to the family network${other ? `: ${other}` : ''}`,
        detail: sentences(
          f.flag('sameHousehold') && 'Lives in the same household.',
          f.flag('parentalResponsibility') && 'Has parental responsibility.',
          short(f.text('notes'), 120),
        ),
        link,
        by: 'original',
      },
      { date: f.day('endedOn'), kind: 'family', title: `${kind} relationship ended${other ? `: ${other}` : ''}`, link, by: 'latest' },
    ]
  },

  'case-transfer': (f, r) => [
    {
      date: f.day('transferredOn'),
      kind: 'case',
      title: `Case transferred${f.text('fromTeamName') ? ` from ${f.text('fromTeamName')}` : ''} to ${f.text('toTeamName') ?? 'another team'}`,
      detail: short(f.text('reason')),
      link: `/cases/${r.caseId}`,
      by: 'original',
    },
  ],

  case: (f, r) => [
    { date: f.day('openedOn'), kind: 'case', title: 'Case opened', link: `/cases/${r.caseId}`, by: 'latest' },
    { date: f.day('closedOn'), kind: 'case', title: 'Case closed', link: `/cases/${r.caseId}`, by: 'latest' },
  ],
}

/**
 * The entries a record's newest revision describes (none for an entity the chronology does not
 * know), each credited to the revision it first appeared in: the earliest of the unbroken run of
 * revisions, ending with the newest, that describe it. A later change of its date, title or detail
 * is the entry's last edit.
 */
function entriesOf(history: readonly ChronologyRevision[], context: ReaderContext): ChronologyEntry[] {
  const newest = history.at(-1)!
  if (newest.data.erased === true) return []
  const read = READERS[newest.entity]
  if (!read) return []
  const described = history.map((r) => read(new Fields(r.data), r, context))
  const firstAt = new Date(newest.firstRecordedAt ?? newest.recordedAt).toISOString()
  return described.at(-1)!.flatMap((e, i) => {
    if (e.date === null) return []
    let from = history.length - 1
    while (from > 0 && sameEvent(described[from - 1]![i], e)) from--
    let edit = history.length - 1
    while (edit > from && sameWords(described[edit - 1]![i]!, described[edit]![i]!)) edit--
    const appeared = history[from]!
    const who = (e.by === 'original' ? appeared.originallyRecordedBy : null) ?? appeared.recordedBy
    const editor = edit > from ? history[edit]! : null
    return [
      {
        date: e.date === WHEN_RECORDED ? londonDate(appeared.recordedAt) : e.date,
        kind: e.kind,
        title: e.title,
        detail: e.detail ?? '',
        agencyId: who?.agencyId ?? null,
        agency: who?.agencyName ?? null,
        recordedAt: from === 0 && e.by === 'original' ? firstAt : new Date(appeared.recordedAt).toISOString(),
        recordedBy: who?.name ?? null,
        editedBy: editor ? (editor.recordedBy?.name ?? null) : null,
        editedAt: editor ? new Date(editor.recordedAt).toISOString() : null,
        link: e.link,
        entity: newest.entity,
        entityId: newest.entityId,
        version: newest.version,
      },
    ]
  })
}

/** The same event (of the same kind and standing) described by an earlier revision. */
function sameEvent(earlier: RecordEvent | undefined, e: RecordEvent): boolean {
  return earlier !== undefined && earlier.date !== null && earlier.kind === e.kind && earlier.by === e.by
}

function sameWords(a: RecordEvent, b: RecordEvent): boolean {
  return a.date === b.date && a.title === b.title && (a.detail ?? '') === (b.detail ?? '')
}
