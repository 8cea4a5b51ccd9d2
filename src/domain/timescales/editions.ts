import { parseIsoDate, type IsoDate } from './calendar/iso-date.ts'
import { UnknownEditionError } from './errors.ts'

export const EDITION_YEARS = [2006, 2010, 2013, 2015, 2018, 2023, 2026] as const

/** An edition of Working Together to Safeguard Children, named by its year. */
export type EditionYear = (typeof EDITION_YEARS)[number]

export interface Edition {
  year: EditionYear
  key: `WT${EditionYear}`
  /** First day the edition applies to a starting event. */
  inForce: IsoDate
  /**
   * How much of `inForce` the sources establish: 'day' when the date is known, 'month' or 'year'
   * when only that much is, the rest being a convention (the first of the month) to be confirmed.
   */
  precision: 'day' | 'month' | 'year'
  note: string
  source: string
}

/** Editions in order, each in force until the next one's date. Facts: docs working-together.md §0.1. */
export const EDITIONS: readonly Edition[] = [
  {
    year: 2006,
    key: 'WT2006',
    inForce: '2006-04-01',
    precision: 'year',
    note: 'Sources give only the year 2006; 1 April 2006 is the project convention, to be confirmed.',
    source: 'https://www.southampton.gov.uk/children-families/early-years-and-childcare/safeguarding-and-welfare/working-together-to-safeguard-children/',
  },
  {
    year: 2010,
    key: 'WT2010',
    inForce: '2010-03-01',
    precision: 'month',
    note: 'Published March 2010 (revised chapter 8 published December 2009); the day is not established.',
    source: 'https://hansard.parliament.uk/Commons/2010-02-23/debates/10022434000028/SocialServices',
  },
  {
    year: 2013,
    key: 'WT2013',
    inForce: '2013-04-15',
    precision: 'day',
    note: 'Published 21 March 2013, in force 15 April 2013.',
    source: 'https://www.lexology.com/library/detail.aspx?g=789f3a2c-b97c-4514-907e-9feff4ce2435',
  },
  {
    year: 2015,
    key: 'WT2015',
    inForce: '2015-03-26',
    precision: 'day',
    note: 'In force 26 March 2015.',
    source: 'http://www.proceduresonline.com/pancheshire/warrington/p_ser_case_rev.html',
  },
  {
    year: 2018,
    key: 'WT2018',
    inForce: '2018-07-04',
    precision: 'day',
    note:
      'Published 4 July 2018 (some sources say 4–5 July); updated February 2019 and December 2020. ' +
      'Local partnership arrangements replaced LSCBs by 29 September 2019.',
    source: 'https://www.wirralsafeguarding.co.uk/working-together-to-safeguard-children-2018/',
  },
  {
    year: 2023,
    key: 'WT2023',
    inForce: '2023-12-15',
    precision: 'day',
    note: 'In force 15 December 2023; local areas implemented the new arrangements during 2024.',
    source: 'https://localgovernmentlawyer.co.uk/child-protection/392-children-protection-news/55973-government-issues-changes-to-working-together-guidance',
  },
  {
    year: 2026,
    key: 'WT2026',
    inForce: '2026-03-01',
    precision: 'month',
    note: 'Published March 2026, replacing WT2023; the day is not established. Its timescale changes are unverified.',
    source: 'https://www.leedsscp.org.uk/news/working-together-safeguard-children-2026-whats-changed',
  },
]

const byYear = new Map<number, Edition>(EDITIONS.map((edition) => [edition.year, edition]))

/** The edition with this year, or UnknownEditionError. */
export function findEdition(year: number): Edition {
  const edition = byYear.get(year)
  if (!edition) throw new UnknownEditionError(year, EDITION_YEARS)
  return edition
}

/** The edition in force on `date` (ISO strings compare in date order), or null before WT2006. */
export function editionInForce(date: IsoDate): Edition | null {
  parseIsoDate(date)
  for (let i = EDITIONS.length - 1; i >= 0; i--) {
    const edition = EDITIONS[i] as Edition
    if (edition.inForce <= date) return edition
  }
  return null
}
