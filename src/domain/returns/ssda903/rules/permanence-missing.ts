/** Previous permanence (6) and missing or away from placement (16). */
import { LA_PERM_OTHER, MISSING, PREV_PERM } from '../codesets.ts'
import { day, dayOf } from '../dates.ts'
import type { ChildRecord, Episode, MissingRow, PrevPermRow } from '../model.ts'
import type { ChildRule, Context } from '../rule.ts'
import { birthday, dobOf, endsCare, lastEpisode } from './helpers.ts'

/** English authorities' 3-digit DfE numbers (LA_PERM, rule 633), and 999 for an unknown authority. */
const LA_NUMBERS = new Set(
  (
    '201 202 203 204 205 206 207 208 209 210 211 212 213 301 302 303 304 305 306 307 308 309 310 311 312 313 314 315 316 ' +
    '317 318 319 320 330 331 332 333 334 335 336 340 341 342 343 344 350 351 352 353 354 355 356 357 358 359 370 371 372 ' +
    '373 380 381 382 383 384 390 391 392 393 394 420 800 801 802 803 805 806 807 808 810 811 812 813 815 816 821 822 823 ' +
    '825 826 830 831 835 836 837 840 841 845 846 850 851 852 855 856 857 860 861 865 866 867 868 869 870 871 872 873 874 ' +
    '876 877 878 879 880 881 882 883 884 885 886 887 888 889 890 891 892 893 894 895 896 908 909 916 919 921 925 926 928 ' +
    '929 931 933 935 936 937 938 999'
  ).split(' '),
)

const PERMANENCE = new Set(['P1', 'P2', 'P3', 'P4'])

/** DATE_PERM allows ZZ for an unknown day, or day and month: the earliest date it can be, NaN if impossible. */
function earliestPermanence(value: string): number {
  const m = /^(\d{2}|ZZ)\/(\d{2}|ZZ)\/(\d{4})$/.exec(value)
  if (!m) return NaN
  if (m[1] !== 'ZZ' && m[2] === 'ZZ') return NaN
  const month = m[2] === 'ZZ' ? 1 : Number(m[2])
  if (m[1] === 'ZZ') return month >= 1 && month <= 12 ? dayOf(Number(m[3]), month, 1) : NaN
  return day(value)
}

/** Whether an episode started a period of care in the year. */
const startsInYear = (e: Episode, ctx: Context) => e.decom >= ctx.start && e.decom <= ctx.end

const prevPermRule = (r: Omit<ChildRule, 'table' | 'needs' | 'check'> & { needs?: ChildRule['needs']; fails: (row: PrevPermRow, child: ChildRecord, ctx: Context) => boolean }): ChildRule => ({
  code: r.code, type: r.type, table: 'PrevPerm', field: r.field, message: r.message, needs: r.needs ?? ['PrevPerm'], rows: 'prevPerm',
  check(child, ctx, report) {
    for (const row of child.prevPerm) if (r.fails(row, child, ctx)) report()
  },
})

