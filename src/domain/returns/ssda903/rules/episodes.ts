/** Episodes: codes and dates (17), how one episode follows another (17). */
import { CIN, LS, PLACE, PLACE_PROVIDER, REASON_PLACE_CHANGE, REC, RNE } from '../codesets.ts'
import { dayOf } from '../dates.ts'
import type { ChildRecord, Episode } from '../model.ts'
import type { ChildRule, Context } from '../rule.ts'
import { ageOn } from '../dates.ts'
import { CONTINUATIONS, OTHER_PLACEMENTS, TEMPORARY, datedEpisodes, dobOf, endsCare } from './helpers.ts'

type EpisodeCheck = Omit<ChildRule, 'table' | 'needs' | 'check'> & {
  needs?: ChildRule['needs']
  /** `previous` and `next` are the neighbours in DECOM order among episodes with a readable DECOM. */
  fails: (e: Episode, ctx: Context, child: ChildRecord, previous: Episode | undefined, next: Episode | undefined) => boolean
}

/** A rule reporting each of the child's episodes for which `fails` holds. */
export const episodeRule = (r: EpisodeCheck): ChildRule => ({
  code: r.code, type: r.type, table: 'Episodes', field: r.field, message: r.message, needs: r.needs ?? ['Episodes'], rows: 'episodes',
  check(child, ctx, report) {
    const list = child.episodes
    for (let i = 0; i < list.length; i++) {
      const e = list[i]!
      const dated = !Number.isNaN(e.decom)
      const previous = dated && i > 0 ? list[i - 1] : undefined
      const after = list[i + 1]
      const next = dated && after !== undefined && !Number.isNaN(after.decom) ? after : undefined
      if (r.fails(e, ctx, child, previous, next)) report()
    }
  },
})

/** Whether the placement changed between two episodes (type, postcode, URN or provider). */
export const placementChanged = (a: Episode, b: Episode): boolean =>
  a.PLACE !== b.PLACE || a.PL_POST !== b.PL_POST || a.URN !== b.URN || a.PLACE_PROVIDER !== b.PLACE_PROVIDER

const invalidCode = (set: ReadonlySet<string>) => (value: string) => value !== '' && !set.has(value)
const ADOPTED = new Set(['E11', 'E12'])
const E1_FROM = dayOf(2005, 12, 30)

export const EPISODE_CODE_RULES: ChildRule[] = [
  episodeRule({ code: '141', type: 'error', field: 'DECOM', message: 'Date episode started is not a valid date.', fails: (e) => Number.isNaN(e.decom) }),
  episodeRule({ code: '143', type: 'error', field: 'RNE', message: 'Reason for new episode is not a valid code.', fails: (e) => !RNE.has(e.RNE) }),
  episodeRule({ code: '144', type: 'error', field: 'LS', message: 'Legal status is not a valid code.', fails: (e) => !LS.has(e.LS) }),
  episodeRule({ code: '145', type: 'error', field: 'CIN', message: 'Category of need is not a valid code.', fails: (e) => !CIN.has(e.CIN) }),
  episodeRule({ code: '146', type: 'error', field: 'PLACE', message: 'Placement type is not a valid 2025-26 code (Z1 is now Z11-Z14).', fails: (e) => !PLACE.has(e.PLACE) }),
  episodeRule({ code: '147', type: 'error', field: 'DEC', message: 'Date episode ceased is not a valid date.', fails: (e) => e.DEC !== '' && Number.isNaN(e.dec) }),
  episodeRule({ code: '148', type: 'error', field: 'DEC', message: 'Date episode ceased and reason episode ceased must both be given or both be blank.', fails: (e) => (e.DEC === '') !== (e.REC === '') }),
  episodeRule({ code: '149', type: 'error', field: 'REC', message: 'Reason episode ceased is not a valid code.', fails: (e) => invalidCode(REC)(e.REC) }),
  episodeRule({
    code: '178', type: 'error', field: 'PLACE_PROVIDER',
    message: 'Placement provider must be PR0-PR5, and blank for temporary (T0-T4) and Z11-Z14 placements.',
    fails: (e) => invalidCode(PLACE_PROVIDER)(e.PLACE_PROVIDER) || (e.PLACE_PROVIDER !== '' && (TEMPORARY.has(e.PLACE) || OTHER_PLACEMENTS.has(e.PLACE))),
  }),
  episodeRule({
    code: '302', type: 'error', field: 'DECOM', needs: ['Episodes', 'Header'],
    message: 'An episode cannot start before the child was born.',
    fails: (e, _ctx, child) => e.decom < dobOf(child),
  }),
  episodeRule({ code: '353', type: 'error', field: 'DECOM', message: 'No episode can start before 14 October 1991.', fails: (e) => e.decom < dayOf(1991, 10, 14) }),
  episodeRule({ code: '354', type: 'error', field: 'DECOM', message: 'Date episode started is after the end of the collection year.', fails: (e, ctx) => e.decom > ctx.end }),
  episodeRule({ code: '355', type: 'query', field: 'DECOM', message: 'The episode started and ceased on the same day: it lasted under 24 hours.', fails: (e) => e.decom === e.dec }),
  episodeRule({ code: '356', type: 'error', field: 'DEC', message: 'Date episode ceased is before the date it started.', fails: (e) => e.dec < e.decom }),
  episodeRule({ code: '385', type: 'error', field: 'DEC', message: 'Date episode ceased is after the end of the collection year.', fails: (e, ctx) => e.dec > ctx.end }),
  episodeRule({
    code: '446', type: 'error', field: 'LS',
    message: 'A placement order (E1) cannot start before 30 December 2005.',
    fails: (e) => e.LS === 'E1' && e.decom < E1_FROM,
  }),
  episodeRule({ code: '1009', type: 'error', field: 'REASON_PLACE_CHANGE', message: 'Reason for placement change is not a valid code.', fails: (e) => invalidCode(REASON_PLACE_CHANGE)(e.REASON_PLACE_CHANGE) }),
]

