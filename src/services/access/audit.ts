/**
 * Appending to and verifying the hash-chained audit log, and the auditor's questions of it.
 */
import { and, asc, count, desc, eq, gt, gte, inArray, lt, or, sql } from 'drizzle-orm'
import { queryRows, type Db } from '../../db/connection.ts'
import { auditAppendTimer } from '../../metrics.ts'
import { isTransaction } from '../../db/prepared.ts'
import { appUser, auditChainHead, auditEvent, childCase, person } from '../../db/schema/index.ts'
import {
  entryHash,
  entryMac,
  headMac,
  macEqual,
  verifyChain,
  verifyMacs,
  GENESIS_HASH,
  NO_KEYED_STATE,
  type AuditKeyring,
  type StoredEntry,
} from '../../domain/access/audit-chain.ts'
import { auditActionLabel, auditGroundLabel } from '../../domain/access/audit-labels.ts'
import { addDays } from '../../domain/timescales/calendar/iso-date.ts'
import { endOfLondonDay } from '../../domain/timescales/calendar/london-time.ts'
import type { AccessHistoryFilter } from './audit-input.ts'
import { NotFound, readDbOf, type ServiceContext } from '../common/context.ts'
import { requireGeneral } from '../common/require-general.ts'
import { pageCounted, pageFrom, totalOver, type Page, type PageRequest } from '../common/paging.ts'
import { personNamedOrNumbered } from '../common/person-lookup.ts'

export interface AuditEntryInput {
  partnershipId: string | null
  actorUserId: string | null
  action: string
  recordType?: string | null
  recordId?: string | null
  subjectPersonId?: string | null
  ground?: string | null
  reason?: string | null
  breakGlass?: boolean
  requestId?: string | null
  detail?: Record<string, unknown>
  occurredAt: Date
}

/**
 * Appends one entry: the one way onto the chain. Inside a transaction (`db` is the transaction
 * handle), the entry is appended in it, under the chain head's row lock, so the change and its
 * audit entry commit or roll back together. With the database handle (no transaction: a read, a
 * refusal, a sign-in), it goes through the group-commit appender, which appends it by a statement
 * of its own; the promise settles once the entry is committed, so wait for it before showing what
 * was read. Either way the head is moved only from the value the new entries are chained from, by
 * the statement that inserts them (see appendEntries), so concurrent appends never collide, on
 * either engine.
 */
export async function appendAudit(db: Db, input: AuditEntryInput): Promise<number> {
  const [seq] = await appendBatch(db, [input])
  return seq!
}

/** The same as appendAudit (the name says what callers outside a transaction wait for). */
export const appendAuditCommitted = appendAudit

/**
 * Appends entries in order, contiguously, inside `db` if it is a transaction or by group commit if
 * not: one statement for any number (e.g. one entry per child in an export).
 */
export function appendAuditBatch(db: Db, inputs: readonly AuditEntryInput[]): Promise<number[]> {
  return appendBatch(db, inputs)
}

/** Appends entries in order, contiguously, inside `db` if it is a transaction or by group commit if not. */
function appendBatch(db: Db, inputs: readonly AuditEntryInput[]): Promise<number[]> {
  if (inputs.length === 0) return Promise.resolve([])
  const timed = auditAppendTimer(isTransaction(db) ? 'transaction' : 'group-commit')
  if (isTransaction(db)) return appendEntries(db, inputs).finally(timed)
  let appender = appenders.get(db)
  if (!appender) {
    appender = new GroupAppender(db)
    appenders.set(db, appender)
  }
  return appender.append(inputs).finally(timed)
}

/** Where the chain ends: its last entry's sequence number and hash, and the key that signed the head. */
interface ChainHead {
  lastSeq: number
  lastHash: string
  keyId: string | null
}

/**
 * The chain head as this process last wrote or read it. Only a guess: another process, or a
 * transaction that rolled back, may have moved the head since, and the appending statement checks
 * it (appendAfter), so a wrong guess costs a retry, never a broken chain.
 */
let knownHead: ChainHead | null = null