export const PREVIOUS_PERMANENCE_RULES: ChildRule[] = [
  {
    code: '630', type: 'error', table: 'PrevPerm', field: 'PREV_PERM', needs: ['PrevPerm', 'Episodes'],
    message: 'A child who started to be looked after in the year needs a previous permanence row; P1-P4 need the authority and date.',
    check(child, ctx, report) {
      if (!child.episodes.some((e) => e.RNE === 'S' && startsInYear(e, ctx))) return
      // A row whose PREV_PERM is not a code (631) does not answer the question either.
      if (!child.prevPerm.some((r) => PREV_PERM.has(r.PREV_PERM))) report('RNE', 'Episodes')
      for (const r of child.prevPerm) if (PERMANENCE.has(r.PREV_PERM) && (r.LA_PERM === '' || r.DATE_PERM === '')) report()
    },
  },
  prevPermRule({ code: '631', type: 'error', field: 'PREV_PERM', message: 'Previous permanence must be P1, P2, P3, P4 or Z1.', fails: (r) => r.PREV_PERM !== '' && !PREV_PERM.has(r.PREV_PERM) }),
  prevPermRule({
    code: '632', type: 'error', field: 'DATE_PERM', needs: ['PrevPerm', 'Episodes'],
    message: 'The date of the previous permanence order must be a valid date (ZZ for an unknown day or month) before the child started to be looked after.',
    fails: (r, c) => {
      if (r.DATE_PERM === '') return false
      const date = earliestPermanence(r.DATE_PERM)
      if (Number.isNaN(date)) return true
      const first = c.episodes.find((e) => !Number.isNaN(e.decom))
      return first !== undefined && date >= first.decom
    },
  }),
  prevPermRule({ code: '633', type: 'error', field: 'LA_PERM', message: 'The authority that made the previous permanence order is not a valid code.', fails: (r) => r.LA_PERM !== '' && !LA_NUMBERS.has(r.LA_PERM) && !LA_PERM_OTHER.has(r.LA_PERM) }),
  prevPermRule({
    code: '634', type: 'error', field: 'PREV_PERM', needs: ['PrevPerm', 'Episodes'],
    message: 'Previous permanence data are only for children with an episode starting in the year.',
    fails: (r, c, ctx) => (r.PREV_PERM !== '' || r.LA_PERM !== '' || r.DATE_PERM !== '') && !c.episodes.some((e) => startsInYear(e, ctx)),
  }),
  prevPermRule({ code: '635', type: 'error', field: 'PREV_PERM', message: 'The authority or date of a previous permanence order is given but not the order.', fails: (r) => r.PREV_PERM === '' && (r.LA_PERM !== '' || r.DATE_PERM !== '') }),
]

const missingRule = (r: Omit<ChildRule, 'table' | 'needs' | 'check'> & { needs?: ChildRule['needs']; fails: (row: MissingRow, child: ChildRecord, ctx: Context) => boolean }): ChildRule => ({
  code: r.code, type: r.type, table: 'Missing', field: r.field, message: r.message, needs: r.needs ?? ['Missing'], rows: 'missing',
  check(child, ctx, report) {
    for (const row of child.missing) if (r.fails(row, child, ctx)) report()
  },
})

/** The child's periods of care: [start, end] with end Infinity while open. */
function periods(child: ChildRecord): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = []
  let current: { start: number; end: number } | undefined
  for (const e of child.episodes) {
    if (Number.isNaN(e.decom)) continue
    if (current === undefined || e.RNE === 'S' || e.decom > current.end) {
      current = { start: e.decom, end: Infinity }
      out.push(current)
    }
    current.end = e.DEC === '' || Number.isNaN(e.dec) ? Infinity : e.dec
    if (e.REC === 'X1') current.end = Math.max(current.end, e.dec)
  }
  return out
}
const periodOf = (child: ChildRecord, date: number) => periods(child).find((p) => p.start <= date && date <= p.end)
const start = (r: MissingRow) => day(r.MIS_START)
const end = (r: MissingRow) => day(r.MIS_END)
const WITH_EPISODES = ['Missing', 'Episodes'] as const