/** The earliest adoption (REC E11/E12) in this or last year's episodes. */
function adoptedOn(child: ChildRecord): number {
  let on = Infinity
  for (const list of [child.episodes, child.last?.episodes ?? []]) for (const e of list) if (ADOPTED.has(e.REC) && e.dec < on) on = e.dec
  return on
}

export const EPISODE_SEQUENCE_RULES: ChildRule[] = [
  {
    code: '142', type: 'error', table: 'Episodes', field: 'DEC', needs: ['Episodes'],
    message: 'Every episode except the latest must have a (valid) date and a reason it ceased.',
    check(child, _ctx, report) {
      const dated = datedEpisodes(child)
      for (const e of dated.slice(0, -1)) if (Number.isNaN(e.dec) || e.REC === '') report()
    },
  },
  {
    code: '199', type: 'query', table: 'Episodes', field: 'CHILD', needs: ['Episodes'],
    message: 'The child has an episode after being adopted (this or last year).',
    check(child, _ctx, report) {
      const on = adoptedOn(child)
      if (on !== Infinity) for (const e of child.episodes) if (e.decom >= on && !ADOPTED.has(e.REC)) report()
    },
  },
  episodeRule({
    code: '225', type: 'error', field: 'REASON_PLACE_CHANGE',
    message: 'A reason for placement change is needed when the placement changed (not a temporary move).',
    fails: (e, _ctx, _c, _p, next) =>
      e.REC === 'X1' && next !== undefined && ['P', 'B', 'T', 'U'].includes(next.RNE) &&
      !TEMPORARY.has(e.PLACE) && !TEMPORARY.has(next.PLACE) && e.REASON_PLACE_CHANGE === '',
  }),
  episodeRule({
    code: '226', type: 'error', field: 'REASON_PLACE_CHANGE',
    message: 'No reason for placement change on a temporary placement or on the episode before one.',
    fails: (e, _ctx, _c, _p, next) => e.REASON_PLACE_CHANGE !== '' && (TEMPORARY.has(e.PLACE) || (next !== undefined && TEMPORARY.has(next.PLACE))),
  }),
  episodeRule({
    code: '233', type: 'error', field: 'REASON_PLACE_CHANGE',
    message: 'No reason for placement change on an episode that has not ceased.',
    // Defect 2: the public validator reads a column that does not exist and crashes on every file.
    fails: (e) => e.REASON_PLACE_CHANGE !== '' && e.DEC === '',
  }),
  episodeRule({
    code: '234', type: 'error', field: 'REASON_PLACE_CHANGE', needs: ['Episodes', 'Header'],
    message: 'Reason for placement change CUSTOD is not possible for a child under 10 when the episode started.',
    fails: (e, _ctx, child) => e.REASON_PLACE_CHANGE === 'CUSTOD' && ageOn(dobOf(child), e.decom) < 10,
  }),
  {
    code: '357', type: 'error', table: 'Episodes', field: 'RNE', needs: ['Episodes'],
    message: "The child's first episode, starting in the year, must have reason for new episode S.",
    check(child, ctx, report) {
      const first = datedEpisodes(child)[0]
      if (first !== undefined && first.decom >= ctx.start && first.RNE !== 'S') report()
    },
  },
  episodeRule({
    code: '388', type: 'error', field: 'REC',
    message: 'X1 needs a new episode starting the same day; any other reason cannot be followed by one that day; the last episode cannot cease X1.',
    fails: (e, _ctx, _c, _p, next) => {
      if (Number.isNaN(e.dec) || Number.isNaN(e.decom)) return false
      if (e.REC === 'X1') return next === undefined || next.decom !== e.dec
      return e.REC !== '' && next !== undefined && next.decom === e.dec
    },
  }),
  episodeRule({
    code: '431', type: 'error', field: 'RNE',
    message: 'A new period of care (RNE S) cannot start on or before the day the previous episode ceased.',
    fails: (e, _ctx, _c, previous) => e.RNE === 'S' && previous !== undefined && (previous.DEC === '' || previous.dec >= e.decom),
  }),
  episodeRule({
    code: '432', type: 'error', field: 'RNE',
    message: 'After an episode that ended the period of care, the next episode must have RNE S.',
    fails: (e, _ctx, _c, previous) => previous !== undefined && endsCare(previous) && e.RNE !== 'S',
  }),
  episodeRule({
    code: '433', type: 'error', field: 'DECOM',
    message: "A continuing episode (RNE P, L, T, U or B) must start on the day the previous episode ceased.",
    fails: (e, _ctx, _c, previous) => CONTINUATIONS.has(e.RNE) && previous !== undefined && previous.dec !== e.decom,
  }),
  episodeRule({
    code: '434', type: 'error', field: 'RNE',
    message: 'RNE L (legal status change only) needs a changed legal status and the same placement, postcode, URN and provider.',
    fails: (e, _ctx, _c, previous) => e.RNE === 'L' && previous !== undefined && (previous.LS === e.LS || placementChanged(previous, e)),
  }),
  episodeRule({
    code: '435', type: 'error', field: 'RNE',
    message: 'RNE P or T (placement change only) needs the same legal status and a change of placement, postcode, URN or provider.',
    fails: (e, _ctx, _c, previous) => (e.RNE === 'P' || e.RNE === 'T') && previous !== undefined && (previous.LS !== e.LS || !placementChanged(previous, e)),
  }),
  episodeRule({
    code: '436', type: 'error', field: 'RNE',
    message: 'RNE B or U (legal status and placement change) needs a changed legal status and a changed placement detail.',
    fails: (e, _ctx, _c, previous) => (e.RNE === 'B' || e.RNE === 'U') && previous !== undefined && (previous.LS === e.LS || !placementChanged(previous, e)),
  }),
  episodeRule({
    code: '437', type: 'error', field: 'REC',
    message: 'No episode can follow one that ceased E2 (died) or E15 (age assessed as 18 or over).',
    fails: (e, _ctx, _c, _p, next) => (e.REC === 'E2' || e.REC === 'E15') && next !== undefined,
  }),
  episodeRule({
    code: '501', type: 'error', field: 'DECOM',
    message: 'An episode cannot start before the previous episode ceased.',
    fails: (e, _ctx, _c, previous) => previous !== undefined && e.decom < previous.dec,
  }),
  episodeRule({
    code: '504', type: 'error', field: 'CIN',
    message: 'Category of need cannot change within a period of care.',
    fails: (e, _ctx, _c, previous) => previous !== undefined && previous.REC === 'X1' && e.RNE !== 'S' && previous.CIN !== e.CIN,
  }),
]
