import { z } from 'zod'
import { isIsoDate, type IsoDate } from './iso-date.ts'
import { BankHolidayCalendar } from './working-days.ts'

/** One event in GOV.UK's https://www.gov.uk/bank-holidays.json. */
export interface BankHolidayEvent {
  title: string
  date: IsoDate
  notes: string
  bunting: boolean
}

/** GOV.UK's "england-and-wales" division, optionally with a note of where it came from. */
export interface BankHolidayData {
  division: 'england-and-wales'
  source?: string | undefined
  events: BankHolidayEvent[]
}

/** Bank holiday data that cannot be used: wrong shape, wrong division, or a gap in its years. */
export class BankHolidayDataError extends Error {
  override name = 'BankHolidayDataError'
}

const DIVISION = 'england-and-wales'

const divisionSchema = z.object({
  division: z.literal(DIVISION),
  source: z.string().optional(),
  events: z.array(
    z.object({
      title: z.string(),
      date: z.string().refine(isIsoDate, 'not a valid YYYY-MM-DD date'),
      notes: z.string().default(''),
      bunting: z.boolean().default(true),
    }),
  ),
})

/**
 * Reads either a whole GOV.UK download (`{"england-and-wales": {...}, "scotland": ...}`) or just its
 * England and Wales division (`{"division": "england-and-wales", "events": [...]}`).
 */
export function parseBankHolidayData(json: unknown, origin = 'bank holiday data'): BankHolidayData {
  const division =
    typeof json === 'object' && json !== null && DIVISION in json ? (json as Record<string, unknown>)[DIVISION] : json
  const result = divisionSchema.safeParse(division)
  if (!result.success) {
    const issue = result.error.issues[0]
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : ''
    throw new BankHolidayDataError(`${origin}: ${where}${issue?.message ?? 'invalid'}`)
  }
  return result.data
}

const yearOf = (date: IsoDate): number => Number(date.slice(0, 4))

/**
 * Builds the working-day calendar from one or more data sets. Each later set replaces, whole year
 * by whole year, every year in which it has an event, so a fresh GOV.UK download (which covers only
 * recent years) can be layered over the shipped file; give whole years. `extraDates` adds single
 * days (e.g. a newly proclaimed bank holiday) inside the covered years. The years covered must run
 * without a gap.
 */
export function createBankHolidayCalendar(
  layers: readonly BankHolidayData[],
  options: { extraDates?: readonly IsoDate[] } = {},
): BankHolidayCalendar {
  const byYear = new Map<number, IsoDate[]>()
  for (const layer of layers) {
    const layerYears = new Map<number, IsoDate[]>()
    for (const { date } of layer.events) {
      const dates = layerYears.get(yearOf(date)) ?? []
      dates.push(date)
      layerYears.set(yearOf(date), dates)
    }
    for (const [year, dates] of layerYears) byYear.set(year, dates)
  }
  const years = [...byYear.keys()].sort((a, b) => a - b)
  const firstYear = years[0]
  const lastYear = years.at(-1)
  if (firstYear === undefined || lastYear === undefined) throw new BankHolidayDataError('no bank holidays given')
  for (let year = firstYear; year <= lastYear; year++) {
    if (!byYear.has(year)) {
      throw new BankHolidayDataError(`no bank holidays given for ${year} (the data runs from ${firstYear} to ${lastYear})`)
    }
  }
  const extraDates = options.extraDates ?? []
  for (const date of extraDates) {
    if (!isIsoDate(date)) throw new BankHolidayDataError(`extra bank holiday: not a valid YYYY-MM-DD date: ${date}`)
    if (yearOf(date) < firstYear || yearOf(date) > lastYear) {
      throw new BankHolidayDataError(`extra bank holiday ${date} is outside the years covered (${firstYear} to ${lastYear})`)
    }
  }
  return new BankHolidayCalendar([...[...byYear.values()].flat(), ...extraDates], { firstYear, lastYear })
}