export const MISSING_RULES: ChildRule[] = [
  missingRule({ code: '564', type: 'error', field: 'MIS_START', message: 'A missing or away record needs a start date.', fails: (r) => r.MIS_START === '' }),
  missingRule({ code: '565', type: 'error', field: 'MISSING', message: 'A missing start date needs the type (M or A).', fails: (r) => r.MIS_START !== '' && r.MISSING === '' }),
  missingRule({ code: '566', type: 'error', field: 'MISSING', message: 'A missing end date needs the type (M or A).', fails: (r) => r.MIS_END !== '' && r.MISSING === '' }),
  missingRule({ code: '567', type: 'error', field: 'MIS_END', message: 'The end of a missing or away record cannot be before its start.', fails: (r) => end(r) < start(r) }),
  missingRule({ code: '570', type: 'error', field: 'MIS_START', message: 'A missing or away record cannot start after the end of the year.', fails: (r, _c, ctx) => start(r) > ctx.end }),
  missingRule({ code: '571', type: 'error', field: 'MIS_END', message: 'The end of a missing or away record must fall inside the collection year.', fails: (r, _c, ctx) => end(r) < ctx.start || end(r) > ctx.end }),
  {
    code: '574', type: 'error', table: 'Missing', field: 'MIS_START', needs: ['Missing'],
    message: "A child's missing or away records cannot overlap, and only the latest may be open.",
    check(child, _ctx, report) {
      const list = child.missing.filter((r) => !Number.isNaN(start(r))).sort((a, b) => start(a) - start(b) || a.index - b.index)
      for (let i = 1; i < list.length; i++) {
        const previous = list[i - 1]!
        if (previous.MIS_END === '' || start(list[i]!) < end(previous)) report()
      }
    },
  },
  missingRule({
    code: '575', type: 'error', field: 'MIS_END', needs: WITH_EPISODES,
    message: 'The period of care in which the child went missing has ended, so the missing record needs an end date.',
    fails: (r, c) => r.MIS_END === '' && (periodOf(c, start(r))?.end ?? Infinity) !== Infinity,
  }),
  missingRule({
    code: '577', type: 'error', field: 'MIS_END', needs: WITH_EPISODES,
    message: 'A missing or away record cannot go on after the child stopped being looked after.',
    fails: (r, c) => {
      const period = periodOf(c, start(r))
      if (period === undefined || period.end === Infinity) return false
      return r.MIS_END === '' ? false : end(r) > period.end
    },
  }),
  missingRule({
    code: '578', type: 'error', field: 'MIS_START', needs: WITH_EPISODES,
    message: 'A missing or away record cannot start outside a period of care.',
    fails: (r, c) => !Number.isNaN(start(r)) && c.episodes.length > 0 && periodOf(c, start(r)) === undefined,
  }),
  {
    code: '580', type: 'error', table: 'Episodes', field: 'REC', needs: ['Missing', 'Episodes', 'Header'],
    message: 'Care ending on the 18th birthday while the young person is still missing needs reason E8.',
    check(child, _ctx, report) {
      const last = lastEpisode(child)
      if (last === undefined || !endsCare(last) || last.REC === 'E8' || last.dec !== birthday(child, 18)) return
      if (child.missing.some((r) => start(r) <= last.dec && (r.MIS_END === '' || end(r) >= last.dec))) report()
    },
  },
  missingRule({
    code: '581', type: 'error', field: 'MIS_START', needs: WITH_EPISODES,
    message: 'A missing or away record must start during an episode of care.',
    fails: (r, c) =>
      !Number.isNaN(start(r)) && c.episodes.length > 0 &&
      !c.episodes.some((e) => e.decom <= start(r) && (e.DEC === '' || start(r) <= e.dec)),
  }),
  missingRule({ code: '586', type: 'error', field: 'MIS_START', needs: ['Missing', 'Header'], message: 'A missing or away record cannot start before the child was born.', fails: (r, c) => start(r) < dobOf(c) }),
  missingRule({ code: '1004', type: 'error', field: 'MIS_START', message: 'Missing start date is not a valid date.', fails: (r) => r.MIS_START !== '' && Number.isNaN(start(r)) }),
  missingRule({ code: '1005', type: 'error', field: 'MIS_END', message: 'Missing end date is not a valid date.', fails: (r) => r.MIS_END !== '' && Number.isNaN(end(r)) }),
  missingRule({ code: '1006', type: 'error', field: 'MISSING', message: 'Missing type must be M (missing) or A (away without authorisation).', fails: (r) => r.MISSING !== '' && !MISSING.has(r.MISSING) }),
]
