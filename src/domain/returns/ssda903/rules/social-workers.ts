/** Social worker episodes (SWEpisodes, from 2023-24) (14). */
import { SW_REASON } from '../codesets.ts'
import { addYears, day, dayOf } from '../dates.ts'
import type { ChildRecord, SwRow } from '../model.ts'
import type { ChildRule, Context } from '../rule.ts'
import { endsCare, isShortBreak, lastEpisode } from './helpers.ts'

const FROM_2023 = dayOf(2023, 4, 1)
const decom = (r: SwRow) => day(r.SW_DECOM)
const dec = (r: SwRow) => day(r.SW_DEC)
/** A child's worker episodes in SW_DECOM order (unreadable dates last). */
const byDecom = (a: SwRow, b: SwRow) => (Number.isNaN(decom(a)) ? Infinity : decom(a)) - (Number.isNaN(decom(b)) ? Infinity : decom(b)) || a.index - b.index
/** The child's worker episodes by SW_DECOM; sorted once per child (four rules ask in turn), never to be changed. */
let sortedOf: readonly SwRow[] | undefined
let sorted: readonly SwRow[] = []
const ordered = (child: ChildRecord): readonly SwRow[] => {
  if (child.sw !== sortedOf) {
    sortedOf = child.sw
    sorted = [...child.sw].sort(byDecom)
  }
  return sorted
}

const swRule = (r: Omit<ChildRule, 'table' | 'needs' | 'check'> & { needs?: ChildRule['needs']; fails: (row: SwRow, child: ChildRecord, ctx: Context) => boolean }): ChildRule => ({
  code: r.code, type: r.type, table: 'SWEpisodes', field: r.field, message: r.message, needs: r.needs ?? ['SWEpisodes'], rows: 'sw',
  check(child, ctx, report) {
    for (const row of child.sw) if (r.fails(row, child, ctx)) report()
  },
})

/** Looked after on 31 March: the latest episode (not a short break) is open then. */
const lookedAfterAtEnd = (child: ChildRecord, ctx: Context) => {
  const last = lastEpisode(child)
  return last !== undefined && !isShortBreak(last) && (last.DEC === '' || last.dec >= ctx.end)
}

