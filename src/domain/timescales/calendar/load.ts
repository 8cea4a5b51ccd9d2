// The calendar's only I/O: reading bank holiday files. Everything else in src/domain is pure.
import { readFileSync } from 'node:fs'
import { delimiter } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  BankHolidayDataError,
  createBankHolidayCalendar,
  parseBankHolidayData,
  type BankHolidayData,
} from './bank-holidays.ts'
import type { IsoDate } from './iso-date.ts'
import type { BankHolidayCalendar } from './working-days.ts'

/** The bank holidays shipped with Together (England and Wales, 2000 to 2032). */
export const SHIPPED_BANK_HOLIDAYS_FILE = fileURLToPath(
  new URL('../../../../reference-data/bank-holidays-england-and-wales.json', import.meta.url),
)

/**
 * Environment variable naming further bank holiday files (separated like PATH) to layer over the
 * shipped one, e.g. a fresh download of https://www.gov.uk/bank-holidays.json.
 */
export const BANK_HOLIDAYS_ENV = 'TOGETHER_BANK_HOLIDAYS'

export function readBankHolidayFile(path: string): BankHolidayData {
  let json: unknown
  try {
    json = JSON.parse(readFileSync(path, 'utf8'))
  } catch (err) {
    throw new BankHolidayDataError(`cannot read bank holidays from ${path}: ${(err as Error).message}`)
  }
  return parseBankHolidayData(json, path)
}

/**
 * A working-day calendar from bank holiday files, later files replacing the years they cover
 * (see createBankHolidayCalendar). The default is the shipped file alone.
 */
export function loadBankHolidayCalendar(
  options: { files?: readonly string[]; extraDates?: readonly IsoDate[] } = {},
): BankHolidayCalendar {
  const files = options.files ?? [SHIPPED_BANK_HOLIDAYS_FILE]
  return createBankHolidayCalendar(files.map(readBankHolidayFile), { extraDates: options.extraDates ?? [] })
}

let defaultCalendar: BankHolidayCalendar | undefined

/** The shipped file plus any files named in TOGETHER_BANK_HOLIDAYS, read once per process. */
export function defaultBankHolidayCalendar(): BankHolidayCalendar {
  if (!defaultCalendar) {
    const extra = (process.env[BANK_HOLIDAYS_ENV] ?? '').split(delimiter).filter((path) => path !== '')
    defaultCalendar = loadBankHolidayCalendar({ files: [SHIPPED_BANK_HOLIDAYS_FILE, ...extra] })
  }
  return defaultCalendar
}