/**
 * Appends entries in order, contiguously; returns their sequence numbers. One statement moves the
 * head and inserts the entries (appendAfter), chained from the head this process last knew; when
 * the head has moved since, it is read again, under its row lock inside a transaction (`db`'s, or
 * one of its own), and the statement is repeated, which then cannot miss.
 */
async function appendEntries(db: Db, inputs: readonly AuditEntryInput[]): Promise<number[]> {
  // A guess that the head is signed, by a process without the key, is checked before it is acted on.
  if (knownHead && (keyring || !knownHead.keyId)) {
    const seqs = await appendAfter(db, knownHead, inputs)
    if (seqs) return seqs
  }
  const locked = async (tx: Db) => {
    const [head] = await tx
      .select({ lastSeq: auditChainHead.lastSeq, lastHash: auditChainHead.lastHash, keyId: auditChainHead.keyId })
      .from(auditChainHead)
      .where(eq(auditChainHead.id, 1))
      .for('update')
    if (!head) throw new Error('audit chain head is missing: run the migrations')
    knownHead = head
    const seqs = await appendAfter(tx, head, inputs)
    if (!seqs) throw new Error('the audit chain head moved while it was locked')
    return seqs
  }
  return isTransaction(db) ? locked(db) : db.transaction(locked)
}

/**
 * One statement, atomic on its own: moves the chain head from `head` to the last of the new
 * entries, and inserts them, only if the head is still `head` (the update waits for the head's row
 * lock, so an append in another transaction finishes first and the head is then compared afresh);
 * null, with nothing written, if it is not. Inside a transaction the head's row lock is held until
 * it ends, as with `select … for update`, so the entries commit or roll back with the change they
 * record. The entries go as one JSON parameter, so the statement's text is the same for any
 * number of them.
 */
async function appendAfter(db: Db, head: ChainHead, inputs: readonly AuditEntryInput[]): Promise<number[] | null> {
  const key = keyring?.signing ?? null
  if (!key && head.keyId) throw new Error(`the audit log is signed with audit key ${head.keyId}, and this process has no audit key`)
  let { lastSeq, lastHash } = head
  const rows = inputs.map((input) => {
    const fields = {
      seq: lastSeq + 1,
      partnershipId: input.partnershipId,
      occurredAt: input.occurredAt.toISOString(),
      actorUserId: input.actorUserId,
      action: input.action,
      recordType: input.recordType ?? null,
      recordId: input.recordId ?? null,
      subjectPersonId: input.subjectPersonId ?? null,
      ground: input.ground ?? null,
      reason: input.reason ?? null,
      breakGlass: input.breakGlass ?? false,
      requestId: input.requestId ?? null,
      detail: input.detail ?? {},
    }
    const hash = entryHash(lastHash, fields)
    const row = { ...fields, prevHash: lastHash, hash, mac: key ? entryMac(key, hash) : null, keyId: key?.id ?? null }
    lastSeq = fields.seq
    lastHash = hash
    return row
  })
  const next: ChainHead = { lastSeq, lastHash, keyId: key?.id ?? null }
  const [result] = await queryRows<{ appended: number }>(
    db,
    sql`with head as (
      update audit_chain_head set last_seq = ${next.lastSeq}, last_hash = ${next.lastHash}, mac = ${key ? headMac(key, lastSeq, lastHash) : null}, key_id = ${next.keyId}
      where id = 1 and last_seq = ${head.lastSeq} and last_hash = ${head.lastHash} and key_id is not distinct from ${head.keyId}::text
      returning 1
    ), appended as (
      insert into audit_event (seq, partnership_id, occurred_at, actor_user_id, action, record_type, record_id, subject_person_id, ground, reason, break_glass, request_id, detail, prev_hash, hash, mac, key_id)
      select e.seq, e."partnershipId", e."occurredAt", e."actorUserId", e.action, e."recordType", e."recordId", e."subjectPersonId", e.ground, e.reason, e."breakGlass", e."requestId", e.detail, e."prevHash", e.hash, e.mac, e."keyId"
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as e(seq bigint, "partnershipId" uuid, "occurredAt" timestamptz, "actorUserId" uuid, action text, "recordType" text, "recordId" text, "subjectPersonId" uuid, ground text, reason text, "breakGlass" boolean, "requestId" text, detail jsonb, "prevHash" text, hash text, mac text, "keyId" text)
      where exists (select from head)
      order by e.seq
      returning 1
    )
    select count(*)::int as appended from appended`,
  )
  if (Number(result?.appended) !== rows.length) {
    if (knownHead === head) knownHead = null
    return null
  }
  knownHead = next
  return rows.map((r) => r.seq)
}

