/**
 * The audit log's hash chain. Each entry's hash is SHA-256 over the previous entry's hash and a
 * canonical serialisation of the entry's own fields (sequence number included, so reordering
 * breaks the chain as surely as editing or deleting).
 *
 * The hash chain alone can be rebuilt by anyone who can write to the database. So each entry also
 * carries a MAC: HMAC-SHA-256 of its hash with the audit key, which is kept outside the database,
 * and the id of the key that made it. An entry's hash covers every entry before it, so one valid
 * MAC vouches for the whole chain up to it, unsigned entries from before the key included.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import { stringify } from 'safe-stable-stringify'

export const GENESIS_HASH = '0'.repeat(64)

export interface ChainedFields {
  seq: number
  partnershipId: string | null
  occurredAt: string
  actorUserId: string | null
  action: string
  recordType: string | null
  recordId: string | null
  subjectPersonId: string | null
  ground: string | null
  reason: string | null
  breakGlass: boolean
  requestId: string | null
  detail: Record<string, unknown>
}

export function entryHash(prevHash: string, f: ChainedFields): string {
  // Name every field: a stored row carries more (its own hash) than the hash may cover.
  const body = stringify({
    seq: f.seq,
    partnershipId: f.partnershipId,
    occurredAt: normaliseInstant(f.occurredAt),
    actorUserId: f.actorUserId,
    action: f.action,
    recordType: f.recordType,
    recordId: f.recordId,
    subjectPersonId: f.subjectPersonId,
    ground: f.ground,
    reason: f.reason,
    breakGlass: f.breakGlass,
    requestId: f.requestId,
    detail: f.detail,
  })
  return createHash('sha256').update(prevHash).update('\n').update(body ?? '').digest('hex')
}

/** The two engines print timestamptz differently; hash the instant, not its spelling. */
export function normaliseInstant(value: string): string {
  return new Date(value).toISOString()
}

export interface StoredEntry extends ChainedFields {
  prevHash: string
  hash: string
  /** Null on entries written before an audit key existed. */
  mac?: string | null
  keyId?: string | null
}

/** An audit key: its id (a digest of the key, safe to store and print) and the secret itself. */
export interface AuditKey {
  id: string
  secret: string
}

/** The keys Together knows: the first signs new entries, all of them verify (rotation). */
export interface AuditKeyring {
  signing: AuditKey
  byId: ReadonlyMap<string, AuditKey>
}

/** The shortest key accepted: 32 characters (e.g. `openssl rand -hex 32` gives 64). */
export const AUDIT_KEY_MIN_LENGTH = 32

/** A keyring from keys in order, the signing key first. */
export function auditKeyring(secrets: readonly string[]): AuditKeyring {
  if (secrets.length === 0) throw new Error('an audit keyring needs at least one key')
  const keys = secrets.map((secret) => {
    if (secret.length < AUDIT_KEY_MIN_LENGTH) throw new Error(`an audit key has at least ${AUDIT_KEY_MIN_LENGTH} characters`)
    return { id: auditKeyId(secret), secret }
  })
  return { signing: keys[0]!, byId: new Map(keys.map((k) => [k.id, k])) }
}

/** A key's id: 16 hex digits of a digest of the key, so it names the key without revealing it. */
export function auditKeyId(secret: string): string {
  return createHash('sha256').update('together-audit-key-id\n').update(secret).digest('hex').slice(0, 16)
}

/** The MAC of an entry: HMAC-SHA-256 of its hash (which covers its fields and every entry before it). */
export function entryMac(key: AuditKey, hash: string): string {
  return createHmac('sha256', key.secret).update('together-audit-entry\n').update(hash).digest('hex')
}

/** The MAC of the chain head: its last sequence number and hash, so cutting off the newest entries shows. */
export function headMac(key: AuditKey, lastSeq: number, lastHash: string): string {
  return createHmac('sha256', key.secret).update(`together-audit-head\n${lastSeq}\n`).update(lastHash).digest('hex')
}

/** Compares two hex MACs in constant time. */
export function macEqual(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** Where the keyed part of a chain stands, carried from one batch to the next. */
export interface KeyedState {
  /** The first entry with a MAC, or null while none has been seen. */
  signedFrom: number | null
  /** Entries before it, written without a key. */
  unsigned: number
  /** Key ids seen, in the order first seen. */
  keyIds: string[]
}

export const NO_KEYED_STATE: KeyedState = { signedFrom: null, unsigned: 0, keyIds: [] }

/**
 * Checks entries' MACs in sequence order (after verifyChain found their hashes sound). An entry
 * without a MAC after one with a MAC had its MAC removed; a MAC made with a key not in the keyring
 * cannot be checked, and fails; a MAC that does not match means the entry, or an unsigned entry
 * before it, was changed and the hash chain recomputed by someone without the key.
 */
export function verifyMacs(
  entries: Iterable<StoredEntry>,
  keyring: AuditKeyring | null,
  start: KeyedState = NO_KEYED_STATE,
): ({ ok: true } & KeyedState) | ({ ok: false } & KeyedState & ChainProblem) {
  let { signedFrom, unsigned } = start
  const keyIds = [...start.keyIds]
  const fail = (seq: number, problem: string) => ({ ok: false as const, signedFrom, unsigned, keyIds, seq, problem })
  for (const entry of entries) {
    if (!entry.mac || !entry.keyId) {
      if (signedFrom !== null) return fail(entry.seq, `it carries no MAC although the entries from ${signedFrom} do: its MAC was removed`)
      unsigned++
      continue
    }
    signedFrom ??= entry.seq
    if (!keyIds.includes(entry.keyId)) keyIds.push(entry.keyId)
    const key = keyring?.byId.get(entry.keyId)
    if (!key) {
      return fail(entry.seq, `its MAC was made with audit key ${entry.keyId}, which this process does not have (set TOGETHER_AUDIT_KEY or TOGETHER_AUDIT_KEY_FILE), so it cannot be checked`)
    }
    if (!macEqual(entryMac(key, entry.hash), entry.mac)) {
      return fail(entry.seq, 'its MAC does not match: this entry, or an unsigned entry before it, was changed and the hash chain recomputed without the audit key')
    }
  }
  return { ok: true, signedFrom, unsigned, keyIds }
}

export type ChainProblem = { seq: number; problem: string }

/**
 * Checks entries in sequence order. Returns the first problem: an entry whose content no longer
 * matches its hash (modified), or whose previous-hash link does not match the entry before it
 * (an entry before it was deleted, or entries were reordered or inserted).
 */
export function verifyChain(
  entries: Iterable<StoredEntry>,
  start: { prevHash: string; previousSeq: number | null } = { prevHash: GENESIS_HASH, previousSeq: null },
): { ok: true; count: number; lastHash: string; lastSeq: number | null } | ({ ok: false; count: number } & ChainProblem) {
  let prevHash = start.prevHash
  let previousSeq = start.previousSeq
  let count = 0
  for (const entry of entries) {
    if (entryHash(entry.prevHash, entry) !== entry.hash) {
      return { ok: false, count, seq: entry.seq, problem: 'its content does not match its hash: the entry was modified' }
    }
    if (entry.prevHash !== prevHash) {
      const where = previousSeq === null ? 'the start of the log' : `entry ${previousSeq}`
      return {
        ok: false,
        count,
        seq: entry.seq,
        problem: `it does not follow ${where}: an entry before it was deleted, or entries were reordered or inserted`,
      }
    }
    prevHash = entry.hash
    previousSeq = entry.seq
    count++
  }
  return { ok: true, count, lastHash: prevHash, lastSeq: previousSeq }
}
