export {
  addDays,
  addMonths,
  addWeeks,
  calendarDaysBetween,
  daysInMonth,
  InvalidDateError,
  isIsoDate,
  isWeekend,
  parseIsoDate,
  toDayNumber,
  fromDayNumber,
  type IsoDate,
} from './iso-date.ts'
export { BankHolidayCalendar, CalendarRangeError } from './working-days.ts'
export {
  BankHolidayDataError,
  createBankHolidayCalendar,
  parseBankHolidayData,
  type BankHolidayData,
  type BankHolidayEvent,
} from './bank-holidays.ts'
export {
  BANK_HOLIDAYS_ENV,
  defaultBankHolidayCalendar,
  loadBankHolidayCalendar,
  readBankHolidayFile,
  SHIPPED_BANK_HOLIDAYS_FILE,
} from './load.ts'
