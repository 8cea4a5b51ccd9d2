/**
 * The postcode lookup the placement rules need (PL_LA, PL_LOCATION, PL_DISTANCE are derived, not in
 * the files): grid references and LA codes by postcode, in the ONS postcode directory's columns
 * (`pcd`, `oseast1m`, `osnrth1m`, `laua`, `utla`). Together ships an invented lookup for the
 * synthetic files (postcode_lookup_synthetic.csv); an authority gives ONS's for its real return.
 */
import { csvRecords, Ssda903FileError } from './csv.ts'

export interface Postcode {
  east: number
  north: number
  /** Lower-tier and upper-tier LA codes. */
  laua: string
  utla: string
}

export type PostcodeLookup = ReadonlyMap<string, Postcode>

/** A postcode as the lookup keys it: upper case, no spaces. */
export const postcodeKey = (postcode: string): string => postcode.replace(/\s+/g, '').toUpperCase()

export function parsePostcodeLookup(text: string, file: string): PostcodeLookup {
  const lookup = new Map<string, Postcode>()
  const records = csvRecords(text, file)
  const first = records.next()
  if (first.done) return lookup
  const columns = first.value.fields.map((c) => c.trim().toLowerCase())
  const at = (name: string) => {
    const i = columns.indexOf(name)
    if (i < 0) throw new Ssda903FileError(file, first.value.line, `no ${name} column`)
    return i
  }
  const [pcd, east, north, laua, utla] = [at('pcd'), at('oseast1m'), at('osnrth1m'), at('laua'), at('utla')]
  for (const { line, fields } of records) {
    const e = Number(fields[east])
    const n = Number(fields[north])
    if (fields[pcd] === undefined || !Number.isFinite(e) || !Number.isFinite(n)) {
      throw new Ssda903FileError(file, line, 'a postcode with no grid reference')
    }
    lookup.set(postcodeKey(fields[pcd]!), { east: e, north: n, laua: (fields[laua] ?? '').trim(), utla: (fields[utla] ?? '').trim() })
  }
  return lookup
}