/** The audit keys of this process (services/access/audit-key.ts loads them); null: entries are not signed. */
let keyring: AuditKeyring | null = null

/** Sets the keys entries are signed and verified with, at start-up (the server, every command). */
export function useAuditKeys(keys: AuditKeyring | null): void {
  keyring = keys
}

interface PendingBatch {
  inputs: readonly AuditEntryInput[]
  resolve(seqs: number[]): void
  reject(err: unknown): void
}

/** Entries per appending statement, so one group never grows into a very long insert. */
const GROUP_LIMIT = 500

/**
 * Group commit for entries appended outside a transaction (reads, refusals, sign-ins): entries
 * arriving together are appended by one statement, moving the chain head once per group instead of
 * once per read. Each caller's promise settles once its entries are committed (or failed). If a
 * group's statement fails, each batch of it is tried again on its own, so one entry the database
 * refuses fails only its own caller.
 */
class GroupAppender {
  private queue: PendingBatch[] = []
  private flushing = false

  constructor(private readonly db: Db) {}

  append(inputs: readonly AuditEntryInput[]): Promise<number[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ inputs, resolve, reject })
      if (!this.flushing) void this.flush()
    })
  }

  private async flush(): Promise<void> {
    this.flushing = true
    try {
      while (this.queue.length > 0) {
        const group = this.takeGroup()
        try {
          const seqs = await this.commit(group.flatMap((p) => p.inputs))
          let at = 0
          for (const p of group) {
            p.resolve(seqs.slice(at, at + p.inputs.length))
            at += p.inputs.length
          }
        } catch (err) {
          if (group.length === 1) group[0]!.reject(err)
          else for (const p of group) await this.commit(p.inputs).then(p.resolve, p.reject)
        }
      }
    } finally {
      this.flushing = false
    }
  }

  private takeGroup(): PendingBatch[] {
    let entries = this.queue[0]!.inputs.length
    let n = 1
    while (n < this.queue.length && entries + this.queue[n]!.inputs.length <= GROUP_LIMIT) entries += this.queue[n++]!.inputs.length
    return this.queue.splice(0, n)
  }

  private commit(inputs: readonly AuditEntryInput[]): Promise<number[]> {
    return appendEntries(this.db, inputs)
  }
}

const appenders = new WeakMap<Db, GroupAppender>()

export type ActorEntry = Omit<AuditEntryInput, 'partnershipId' | 'actorUserId' | 'occurredAt' | 'requestId'>

function byActor(ctx: ServiceContext, entry: ActorEntry): AuditEntryInput {
  return { ...entry, partnershipId: ctx.actor.partnershipId, actorUserId: ctx.actor.userId, requestId: ctx.requestId ?? null, occurredAt: ctx.now() }
}

/** Appends an entry for an action by the context's actor: inside `db` if it is a transaction, by group commit if not (see appendAudit). */
export function audit(ctx: ServiceContext, db: Db, entry: ActorEntry): Promise<number> {
  return appendAudit(db, byActor(ctx, entry))
}

/** Appends several entries for actions by the context's actor, contiguously, under one hold of the lock (see appendAudit). */
export function auditMany(ctx: ServiceContext, db: Db, entries: readonly ActorEntry[]): Promise<number[]> {
  return appendBatch(db, entries.map((e) => byActor(ctx, e)))
}

