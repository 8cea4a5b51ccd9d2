/**
 * SSDA903 episodes derived from what was recorded about a period of care (shared/docs/
 * children-in-care.md §1.4 and §9): the timeline is cut at every change of legal status or
 * placement; each piece is an episode. The reason for a new episode follows from what changed (S at
 * the start; L legal status only; P placement and carer; T placement, same carer; B legal status and
 * placement and carer; U legal status and placement, same carer), every episode but the last ends
 * X1, the last with the period's reason ceased, and the episode whose placement ended carries the
 * reason the placement ended, except around a temporary move (903 rules 225, 226, 380-383). HOME_POST
 * is the home postcode in force when each episode starts: a new home postcode does not start an episode.
 */
import { NO_PROVIDER_PLACE, NO_URN_PLACE, TEMPORARY_PLACE, URN_NOT_KNOWN } from './codes.ts'

/** A placement as the episodes need it; a temporary move names the placement it interrupts. */
export interface PlacementEvent {
  id: string
  placeType: string
  provider: string | null
  carerId: string | null
  postcode: string
  /** The placement's URN, or its carer's (the service resolves which). */
  urn: string | null
  startedOn: string
  endedOn: string | null
  endReason: string | null
  interruptsId: string | null
}

export interface LegalStatusEvent {
  legalStatus: string
  fromOn: string
}

export interface HomePostcodeEvent {
  postcode: string | null
  fromOn: string
}

/** The home postcode in force on a day: the latest change on or before it, else the period's own. */
export function homePostcodeOn(period: Pick<PeriodEvents, 'homePostcode' | 'homePostcodes'>, day: string): string | null {
  let current = period.homePostcode
  let since = ''
  for (const h of period.homePostcodes ?? []) {
    if (h.fromOn <= day && h.fromOn >= since) {
      current = h.postcode
      since = h.fromOn
    }
  }
  return current
}

/** Everything recorded about one period of care. Dates are YYYY-MM-DD. */
export interface PeriodEvents {
  startedOn: string
  endedOn: string | null
  reasonCeased: string | null
  categoryOfNeed: string | null
  uasc: boolean
  homePostcode: string | null
  /** New home postcodes from a day during the period (any order): HOME_POST of an episode starting on or after it. */
  homePostcodes?: HomePostcodeEvent[]
  /** Any order; the first applies from the start of the period. */
  legalStatuses: LegalStatusEvent[]
  placements: PlacementEvent[]
}

/** One 903 episode (dates YYYY-MM-DD, blank as ''), with the placement it was cut from. */
export interface DerivedEpisode {
  DECOM: string
  RNE: string
  LS: string
  CIN: string
  PLACE: string
  PLACE_PROVIDER: string
  DEC: string
  REC: string
  REASON_PLACE_CHANGE: string
  HOME_POST: string
  PL_POST: string
  URN: string
  placementId: string | null
}

interface Piece {
  from: string
  ls: string
  placement: PlacementEvent | null
}

const isTemporary = (p: PlacementEvent | null) => p !== null && TEMPORARY_PLACE.has(p.placeType)
const covers = (p: PlacementEvent, day: string) => p.startedOn <= day && (p.endedOn === null || p.endedOn > day)

/** The placement the child lives in on a day: a temporary move over the placement it interrupts. */
function placementOn(placements: readonly PlacementEvent[], day: string): PlacementEvent | null {
  const here = placements.filter((p) => covers(p, day))
  return here.find((p) => p.interruptsId !== null) ?? here.sort((a, b) => b.startedOn.localeCompare(a.startedOn))[0] ?? null
}

/** The 903 fields of a placement (what the return can see change). */
function placementFields(p: PlacementEvent | null) {
  if (p === null) return { PLACE: '', PLACE_PROVIDER: '', PL_POST: '', URN: '' }
  return {
    PLACE: p.placeType,
    PLACE_PROVIDER: NO_PROVIDER_PLACE.has(p.placeType) ? '' : (p.provider ?? ''),
    PL_POST: p.postcode,
    URN: NO_URN_PLACE.has(p.placeType) ? '' : p.urn || URN_NOT_KNOWN,
  }
}

const samePlacement = (a: PlacementEvent | null, b: PlacementEvent | null) => {
  const x = placementFields(a)
  const y = placementFields(b)
  return x.PLACE === y.PLACE && x.PLACE_PROVIDER === y.PLACE_PROVIDER && x.PL_POST === y.PL_POST && x.URN === y.URN
}

