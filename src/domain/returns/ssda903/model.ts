/**
 * The SSDA903 return as files (docs/ssda903.md): one CSV per table, the validator's column names,
 * every value kept as written (trimmed, upper-cased as DfE's tools read them). A table is held as
 * columns; a rule sees one child's rows at a time, as objects, and never scans another table.
 */

export const TABLES = {
  Header: { file: 'header.csv', columns: ['CHILD', 'SEX', 'DOB', 'ETHNIC', 'UPN', 'MOTHER', 'MC_DOB'] },
  Episodes: {
    file: 'episodes.csv',
    columns: ['CHILD', 'DECOM', 'RNE', 'LS', 'CIN', 'PLACE', 'PLACE_PROVIDER', 'DEC', 'REC', 'REASON_PLACE_CHANGE', 'HOME_POST', 'PL_POST', 'URN'],
  },
  Reviews: { file: 'reviews.csv', columns: ['CHILD', 'DOB', 'REVIEW', 'REVIEW_CODE'] },
  UASC: { file: 'uasc.csv', columns: ['CHILD', 'SEX', 'DOB', 'DUC'] },
  OC2: {
    file: 'oc2.csv',
    columns: [
      'CHILD', 'DOB', 'SDQ_SCORE', 'SDQ_REASON', 'CONVICTED', 'HEALTH_CHECK', 'IMMUNISATIONS', 'TEETH_CHECK',
      'HEALTH_ASSESSMENT', 'SUBSTANCE_MISUSE', 'INTERVENTION_RECEIVED', 'INTERVENTION_OFFERED',
    ],
  },
  OC3: { file: 'oc3.csv', columns: ['CHILD', 'DOB', 'IN_TOUCH', 'ACTIV', 'ACCOM'] },
  AD1: { file: 'ad1.csv', columns: ['CHILD', 'DOB', 'DATE_INT', 'DATE_MATCH', 'FOSTER_CARE', 'NB_ADOPTR', 'SEX_ADOPTR', 'LS_ADOPTR'] },
  PlacedAdoption: { file: 'placed_for_adoption.csv', columns: ['CHILD', 'DOB', 'DATE_PLACED', 'DATE_PLACED_CEASED', 'REASON_PLACED_CEASED'] },
  PrevPerm: { file: 'previous_permanence.csv', columns: ['CHILD', 'DOB', 'PREV_PERM', 'LA_PERM', 'DATE_PERM'] },
  Missing: { file: 'missing.csv', columns: ['CHILD', 'DOB', 'MISSING', 'MIS_START', 'MIS_END'] },
  SWEpisodes: { file: 'sw_episodes.csv', columns: ['CHILD', 'DOB', 'SW_ID', 'SW_DECOM', 'SW_DEC', 'SW_REASON'] },
} as const

/** The collection years Together has 903 rules for (the year each ends in). */
export const SSDA903_RULE_YEARS: readonly number[] = [2026]

/** An authority's 9-character area code as the postcode lookup names it (E06000999). */
export const LA_AREA_CODE = /^[EWSN]\d{8}$/i

export type TableName = keyof typeof TABLES
export const TABLE_NAMES = Object.keys(TABLES) as TableName[]

type Columns<T extends TableName> = (typeof TABLES)[T]['columns'][number]

/** One data row: its columns as written ('' when blank) and its place in the file. */
export type Row<T extends TableName> = { readonly [K in Columns<T>]: string } & {
  /** 1-based line number in the file (the column line is line 1). */
  readonly line: number
  /** 0-based data row (the public validator's row_id). */
  readonly index: number
}

export type HeaderRow = Row<'Header'>
export type ReviewRow = Row<'Reviews'>
export type UascRow = Row<'UASC'>
export type Oc2Row = Row<'OC2'>
export type Oc3Row = Row<'OC3'>
export type Ad1Row = Row<'AD1'>
export type PlacedRow = Row<'PlacedAdoption'>
export type PrevPermRow = Row<'PrevPerm'>
export type MissingRow = Row<'Missing'>
export type SwRow = Row<'SWEpisodes'>

/** An episode with its dates as day numbers (NaN when blank or not a date) and the derived postcode fields. */
export type Episode = Row<'Episodes'> & {
  readonly decom: number
  readonly dec: number
  /** Upper-tier LA of the placement postcode, or WAL/SCO/NIR; '' when the postcode did not resolve. */
  readonly plLa: string
  /** IN when PL_LA is the return's LA, OUT otherwise; '' when the postcode did not resolve. */
  readonly plLocation: string
  /** Straight-line miles between the home and placement postcodes, 1 decimal; NaN when either did not resolve. */
  readonly plDistance: number
}

/** One year's rows for one child (either year), by table. */
export interface ChildRows {
  header: HeaderRow[]
  /** In DECOM order (file order among equal or unreadable dates, which come last). */
  episodes: Episode[]
  reviews: ReviewRow[]
  uasc: UascRow[]
  oc2: Oc2Row[]
  oc3: Oc3Row[]
  ad1: Ad1Row[]
  placed: PlacedRow[]
  prevPerm: PrevPermRow[]
  missing: MissingRow[]
  sw: SwRow[]
}

/** One year's rows for one child, and the date of birth many rules ask for. */
export interface ChildTables extends ChildRows {
  /** DOB of the child's first Header row as a day number (NaN when there is none or it is not a date). */
  dob: number
}

export interface ChildRecord extends ChildTables {
  /** CHILD as written in the files. */
  id: string
  /** The same child in the previous year's files, when they were given and hold the child. */
  last: ChildTables | undefined
}

/**
 * One table read into columns: for each of the table's columns (in TABLES order) an array of its
 * rows' values, each as a number into the file set's `values`; rows in file order.
 */
export interface Table {
  readonly rows: number
  readonly columns: readonly Uint32Array[]
  /** Each row's line in the file (the column line is line 1). */
  readonly lines: Uint32Array
}

/** A file set read into tables: which tables were present, each table's columns, and the distinct values. */
export interface FileSet {
  present: ReadonlySet<TableName>
  tables: { readonly [T in TableName]: Table }
  /** Every distinct value (trimmed, upper-cased) by its number; 0 is ''. */
  values: readonly string[]
}

export type FindingType = 'error' | 'query'

export interface Finding {
  rule: string
  /** CHILD as written; null for a finding about the whole return. */
  child: string | null
  table: string
  field: string
  message: string
  type: FindingType
}