/** Audits an action by the context's actor that changes nothing (a read, a refusal) with `ctx.db`: see appendAudit. */
export function auditGrouped(ctx: ServiceContext, entry: ActorEntry): Promise<number> {
  return appendAudit(ctx.db, byActor(ctx, entry))
}

/** What the keyed part of the log looked like: the first signed entry, how many before it are unsigned, the key ids. */
export interface KeyedSummary {
  signedFrom: number | null
  unsigned: number
  keyIds: string[]
}

export type VerifyResult =
  | ({ ok: true; entries: number } & KeyedSummary)
  | ({ ok: false; entries: number; seq: number; problem: string } & KeyedSummary)

export interface VerifyOptions {
  batchSize?: number
  /** The keys to check MACs with; by default this process's (useAuditKeys). */
  keyring?: AuditKeyring | null
  /** Every entry from this sequence number on must carry a MAC (recorded when the key was introduced). */
  signedFrom?: number
}

/**
 * Checks the whole chain, in batches: every entry's hash and link, every MAC with the audit keys,
 * and the chain head (its MAC included), so that the newest entries are all still there. With an
 * audit key configured, a log none of whose entries is signed fails: its MACs were removed.
 */
export async function verifyAuditLog(db: Db, options: number | VerifyOptions = {}): Promise<VerifyResult> {
  const { batchSize = 5000, keyring: keys = keyring, signedFrom } = typeof options === 'number' ? { batchSize: options } : options
  let state = { prevHash: GENESIS_HASH, previousSeq: null as number | null }
  let keyed = NO_KEYED_STATE
  let entries = 0
  const summary = (): KeyedSummary => ({ signedFrom: keyed.signedFrom, unsigned: keyed.unsigned, keyIds: keyed.keyIds })
  const fail = (seq: number, problem: string): VerifyResult => ({ ok: false, entries, seq, problem, ...summary() })
  for (;;) {
    const rows = await db
      .select()
      .from(auditEvent)
      .where(state.previousSeq === null ? undefined : gt(auditEvent.seq, state.previousSeq))
      .orderBy(asc(auditEvent.seq))
      .limit(batchSize)
    const stored = rows.map(toStoredEntry)
    const result = verifyChain(stored, state)
    const macs = verifyMacs(result.ok ? stored : stored.filter((e) => e.seq < result.seq), keys, keyed)
    keyed = macs
    if (!macs.ok) {
      entries += stored.filter((e) => e.seq < macs.seq).length
      return fail(macs.seq, macs.problem)
    }
    entries += result.count
    if (!result.ok) return fail(result.seq, result.problem)
    state = { prevHash: result.lastHash, previousSeq: result.lastSeq }
    if (rows.length < batchSize) break
  }
  const [head] = await db.select().from(auditChainHead).where(eq(auditChainHead.id, 1))
  if (!head) return fail(0, 'the chain head record is missing')
  const lastSeq = state.previousSeq ?? 0
  if (head.lastSeq !== lastSeq || head.lastHash !== state.prevHash) {
    return fail(lastSeq + 1, `the log ends at entry ${lastSeq} but ${head.lastSeq} entries were written: the newest entries were deleted`)
  }
  if (signedFrom !== undefined && lastSeq >= signedFrom && (keyed.signedFrom === null || keyed.signedFrom > signedFrom)) {
    return fail(signedFrom, `it carries no MAC although every entry from ${signedFrom} on was signed: the MACs were removed`)
  }
  if (keyed.signedFrom !== null) {
    const key = head.keyId ? keys?.byId.get(head.keyId) : undefined
    if (!head.mac || !head.keyId) return fail(lastSeq + 1, 'the chain head carries no MAC although entries do: the MACs were removed')
    if (!key) return fail(lastSeq + 1, `the chain head was signed with audit key ${head.keyId}, which this process does not have`)
    if (!macEqual(headMac(key, head.lastSeq, head.lastHash), head.mac)) {
      return fail(lastSeq + 1, 'the chain head\'s MAC does not match: the head was rewritten without the audit key (the newest entries may have been deleted)')
    }
  } else if (keys && entries > 0) {
    return fail(
      1,
      'no entry carries a MAC although an audit key is configured: the MACs were removed, or nothing has been written since the key was set (the first entry written with the key signs the log)',
    )
  }
  return { ok: true, entries, ...summary() }
}

