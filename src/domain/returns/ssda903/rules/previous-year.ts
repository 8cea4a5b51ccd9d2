/** Consistency with last year's return (30, less 205C which cannot fire on CSV files). */
import { UPN_UNKNOWN } from '../codesets.ts'
import { addYears, day } from '../dates.ts'
import type { ChildRecord, Episode } from '../model.ts'
import type { ChildRule, Context } from '../rule.ts'
import type { TableName } from '../model.ts'

type Check = (child: ChildRecord, last: NonNullable<ChildRecord['last']>, ctx: Context, report: (field?: string, table?: TableName) => void) => void

/** A rule comparing the child with last year's return; it runs only with last year's tables given. */
const previousRule = (r: { code: string; table: TableName; field: string; needs: readonly TableName[]; message: string; check: Check }): ChildRule => ({
  code: r.code, type: 'error', table: r.table, field: r.field, message: r.message, needs: r.needs, needsLast: r.needs,
  check(child, ctx, report) {
    if (child.last !== undefined) r.check(child, child.last, ctx, report)
  },
})

const headerChange = (code: string, field: 'SEX' | 'DOB' | 'ETHNIC', message: string) =>
  previousRule({
    code, table: 'Header', field, needs: ['Header'], message,
    check(child, last, _ctx, report) {
      const [now, then] = [child.header[0]?.[field] ?? '', last.header[0]?.[field] ?? '']
      if (now !== '' && then !== '' && now !== then) report()
    },
  })

/** Last year's open episode, and this year's first, when this year's began before the year. */
function carriedOver(child: ChildRecord, last: NonNullable<ChildRecord['last']>, ctx: Context): { then: Episode; now: Episode } | undefined {
  const then = last.episodes.at(-1)
  const now = child.episodes[0]
  if (then === undefined || now === undefined || then.DEC !== '' || !(now.decom < ctx.start)) return undefined
  return { then, now }
}

const firstEpisodeSame = (code: string, field: string, differs: (then: Episode, now: Episode) => boolean, message: string) =>
  previousRule({
    code, table: 'Episodes', field, needs: ['Episodes'], message,
    check(child, last, ctx, report) {
      const pair = carriedOver(child, last, ctx)
      if (pair !== undefined && pair.then.decom === pair.now.decom && differs(pair.then, pair.now)) report()
    },
  })

const field = (name: 'RNE' | 'LS' | 'CIN' | 'PLACE_PROVIDER' | 'URN') => (a: Episode, b: Episode) => a[name] !== b[name]
const Z1_SUCCESSORS = new Set(['Z11', 'Z12', 'Z13', 'Z14'])
const decisionDates = (rows: readonly { DATE_PLACED: string }[]) => new Set(rows.map((r) => day(r.DATE_PLACED)).filter((d) => !Number.isNaN(d)))

