/** Temporary placements and short breaks (V3/V4) (14). */
import type { ChildRule } from '../rule.ts'
import { episodeRule } from './episodes.ts'
import { TEMPORARY, isShortBreak, onlyShortBreaks } from './helpers.ts'
import type { Context } from '../rule.ts'
import type { Episode } from '../model.ts'

/**
 * Days from DECOM to DEC, an open episode measured to 31 March. The public validator measures open
 * episodes so only when rule 365 happened to run first (defect 17); we always do.
 */
const days = (e: Episode, ctx: Context) => (e.DEC === '' ? ctx.end : e.dec) - e.decom

const tooLong = (code: string, place: string, max: number, message: string): ChildRule =>
  episodeRule({ code, type: 'error', field: 'PLACE', needs: ['Episodes', 'Header'], message, fails: (e, ctx) => e.PLACE === place && days(e, ctx) > max })

export const TEMPORARY_RULES: ChildRule[] = [
  episodeRule({
    code: '365', type: 'error', field: 'DEC',
    message: 'A single short break (V3) cannot last more than 17 days.',
    // Defect 17: the public validator writes 31 March into every blank DEC for all later rules; we change nothing.
    fails: (e, ctx) => e.LS === 'V3' && days(e, ctx) > 17,
  }),
  episodeRule({ code: '366', type: 'error', field: 'RNE', message: 'Each short break (V3) is its own period of care: reason for new episode must be S.', fails: (e) => e.LS === 'V3' && e.RNE !== 'S' }),
  {
    code: '367', type: 'error', table: 'Episodes', field: 'DEC', needs: ['Episodes'],
    message: 'No more than 75 days of short breaks (V3) in the year.',
    check(child, ctx, report) {
      // An unreadable DEC (147) leaves the break out rather than counting it as open.
      const breaks = child.episodes.filter((e) => e.LS === 'V3' && !Number.isNaN(e.decom) && (e.DEC === '' || !Number.isNaN(e.dec)))
      const lengths = breaks.map((e) => Math.min(e.DEC === '' ? ctx.end : e.dec, ctx.end) - Math.max(e.decom, ctx.start))
      const total = lengths.reduce((sum, n) => sum + (n > 0 ? n : 0), 0)
      if (total > 75) for (const n of lengths) if (n > 0) report()
    },
  },
  tooLong('375', 'T1', 42, 'A temporary placement in hospital (T1) cannot last more than 6 weeks.'),
  tooLong('376', 'T3', 21, "A temporary placement for a foster carer's holiday (T3) cannot last more than 3 weeks."),
  {
    code: '377', type: 'error', table: 'Episodes', field: 'PLACE', needs: ['Episodes'],
    message: "No more than two temporary placements for a foster carer's holiday (T3) in the year.",
    check(child, _ctx, report) {
      const t3 = child.episodes.filter((e) => e.PLACE === 'T3')
      if (t3.length > 2) for (const _ of t3) report()
    },
  },
  tooLong('379', 'T4', 7, 'A temporary placement for another reason (T4) cannot last more than 7 days.'),
  episodeRule({
    code: '380', type: 'error', field: 'RNE',
    message: 'A temporary placement is a change of placement (reason for new episode P or B), never the start of care.',
    fails: (e) => TEMPORARY.has(e.PLACE) && e.RNE !== 'P' && e.RNE !== 'B',
  }),
  episodeRule({ code: '381', type: 'error', field: 'REC', message: 'Care cannot end from a temporary placement: its reason episode ceased must be X1.', fails: (e) => TEMPORARY.has(e.PLACE) && e.REC !== '' && e.REC !== 'X1' }),
  episodeRule({ code: '382', type: 'error', field: 'PLACE', message: 'A short break (V3/V4) cannot be a temporary placement.', fails: (e) => isShortBreak(e) && TEMPORARY.has(e.PLACE) }),
  {
    code: '383', type: 'error', table: 'Episodes', field: 'PLACE', needs: ['Episodes'],
    message: 'After a temporary placement the child returns to the same placement and postcode, with reason for new episode P.',
    check(child, _ctx, report) {
      const list = child.episodes
      for (let i = 1; i < list.length - 1; i++) {
        const [before, temporary, after] = [list[i - 1]!, list[i]!, list[i + 1]!]
        if (!TEMPORARY.has(temporary.PLACE) || TEMPORARY.has(before.PLACE) || temporary.REC !== 'X1') continue
        if (after.PLACE !== before.PLACE || after.PL_POST !== before.PL_POST || after.RNE !== 'P') report()
      }
    },
  },
  episodeRule({ code: '384', type: 'error', field: 'PLACE', message: 'A short break (V3/V4) cannot be long-term fostering (U1/U4).', fails: (e) => isShortBreak(e) && (e.PLACE === 'U1' || e.PLACE === 'U4') }),
  {
    code: '399', type: 'error', table: 'Header', field: 'MOTHER', needs: ['Episodes', 'Header', 'Reviews'],
    message: 'A child only ever on short breaks (V3/V4) must have no MOTHER, reviews or participation codes.',
    check(child, _ctx, report) {
      if (!onlyShortBreaks(child)) return
      for (const h of child.header) if (h.MOTHER !== '') report()
      for (const _ of child.reviews) report('REVIEW', 'Reviews')
    },
  },
  {
    code: '426', type: 'error', table: 'Episodes', field: 'LS', needs: ['Episodes'],
    message: 'A child cannot have both V3 and V4 short-break episodes in the year.',
    check(child, _ctx, report) {
      if (child.episodes.some((e) => e.LS === 'V3') && child.episodes.some((e) => e.LS === 'V4')) {
        for (const e of child.episodes) if (isShortBreak(e)) report()
      }
    },
  },
]