function toStoredEntry(row: typeof auditEvent.$inferSelect): StoredEntry {
  return { ...row, detail: (row.detail ?? {}) as Record<string, unknown> }
}

export interface AccessHistoryEntry {
  seq: number
  occurredAt: string
  actorName: string | null
  actorEmail: string | null
  action: string
  recordType: string | null
  recordId: string | null
  ground: string | null
  reason: string | null
  breakGlass: boolean
  /** The action in plain words ("Viewed the case"). */
  actionLabel: string
  /** The ground in plain words ("as the auditor"), or null. */
  groundLabel: string | null
}

/** Entries of a person's access history on one page. */
export const ACCESS_HISTORY_PAGE_SIZE = 50

export interface AccessHistory {
  subject: { givenName: string; familyName: string }
  /** This page's entries, newest first. */
  entries: AccessHistoryEntry[]
  /** How many entries match the filters, on every page. */
  total: number
  page: number
  pages: number
  pageSize: number
  /** Everyone who appears in the person's history (for the filter by user), by name. */
  users: { id: string; name: string }[]
}

/**
 * "Who has looked at this child's record, when and why": every audited action on the person or
 * any of their cases, newest first, a page at a time, optionally within a date range (days in
 * England, both included) and by one user. Asking is itself audited.
 */
export async function accessHistoryForPerson(ctx: ServiceContext, personId: string, filter: AccessHistoryFilter = {}): Promise<AccessHistory> {
  requireAuditor(ctx)
  const page = Math.max(1, Math.floor(filter.page ?? 1))
  // Whether the person is the partnership's, and the entry saying the auditor asked, on the primary;
  // the history itself tolerates a little lag, so it is read from a replica when one qualifies.
  const subject = await ctx.db.transaction(async (tx) => {
    const [subject] = await tx
      .select({ givenName: person.givenName, familyName: person.familyName })
      .from(person)
      .where(and(eq(person.id, personId), eq(person.partnershipId, ctx.actor.partnershipId)))
    if (!subject) throw new NotFound('No person with that id')
    await audit(ctx, tx, {
      action: 'audit.person-history.view',
      recordType: 'person',
      recordId: personId,
      subjectPersonId: personId,
      ground: 'role:auditor',
      detail: { page, from: filter.from ?? null, to: filter.to ?? null, userId: filter.userId ?? null },
    })
    return subject
  })
  const db = readDbOf(ctx)
  const caseIds = db
    .select({ id: sql<string>`${childCase.id}::text` })
    .from(childCase)
    .where(eq(childCase.personId, personId))
  const aboutPerson = and(
    eq(auditEvent.partnershipId, ctx.actor.partnershipId),
    or(eq(auditEvent.subjectPersonId, personId), and(eq(auditEvent.recordType, 'case'), inArray(auditEvent.recordId, caseIds))),
  )
  const matching = and(
    aboutPerson,
    filter.from ? gte(auditEvent.occurredAt, endOfLondonDay(addDays(filter.from, -1)).toISOString()) : undefined,
    filter.to ? lt(auditEvent.occurredAt, endOfLondonDay(filter.to).toISOString()) : undefined,
    filter.userId ? eq(auditEvent.actorUserId, filter.userId) : undefined,
  )
  const [counted] = await db.select({ n: count() }).from(auditEvent).where(matching)
  const total = counted?.n ?? 0
  const rows = await historyQuery(db)
    .where(matching)
    .orderBy(desc(auditEvent.seq))
    .limit(ACCESS_HISTORY_PAGE_SIZE)
    .offset((page - 1) * ACCESS_HISTORY_PAGE_SIZE)
  const users = await db
    .selectDistinct({ id: appUser.id, name: appUser.displayName })
    .from(auditEvent)
    .innerJoin(appUser, eq(appUser.id, auditEvent.actorUserId))
    .where(aboutPerson)
    .orderBy(asc(appUser.displayName), asc(appUser.id))
  return {
    subject,
    entries: rows.map(labelled),
    total,
    page,
    pages: Math.max(1, Math.ceil(total / ACCESS_HISTORY_PAGE_SIZE)),
    pageSize: ACCESS_HISTORY_PAGE_SIZE,
    users,
  }
}

