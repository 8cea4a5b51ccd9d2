/**
 * The audit log's hash chain. Each entry's hash is SHA-256 over the previous entry's hash and a
 * canonical serialisation of the entry's own fields (sequence number included, so reordering
 * breaks the chain as surely as editing or deleting).
 */
import { createHash } from 'node:crypto'
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
