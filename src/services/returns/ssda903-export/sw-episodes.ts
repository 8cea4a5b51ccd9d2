/**
 * sw_episodes.csv: the child's social workers while looked after, from the allocation history the
 * case's revisions hold (record_revision of the case: the allocated worker, team, status at each
 * version, with the day it was recorded). An episode begins the day a worker is allocated and ends
 * the day another is, the worker is taken off, or the case closes (its closing day). The earliest
 * version of a case is taken as held since the case opened (a case made without a revision, or
 * before revisions were kept). SW_REASON, why the episode began (the record holds no reason typed
 * with an allocation): FCONTA the first worker of a case, or of a case reopened (a new contact);
 * TSPROC the first worker after the case moved team; MANAGE any other reallocation (a manager's
 * decision, case.allocate). A same-day allocation replaced the same day is left out (SW09).
 *
 * Written: the episodes that overlap the child's care from a year before the collection year to its
 * end (SW07's window; SW12 asks for the worker at each start of care in it), none starting after
 * the end of care (SW12); an episode still running after 31 March is open. SW_ID: Together holds
 * no Social Work England number, so "XX" (the other prefix SW02 accepts) and a stable pseudonym of
 * the worker (the first 8 hex digits of a SHA-256 of their user id), the same in every return.
 */
import { createHash } from 'node:crypto'
import { childColumns, ddmmyyyy, type CaseVersion, type ExportChild, type TableBuilder } from './model.ts'

export interface WorkerEpisode {
  workerId: string
  from: string
  /** The day it ended; null while it runs. */
  to: string | null
  reason: 'FCONTA' | 'TSPROC' | 'MANAGE'
}

/** One case's worker episodes from its versions (oldest first). */
function episodesOfCase(versions: readonly CaseVersion[]): WorkerEpisode[] {
  const out: WorkerEpisode[] = []
  let current: (WorkerEpisode & { teamId: string | null; openedOn: string }) | null = null
  let last: { teamId: string | null; openedOn: string } | null = null
  versions.forEach((v, i) => {
    const closed = v.status === 'closed'
    const worker = closed ? null : v.allocatedWorkerId
    if (worker === (current?.workerId ?? null)) return
    const day = i === 0 ? v.openedOn : closed && v.closedOn ? v.closedOn : v.on
    if (current) {
      out.push({ workerId: current.workerId, from: current.from, to: day, reason: current.reason })
      last = current
    }
    current = null
    if (worker === null) return
    const reason = last === null || last.openedOn !== v.openedOn ? 'FCONTA' : last.teamId !== v.teamId ? 'TSPROC' : 'MANAGE'
    current = { workerId: worker, from: day, to: null, reason, teamId: v.teamId, openedOn: v.openedOn }
  })
  if (current !== null) {
    const { workerId, from, reason } = current as WorkerEpisode
    out.push({ workerId, from, to: null, reason })
  }
  return out
}

/**
 * The child's worker episodes over all their cases, in date order: only the latest may be open (an
 * earlier one still running ends when the next begins), and none that began and ended the same day.
 */
export function workerEpisodes(history: readonly CaseVersion[]): WorkerEpisode[] {
  const cases = [...new Set(history.map((v) => v.caseId))]
  const all = cases.flatMap((id) => episodesOfCase(history.filter((v) => v.caseId === id))).sort((a, b) => a.from.localeCompare(b.from))
  const ended = all.map((e, i) => {
    const next = all[i + 1]
    return next && (e.to === null || e.to > next.from) ? { ...e, to: next.from } : e
  })
  // A dropped same-day allocation passes its reason to the worker who replaced it that day.
  const kept: WorkerEpisode[] = []
  let reason: WorkerEpisode['reason'] | null = null
  for (const e of ended) {
    if (e.to === e.from) reason ??= e.reason
    else {
      kept.push(reason === null ? e : { ...e, reason })
      reason = null
    }
  }
  return kept
}

/** The worker's pseudonymous SW_ID. */
export const swId = (workerId: string) => `XX${createHash('sha256').update(workerId).digest('hex').slice(0, 8).toUpperCase()}`

/** Whether an episode overlaps the child's care between `from` and `to`. */
const overlapsCare = (child: ExportChild, e: WorkerEpisode, from: string, to: string) =>
  child.periods.some((p) => {
    const start = p.startedOn > from ? p.startedOn : from
    const end = p.endedOn !== null && p.endedOn < to ? p.endedOn : to
    return start <= end && e.from <= end && (e.to === null || e.to >= start)
  })

export const swEpisodes: TableBuilder = (child, year) => {
  const from = `${year.year - 2}-04-01`
  return workerEpisodes(child.caseHistory)
    .filter((e) => overlapsCare(child, e, from, year.end))
    .map((e) => ({
      ...childColumns(child),
      SW_ID: swId(e.workerId),
      SW_DECOM: ddmmyyyy(e.from),
      SW_DEC: e.to === null || e.to > year.end ? '' : ddmmyyyy(e.to),
      SW_REASON: e.reason,
    }))
}
