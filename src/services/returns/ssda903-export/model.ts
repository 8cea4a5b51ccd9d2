/**
 * What the SSDA903 table builders see of one child (shared/docs/children-in-care.md §1.4, §3, §9):
 * everything the record holds that the return asks about, read once per child by records.ts. Each
 * table is built by its own file from this; none reads the database.
 */
import type { DerivedEpisode } from '../../../domain/care/episodes.ts'
import type { TableName } from '../../../domain/returns/ssda903/model.ts'
import type { CareLeaverRecordRow, CareLeaverRow } from '../../journey/care-leavers.ts'
import type { HealthEducationRow } from '../../journey/health-education.ts'
import type { MissingEpisodeRow } from '../../journey/missing-episodes.ts'
import type { ExportPermanence } from './permanence-records.ts'

/** The collection year: 1 April to 31 March, named by the year it ends in. Dates are YYYY-MM-DD. */
export interface CollectionYear {
  year: number
  start: string
  end: string
}

export const collectionYear = (year: number): CollectionYear => ({ year, start: `${year - 1}-04-01`, end: `${year}-03-31` })

/** A period of care with its derived episodes (all of them, not only the year's). */
export interface ExportPeriod {
  id: string
  startedOn: string
  endedOn: string | null
  uasc: boolean
  episodes: DerivedEpisode[]
}

export interface ExportChild {
  /** CHILD: the authority's stable LA child id (services/journey/la-child-id.ts). */
  child: string
  personId: string
  /** The case to open to fix this child's record (the newest of the person's cases in the return). */
  caseId: string
  caseIds: string[]
  sex: string | null
  dateOfBirth: string | null
  ethnicity: string | null
  upn: string | null
  upnUnknown: string | null
  /** Dates of birth of the children the record names the child as a parent of (MOTHER, MC_DOB). */
  childrenBornOn: string[]
  /** Periods of care open at some time in the year, in date order. */
  periods: ExportPeriod[]
  /** The episodes open at some time in the year, in date order (episodes.csv). */
  episodes: DerivedEpisode[]
  /** Looked-after reviews held in the year (from the review clocks), in date order. */
  reviews: string[]
  /** Each period's reviews' participation, adoption decisions and previous permanence (permanence-records.ts), in date order. */
  permanence?: ExportPermanence[]
  missing: MissingEpisodeRow[]
  health: HealthEducationRow[]
  careLeaver: CareLeaverRow | null
  careLeaverRecords: CareLeaverRecordRow[]
  /** Each of the child's cases as its revisions recorded it (and as it is now), oldest first: the allocation history. */
  caseHistory: CaseVersion[]
}

/** A case at one version, as far as the social worker episodes ask (record_revision of the case). */
export interface CaseVersion {
  caseId: string
  version: number
  /** The day (London) the version was recorded. */
  on: string
  allocatedWorkerId: string | null
  teamId: string | null
  status: string
  openedOn: string
  closedOn: string | null
}

/** One row of a table, by column name (a column left out is blank). */
export type TableRow = Record<string, string>

/** Builds one table's rows for one child. */
export type TableBuilder = (child: ExportChild, year: CollectionYear) => TableRow[]

export interface TableDefinition {
  table: TableName
  build: TableBuilder
}

/** dd/mm/yyyy, as the 903 files write dates; '' for none. */
export const ddmmyyyy = (day: string | null | undefined): string => (day ? `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}` : '')

/** The day of a birthday (29 February becomes 1 March in a common year, as the validator's ages do). */
export function birthday(dateOfBirth: string, age: number): string {
  const y = Number(dateOfBirth.slice(0, 4)) + age
  const md = dateOfBirth.slice(5)
  if (md === '02-29' && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0))) return `${y}-03-01`
  return `${y}-${md}`
}

/** Age in whole years on a day. */
export function ageOn(dateOfBirth: string, day: string): number {
  const years = Number(day.slice(0, 4)) - Number(dateOfBirth.slice(0, 4))
  return day.slice(5) < dateOfBirth.slice(5) ? years - 1 : years
}

/** CHILD and DOB, the first two columns of most tables. */
export const childColumns = (child: ExportChild): TableRow => ({ CHILD: child.child, DOB: ddmmyyyy(child.dateOfBirth) })