export const PREVIOUS_YEAR_RULES: ChildRule[] = [
  headerChange('202', 'SEX', 'Sex differs from last year\'s return.'),
  headerChange('203', 'DOB', 'Date of birth differs from last year\'s return.'),
  headerChange('204', 'ETHNIC', 'Ethnicity differs from last year\'s return.'),
  previousRule({
    code: '205A', table: 'UASC', field: 'DUC', needs: ['UASC', 'Header'],
    message: 'Unaccompanied asylum-seeking last year but not this year: the status must have ceased during last year.',
    check(child, last, ctx, report) {
      if (child.uasc.length > 0 || last.uasc.length === 0 || last.header.length === 0) return
      const ceased = day(last.uasc[0]!.DUC)
      if (!(ceased >= addYears(ctx.start, -1) && ceased <= addYears(ctx.end, -1))) report('CHILD', 'Header')
    },
  }),
  previousRule({
    code: '205B', table: 'UASC', field: 'DUC', needs: ['UASC', 'Header'],
    message: 'Unaccompanied asylum-seeking in both years: the date status ceased must be last year\'s, or fall in this year.',
    check(child, last, ctx, report) {
      const [now, then] = [child.uasc[0], last.uasc[0]]
      if (now === undefined || then === undefined) return
      const d = day(now.DUC)
      if (now.DUC !== then.DUC && !(d >= ctx.start && d <= ctx.end)) report()
    },
  }),
  previousRule({
    code: '205D', table: 'UASC', field: 'CHILD', needs: ['UASC', 'Header'],
    message: 'Unaccompanied asylum-seeking this year but not in last year\'s return, where the child was.',
    check(child, last, _ctx, report) {
      if (child.uasc.length > 0 && last.header.length > 0 && last.uasc.length === 0) report()
    },
  }),
  previousRule({
    code: '207', table: 'Header', field: 'MOTHER', needs: ['Header', 'Episodes'],
    message: 'MOTHER was 1 last year and is not 1 now, with the child still looked after.',
    check(child, last, _ctx, report) {
      if (last.header[0]?.MOTHER === '1' && child.header[0] !== undefined && child.header[0].MOTHER !== '1' && child.episodes.length > 0) report()
    },
  }),
  previousRule({
    code: '208', table: 'Header', field: 'UPN', needs: ['Header'],
    message: 'UPN differs from last year (only unknown to known, or UN1 to UN2-UN5, may change).',
    check(child, last, _ctx, report) {
      const [now, then] = [child.header[0]?.UPN ?? '', last.header[0]?.UPN ?? '']
      if (now === '' || then === '' || now === then) return
      if (UPN_UNKNOWN.has(then) && !UPN_UNKNOWN.has(now)) return
      if (then === 'UN1' && UPN_UNKNOWN.has(now)) return
      report()
    },
  }),
  firstEpisodeSame('452', 'PL_POST', (a, b) => a.plLa !== b.plLa, 'The local authority of placement differs from last year\'s open episode.'),
  firstEpisodeSame('453', 'PL_POST', (a, b) => !Number.isNaN(a.plDistance) && !Number.isNaN(b.plDistance) && Math.abs(a.plDistance - b.plDistance) >= 0.2, 'The placement distance differs by 0.2 miles or more from last year\'s open episode.'),
  previousRule({
    code: '502', table: 'Episodes', field: 'DECOM', needs: ['Episodes'],
    message: 'Last year\'s open episode must start on the same date as this year\'s first episode.',
    check(child, last, ctx, report) {
      const pair = carriedOver(child, last, ctx)
      if (pair !== undefined && pair.then.decom !== pair.now.decom) report()
    },
  }),
  firstEpisodeSame('503A', 'RNE', field('RNE'), 'The first episode\'s reason for new episode differs from last year\'s open episode.'),
  firstEpisodeSame('503B', 'LS', field('LS'), 'The first episode\'s legal status differs from last year\'s open episode.'),
  firstEpisodeSame('503C', 'CIN', field('CIN'), 'The first episode\'s category of need differs from last year\'s open episode.'),
  firstEpisodeSame('503D', 'PLACE', (a, b) => a.PLACE !== b.PLACE && !(a.PLACE === 'Z1' && Z1_SUCCESSORS.has(b.PLACE)), 'The first episode\'s placement type differs from last year\'s open episode (Z1 may become Z11-Z14).'),
  firstEpisodeSame('503E', 'PLACE_PROVIDER', field('PLACE_PROVIDER'), 'The first episode\'s placement provider differs from last year\'s open episode.'),
  firstEpisodeSame('503F', 'URN', field('URN'), 'The first episode\'s URN differs from last year\'s open episode.'),
  firstEpisodeSame('503G', 'PL_POST', (a, b) => a.plDistance !== b.plDistance && !(Number.isNaN(a.plDistance) && Number.isNaN(b.plDistance)), 'The first episode\'s placement distance differs from last year\'s open episode.'),
  firstEpisodeSame('503H', 'PL_POST', (a, b) => a.plLa !== b.plLa, 'The first episode\'s local authority of placement differs from last year\'s open episode.'),
  firstEpisodeSame('503J', 'PL_POST', (a, b) => a.plLocation !== b.plLocation, 'The first episode\'s placement location (in or out of the authority) differs from last year\'s open episode.'),
  previousRule({
    code: '559', table: 'PlacedAdoption', field: 'DATE_PLACED', needs: ['PlacedAdoption'],
    message: 'A decision to place for adoption made before this year must be in last year\'s return.',
    check(child, last, ctx, report) {
      const before = decisionDates(last.placed)
      for (const r of child.placed) if (day(r.DATE_PLACED) < ctx.start && !before.has(day(r.DATE_PLACED))) report()
    },
  }),
  previousRule({
    code: '560', table: 'PlacedAdoption', field: 'DATE_PLACED', needs: ['PlacedAdoption'],
    message: 'A decision to place for adoption open at the end of last year must keep its date this year.',
    check(child, last, _ctx, report) {
      const now = decisionDates(child.placed)
      if (child.placed.length === 0) return
      for (const r of last.placed) if (r.DATE_PLACED_CEASED === '' && r.DATE_PLACED !== '' && !now.has(day(r.DATE_PLACED))) report()
    },
  }),
  previousRule({
    code: '561', table: 'PlacedAdoption', field: 'DATE_PLACED', needs: ['PlacedAdoption'],
    message: 'A decision to place for adoption that ceased last year cannot appear again with the same date.',
    check(child, last, _ctx, report) {
      const ceased = decisionDates(last.placed.filter((r) => r.DATE_PLACED_CEASED !== ''))
      for (const r of child.placed) if (ceased.has(day(r.DATE_PLACED))) report()
    },
  }),
  previousRule({
    code: '562', table: 'Episodes', field: 'DECOM', needs: ['Episodes'],
    message: 'An episode that started before this year must be the latest episode of last year\'s return.',
    check(child, last, ctx, report) {
      const latest = last.episodes.at(-1)
      if (latest === undefined) return
      for (const e of child.episodes) if (e.decom < ctx.start && e.decom !== latest.decom) report()
    },
  }),
  previousRule({
    code: '576', table: 'Missing', field: 'MIS_START', needs: ['Missing'],
    message: 'A missing or away record open at the end of last year must be this year\'s first.',
    check(child, last, _ctx, report) {
      const open = last.missing.find((r) => r.MIS_END === '' && r.MIS_START !== '')
      if (open === undefined || child.missing.length === 0) return
      const first = [...child.missing].sort((a, b) => day(a.MIS_START) - day(b.MIS_START))[0]!
      if (day(first.MIS_START) !== day(open.MIS_START)) report()
    },
  }),
  previousRule({
    code: '584', table: 'PlacedAdoption', field: 'DATE_PLACED', needs: ['PlacedAdoption'],
    message: 'After a decision to place for adoption ceased last year, a new decision must be made after it ceased.',
    // Defect 10: the public validator compares dd/mm/yyyy text and reports rows of a merged table; we compare dates.
    check(child, last, _ctx, report) {
      const ceased = last.placed.map((r) => day(r.DATE_PLACED_CEASED)).filter((d) => !Number.isNaN(d))
      if (ceased.length === 0) return
      const latestCeased = Math.max(...ceased)
      const before = decisionDates(last.placed)
      for (const r of child.placed) if (!before.has(day(r.DATE_PLACED)) && day(r.DATE_PLACED) <= latestCeased) report()
    },
  }),
  previousRule({
    code: '624', table: 'Header', field: 'MC_DOB', needs: ['Header'],
    message: 'The date of birth of the mother\'s child differs from last year\'s return.',
    check(child, last, _ctx, report) {
      const [now, then] = [child.header[0]?.MC_DOB ?? '', last.header[0]?.MC_DOB ?? '']
      if (now !== '' && then !== '' && day(now) !== day(then)) report()
    },
  }),
  previousRule({
    code: '626', table: 'Header', field: 'MOTHER', needs: ['Header'],
    message: 'Now a mother with a child born before this year, but MOTHER was 0 last year.',
    check(child, last, ctx, report) {
      const h = child.header[0]
      if (h?.MOTHER === '1' && day(h.MC_DOB) < ctx.start && last.header[0]?.MOTHER === '0') report()
    },
  }),
]

/** NoE: an episode starting before this year, but no episode for the child in last year's return. */
export const NO_EPISODES_LAST_YEAR: ChildRule = {
  code: 'NoE', type: 'error', table: 'Episodes', field: 'DECOM', needs: ['Episodes'], needsLast: ['Episodes'],
  message: 'An episode started before this year but last year\'s return has no episodes for the child.',
  check(child, ctx, report) {
    if ((child.last?.episodes.length ?? 0) > 0) return
    for (const e of child.episodes) if (e.decom < ctx.start) report()
  },
}