function labelled(row: Omit<AccessHistoryEntry, 'actionLabel' | 'groundLabel'>): AccessHistoryEntry {
  return { ...row, actionLabel: auditActionLabel(row.action), groundLabel: auditGroundLabel(row.ground) }
}

/** Every break-glass access in the partnership, newest first, for auditors to review: a page at a time with how many there are. */
export async function breakGlassAccesses(ctx: ServiceContext, page: PageRequest = { offset: 0, limit: ACCESS_HISTORY_PAGE_SIZE }): Promise<Page<AccessHistoryEntry>> {
  requireAuditor(ctx)
  await auditGrouped(ctx, { action: 'audit.break-glass.view', ground: 'role:auditor' })
  // The list tolerates a little lag: from a replica when one qualifies.
  const db = readDbOf(ctx)
  const matching = and(eq(auditEvent.partnershipId, ctx.actor.partnershipId), eq(auditEvent.breakGlass, true))
  const listed = await pageFrom(
    page,
    db.select({ n: count() }).from(auditEvent).where(matching),
    historyQuery(db).where(matching).orderBy(desc(auditEvent.seq)).limit(page.limit).offset(page.offset),
  )
  return { ...listed, items: listed.items.map(labelled) }
}

function historyQuery(db: Db) {
  return db
    .select({
      seq: auditEvent.seq,
      occurredAt: auditEvent.occurredAt,
      actorName: appUser.displayName,
      actorEmail: appUser.email,
      action: auditEvent.action,
      recordType: auditEvent.recordType,
      recordId: auditEvent.recordId,
      ground: auditEvent.ground,
      reason: auditEvent.reason,
      breakGlass: auditEvent.breakGlass,
    })
    .from(auditEvent)
    .leftJoin(appUser, eq(appUser.id, auditEvent.actorUserId))
    .$dynamic()
}

function requireAuditor(ctx: ServiceContext): void {
  requireGeneral(ctx, 'audit:read')
}

export interface PersonMatch {
  id: string
  givenName: string
  familyName: string
  dateOfBirth: string | null
  nhsNumber: string | null
}

/**
 * Finds people by name or NHS number so an auditor can ask about their record. The search is
 * audited (without the words searched for, which may be a name).
 */
/** The most people an auditor's search shows; the rest are counted, and the auditor asked to refine. */
export const AUDIT_PERSON_SEARCH_LIMIT = 50

export async function findPeopleForAudit(ctx: ServiceContext, query: string): Promise<{ people: PersonMatch[]; total: number }> {
  requireAuditor(ctx)
  const matching = personNamedOrNumbered(query) ?? sql`false`
  // The search tolerates a little lag (from a replica when one qualifies); the entry saying what it found goes to the primary.
  const db = readDbOf(ctx)
  const listed = await pageCounted({ offset: 0, limit: AUDIT_PERSON_SEARCH_LIMIT }, (at) =>
    db
      .select({
        id: person.id,
        givenName: person.givenName,
        familyName: person.familyName,
        dateOfBirth: person.dateOfBirth,
        nhsNumber: person.nhsNumber,
        total: totalOver(),
      })
      .from(person)
      .where(and(eq(person.partnershipId, ctx.actor.partnershipId), matching))
      .orderBy(asc(person.familyName), asc(person.givenName), asc(person.id))
      .limit(at.limit)
      .offset(at.offset),
  )
  const rows = listed.items
  await auditGrouped(ctx, {
    action: 'audit.person-search',
    ground: 'role:auditor',
    detail: { results: rows.length, matched: listed.total, personIds: rows.map((r) => r.id) },
  })
  return { people: rows, total: listed.total }
}