export const SOCIAL_WORKER_RULES: ChildRule[] = [
  swRule({ code: 'SW01aSTG1', type: 'error', field: 'SW_ID', message: 'A social worker episode before 1 April 2023 needs the worker id and start date.', fails: (r) => decom(r) < FROM_2023 && r.SW_ID === '' }),
  swRule({
    code: 'SW01bSTG1', type: 'error', field: 'SW_REASON',
    message: 'A social worker episode from 1 April 2023 needs the worker id, start date and reason.',
    fails: (r) => !(decom(r) < FROM_2023) && (r.SW_ID === '' || r.SW_DECOM === '' || r.SW_REASON === ''),
  }),
  swRule({ code: 'SW02STG1', type: 'error', field: 'SW_ID', message: 'The social worker id must start SW (or XX).', fails: (r) => r.SW_ID !== '' && !/^(SW|XX)/.test(r.SW_ID) }),
  swRule({ code: 'SW04STG1', type: 'error', field: 'SW_DECOM', message: 'Social worker episode start date is not a valid date.', fails: (r) => r.SW_DECOM !== '' && Number.isNaN(decom(r)) }),
  swRule({ code: 'SW05STG1', type: 'error', field: 'SW_DEC', message: 'Social worker episode end date is not a valid date.', fails: (r) => r.SW_DEC !== '' && Number.isNaN(dec(r)) }),
  swRule({ code: 'SW06STG2', type: 'error', field: 'SW_DECOM', message: 'A social worker episode cannot start after the end of the year.', fails: (r, _c, ctx) => decom(r) > ctx.end }),
  swRule({
    code: 'SW07STG2', type: 'error', field: 'SW_DEC',
    message: 'A social worker episode must end between a year before the collection year and its end.',
    fails: (r, _c, ctx) => dec(r) < addYears(ctx.start, -1) || dec(r) > ctx.end,
  }),
  {
    code: 'SW08STG2', type: 'error', table: 'SWEpisodes', field: 'SW_DEC', needs: ['SWEpisodes'],
    message: "Only a child's latest social worker episode may be open.",
    check(child, _ctx, report) {
      for (const r of ordered(child).slice(0, -1)) if (r.SW_DEC === '') report()
    },
  },
  swRule({ code: 'SW09STG2', type: 'query', field: 'SW_DEC', message: 'The social worker episode started and ended on the same day.', fails: (r) => !Number.isNaN(decom(r)) && decom(r) === dec(r) }),
  {
    code: 'SW10STG2', type: 'error', table: 'SWEpisodes', field: 'SW_DECOM', needs: ['SWEpisodes'],
    message: 'A new social worker episode must start within 7 days of the previous one ending, unless it is a first contact (FCONTA).',
    check(child, _ctx, report) {
      const list = ordered(child)
      for (let i = 1; i < list.length; i++) {
        const [previous, current] = [list[i - 1]!, list[i]!]
        if (current.SW_REASON !== 'FCONTA' && decom(current) - dec(previous) > 7) report()
      }
    },
  },
  {
    code: 'SW11bSTG2', type: 'error', table: 'SWEpisodes', field: 'SW_DEC', needs: ['SWEpisodes'],
    message: 'A social worker episode ending in the last 5 days of the year needs a following episode.',
    check(child, ctx, report) {
      const list = ordered(child)
      const last = list.at(-1)
      if (last !== undefined && dec(last) > ctx.end - 5 && dec(last) <= ctx.end) report()
    },
  },
  {
    code: 'SW12STG2', type: 'error', table: 'Episodes', field: 'SW_DECOM', needs: ['SWEpisodes', 'Episodes'],
    message: 'Care starting or ending from a year before the collection year must be covered by social worker episodes: a worker when care began, and no new worker after care ended.',
    // Defects 16 and 17: the public validator's version works only after rule 365 has filled every
    // blank DEC (alone it flags every open episode not starting care) and compares every worker
    // episode with every care episode. Ours asks, for each start of care, for a worker episode open
    // that day, and for each end of the child's care, that no worker episode starts after it.
    check(child, ctx, report) {
      const from = addYears(ctx.start, -1)
      const sw = child.sw.filter((r) => !Number.isNaN(decom(r)))
      const list = child.episodes
      for (let i = 0; i < list.length; i++) {
        const e = list[i]!
        if (isShortBreak(e) || Number.isNaN(e.decom)) continue
        if (!(e.DEC === '' || (e.dec >= from && e.dec <= ctx.end))) continue
        if (e.RNE === 'S' && e.decom >= from && !sw.some((r) => decom(r) <= e.decom && (r.SW_DEC === '' || dec(r) >= e.decom))) report()
        else if (endsCare(e) && i === list.length - 1 && sw.some((r) => decom(r) > e.dec)) report()
      }
    },
  },
  swRule({
    code: 'SW13STG1', type: 'error', field: 'SW_REASON',
    message: 'The reason for a new social worker is not a valid code (required from 1 April 2023).',
    // Defect 4: the public validator crashes on an impossible SW_DECOM; here that row's date is just unknown.
    fails: (r) => (r.SW_REASON !== '' && !SW_REASON.has(r.SW_REASON)) || (r.SW_REASON === '' && decom(r) >= FROM_2023),
  }),
  {
    code: 'SW17STG2', type: 'error', table: 'SWEpisodes', field: 'SW_DEC', needs: ['SWEpisodes', 'Episodes'],
    message: 'A child looked after on 31 March must have their latest social worker episode open.',
    // Defect 16: the public validator asks this of every child in the table, including those who left care.
    check(child, ctx, report) {
      const last = ordered(child).at(-1)
      if (last !== undefined && last.SW_DEC !== '' && lookedAfterAtEnd(child, ctx)) report()
    },
  },
]