/** Why the next episode started, from what changed since the previous one. */
function reasonNew(previous: Piece, next: Piece): string {
  const legal = previous.ls !== next.ls
  if (samePlacement(previous.placement, next.placement)) return 'L'
  // Into or back from a temporary move is always a change of carer (rules 380, 383).
  const sameCarer =
    !isTemporary(previous.placement) &&
    !isTemporary(next.placement) &&
    previous.placement?.carerId != null &&
    previous.placement.carerId === next.placement?.carerId
  if (legal) return sameCarer ? 'U' : 'B'
  return sameCarer ? 'T' : 'P'
}

/** The legal status on a day: the latest that started on or before it (the first, before any). */
function legalStatusOn(statuses: readonly LegalStatusEvent[], day: string): string {
  let current = statuses[0]?.legalStatus ?? ''
  for (const s of statuses) if (s.fromOn <= day) current = s.legalStatus
  return current
}

/** The period's episodes in date order; the last is open while the period is. */
export function deriveEpisodes(period: PeriodEvents): DerivedEpisode[] {
  const statuses = [...period.legalStatuses].sort((a, b) => a.fromOn.localeCompare(b.fromOn))
  const inPeriod = (day: string) => day > period.startedOn && (period.endedOn === null || day < period.endedOn)
  const cuts = new Set<string>([period.startedOn])
  for (const s of statuses) if (inPeriod(s.fromOn)) cuts.add(s.fromOn)
  for (const p of period.placements) {
    if (inPeriod(p.startedOn)) cuts.add(p.startedOn)
    if (p.endedOn !== null && inPeriod(p.endedOn)) cuts.add(p.endedOn)
  }
  const pieces: Piece[] = []
  for (const from of [...cuts].sort()) {
    const piece: Piece = { from, ls: legalStatusOn(statuses, from), placement: placementOn(period.placements, from) }
    const last = pieces.at(-1)
    // Nothing the return can see changed (e.g. a placement's record replaced by an identical one): one episode.
    if (last && last.ls === piece.ls && samePlacement(last.placement, piece.placement)) continue
    pieces.push(piece)
  }
  return pieces.map((piece, i) => {
    const next = pieces[i + 1]
    const previous = pieces[i - 1]
    let reasonPlaceChange = ''
    if (next && !samePlacement(piece.placement, next.placement) && !isTemporary(piece.placement) && !isTemporary(next.placement)) {
      reasonPlaceChange = piece.placement?.endReason ?? ''
    }
    return {
      DECOM: piece.from,
      RNE: previous ? reasonNew(previous, piece) : 'S',
      LS: piece.ls,
      CIN: period.categoryOfNeed ?? '',
      ...placementFields(piece.placement),
      DEC: next ? next.from : (period.endedOn ?? ''),
      REC: next ? 'X1' : period.endedOn ? (period.reasonCeased ?? '') : '',
      REASON_PLACE_CHANGE: reasonPlaceChange,
      // The child's home when the episode started; none for an unaccompanied asylum-seeking child.
      HOME_POST: period.uasc ? '' : (homePostcodeOn(period, piece.from) ?? ''),
      placementId: piece.placement?.id ?? null,
    }
  })
}

/** dd/mm/yyyy, as the 903 files write dates. */
export const ddmmyyyy = (day: string): string => (day === '' ? '' : `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`)

/** An episode as a row of episodes.csv (without CHILD). */
export function episodeCsvRow(e: DerivedEpisode): Record<string, string> {
  const { placementId: _, ...row } = e
  return { ...row, DECOM: ddmmyyyy(e.DECOM), DEC: ddmmyyyy(e.DEC) }
}

/**
 * Episodes open at any time in a collection year (1 April to 31 March; `year` is the one it ends
 * in), as they stood on 31 March: one that ceased after it is still open in that year's return
 * (no DEC, REC or REASON_PLACE_CHANGE; rules 385 and 388 refuse them).
 */
export function episodesInYear(episodes: readonly DerivedEpisode[], year: number): DerivedEpisode[] {
  const start = `${year - 1}-04-01`
  const end = `${year}-03-31`
  return episodes
    .filter((e) => e.DECOM <= end && (e.DEC === '' || e.DEC >= start))
    .map((e) => (e.DEC > end ? { ...e, DEC: '', REC: '', REASON_PLACE_CHANGE: '' } : e))
}
