/**
 * Rules where ours deliberately differs from the public validator (docs/children-in-care.md section
 * 6, defect numbers below), each on a few invented rows. The samples (ssda903.test.ts) carry the rest.
 */
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSet } from './csv.ts'
import { TABLES, type TableName } from './model.ts'
import type { PostcodeLookup } from './postcodes.ts'
import { validateSsda903 } from './validate.ts'

type Rows = Partial<Record<TableName, Record<string, string>[]>>

const postcodes: PostcodeLookup = new Map([
  ['ZQ11AA', { east: 400000, north: 300000, laua: 'E06000999', utla: 'E06000999' }],
  ['ZQ12BB', { east: 404000, north: 303000, laua: 'E06000999', utla: 'E06000999' }],
  ['ZR13CC', { east: 420000, north: 300000, laua: 'E06000998', utla: 'E06000998' }],
])

function files(rows: Rows) {
  const texts: Parameters<typeof readFileSet>[0] = {}
  for (const [table, list] of Object.entries(rows) as [TableName, Record<string, string>[]][]) {
    const columns: readonly string[] = TABLES[table].columns
    texts[table] = { file: TABLES[table].file, text: [columns.join(','), ...list.map((r) => columns.map((c) => r[c] ?? '').join(','))].join('\n') }
  }
  return readFileSet(texts)
}

/** The findings of `rule` ("rule child" each) on these rows (and last year's). */
function findings(rule: string, rows: Rows, last?: Rows): string[] {
  const out: string[] = []
  validateSsda903(files(rows), last && files(last), { year: 2026, la: 'E06000999', postcodes }, (f) => {
    if (f.rule === rule) out.push(`${f.rule} ${f.child}`)
  })
  return out
}

const header = (child: string, dob: string, sex = 'M') => ({ CHILD: child, SEX: sex, DOB: dob, ETHNIC: 'WBRI', UPN: 'UN2', MOTHER: sex === 'F' ? '0' : '' })
const placed = { HOME_POST: 'ZQ1 1AA', PL_POST: 'ZQ1 2BB' }
const episode = (child: string, decom: string, fields: Record<string, string>) => ({ CHILD: child, DECOM: decom, CIN: 'N1', ...fields })

describe('SSDA903 rules where the public validator is wrong', () => {
  test('336 (defect 8): A5 must follow foster care; A4 after a children\'s home is fine', () => {
    const rows: Rows = {
      Header: [header('A', '01/01/2020'), header('B', '01/01/2020')],
      Episodes: [
        episode('A', '01/05/2025', { RNE: 'S', LS: 'E1', PLACE: 'K2', PLACE_PROVIDER: 'PR1', DEC: '01/06/2025', REC: 'X1', REASON_PLACE_CHANGE: 'CARPL', ...placed, URN: 'SC1' }),
        episode('A', '01/06/2025', { RNE: 'P', LS: 'E1', PLACE: 'A5', PLACE_PROVIDER: 'PR1', ...placed, URN: 'SC2' }),
        episode('B', '01/05/2025', { RNE: 'S', LS: 'E1', PLACE: 'K2', PLACE_PROVIDER: 'PR1', DEC: '01/06/2025', REC: 'X1', REASON_PLACE_CHANGE: 'CARPL', ...placed, URN: 'SC1' }),
        episode('B', '01/06/2025', { RNE: 'P', LS: 'E1', PLACE: 'A4', PLACE_PROVIDER: 'PR1', ...placed, URN: 'SC2' }),
      ],
    }
    assert.deepEqual(findings('336', rows), ['336 A'])
  })

  test('364 (defect 11): two separate 12-day PACE spells are not one 24-day spell, whatever the file order', () => {
    const spells = [
      episode('A', '20/06/2025', { RNE: 'S', LS: 'J2', PLACE: 'K2', DEC: '02/07/2025', REC: 'E4A' }),
      episode('A', '01/05/2025', { RNE: 'S', LS: 'J2', PLACE: 'K2', DEC: '13/05/2025', REC: 'E4A' }),
    ]
    assert.deepEqual(findings('364', { Episodes: spells }), [])
    const chained = [
      episode('A', '01/05/2025', { RNE: 'S', LS: 'J2', PLACE: 'K2', DEC: '13/05/2025', REC: 'X1' }),
      episode('A', '13/05/2025', { RNE: 'P', LS: 'J2', PLACE: 'U6', DEC: '25/05/2025', REC: 'E4A' }),
    ]
    assert.deepEqual(findings('364', { Episodes: chained.reverse() }), ['364 A', '364 A'])
  })

  test('584 (defect 10): a new decision after one that ceased last year is compared as dates', () => {
    const last: Rows = { PlacedAdoption: [{ CHILD: 'A', DATE_PLACED: '15/06/2024', DATE_PLACED_CEASED: '20/12/2024', REASON_PLACED_CEASED: 'RD1' }] }
    assert.deepEqual(findings('584', { PlacedAdoption: [{ CHILD: 'A', DATE_PLACED: '02/01/2026' }] }, last), [])
    assert.deepEqual(findings('584', { PlacedAdoption: [{ CHILD: 'A', DATE_PLACED: '01/12/2024' }] }, last), ['584 A'])
  })

  test('1016 (defect 14): a young person whose 18th birthday is 31 March is 18 that day', () => {
    const rows: Rows = {
      Header: [header('A', '31/03/2008')],
      OC3: [{ CHILD: 'A', DOB: '31/03/2008', IN_TOUCH: 'YES', ACTIV: 'F1', ACCOM: 'B1' }],
      Episodes: [episode('A', '01/01/2023', { RNE: 'S', LS: 'C2', PLACE: 'U4', DEC: '01/02/2024', REC: 'E5' })],
    }
    assert.deepEqual(findings('1016', rows), [])
    rows.Episodes = [episode('A', '01/01/2023', { RNE: 'S', LS: 'C2', PLACE: 'U4', DEC: '01/06/2025', REC: 'E5' })]
    assert.deepEqual(findings('1016', rows), ['1016 A'])
  })

  test('1007 (defects 4, 17): an open episode on the 17th birthday counts; a 29 February birthday does not crash', () => {
    const rows: Rows = {
      Header: [header('A', '10/06/2008'), header('B', '29/02/2008')],
      OC3: [
        { CHILD: 'A', DOB: '10/06/2008', IN_TOUCH: 'YES', ACTIV: 'F1', ACCOM: 'B1' },
        { CHILD: 'B', DOB: '29/02/2008', IN_TOUCH: 'YES', ACTIV: 'F1', ACCOM: 'B1' },
      ],
      Episodes: [
        episode('A', '01/01/2023', { RNE: 'S', LS: 'C2', PLACE: 'U4', ...placed }),
        episode('B', '01/01/2023', { RNE: 'S', LS: 'C2', PLACE: 'U4', DEC: '31/09/2025', REC: 'E5' }),
      ],
    }
    assert.deepEqual(findings('1007', rows), ['1007 A'])
  })

  test('SW17STG2 (defect 16): only a child still looked after on 31 March needs an open worker episode', () => {
    const rows: Rows = {
      Episodes: [
        episode('HOME', '01/05/2025', { RNE: 'S', LS: 'V2', PLACE: 'U6', DEC: '15/09/2025', REC: 'E4A' }),
        episode('CARE', '01/05/2025', { RNE: 'S', LS: 'C2', PLACE: 'U6' }),
      ],
      SWEpisodes: [
        { CHILD: 'HOME', SW_ID: 'SW1', SW_DECOM: '01/05/2025', SW_DEC: '15/09/2025', SW_REASON: 'FCONTA' },
        { CHILD: 'CARE', SW_ID: 'SW2', SW_DECOM: '01/05/2025', SW_DEC: '15/09/2025', SW_REASON: 'FCONTA' },
      ],
    }
    assert.deepEqual(findings('SW17STG2', rows), ['SW17STG2 CARE'])
  })

  test('SW12STG2 (defects 16, 17): open episodes not starting care are not flagged; a worker after care ended is', () => {
    const rows: Rows = {
      Episodes: [
        episode('OPEN', '01/01/2024', { RNE: 'S', LS: 'C2', PLACE: 'U6', DEC: '01/06/2025', REC: 'X1' }),
        episode('OPEN', '01/06/2025', { RNE: 'P', LS: 'C2', PLACE: 'U4' }),
        episode('LEFT', '01/01/2024', { RNE: 'S', LS: 'C2', PLACE: 'U6', DEC: '01/06/2025', REC: 'E4A' }),
      ],
      SWEpisodes: [
        { CHILD: 'OPEN', SW_ID: 'SW1', SW_DECOM: '01/01/2024', SW_REASON: 'FCONTA' },
        { CHILD: 'LEFT', SW_ID: 'SW2', SW_DECOM: '01/01/2024', SW_DEC: '01/08/2025', SW_REASON: 'FCONTA' },
        { CHILD: 'LEFT', SW_ID: 'SW3', SW_DECOM: '01/08/2025', SW_REASON: 'LEFTRL' },
      ],
    }
    assert.deepEqual(findings('SW12STG2', rows), ['SW12STG2 LEFT'])
  })

  test('359 (defect 17): a 19-year-old still in an open episode must be V2 in K2', () => {
    const rows: Rows = {
      Header: [header('A', '01/01/2007'), header('B', '01/01/2007')],
      Episodes: [episode('A', '01/01/2023', { RNE: 'S', LS: 'C2', PLACE: 'U4' }), episode('B', '01/01/2023', { RNE: 'S', LS: 'V2', PLACE: 'K2' })],
    }
    assert.deepEqual(findings('359', rows), ['359 A'])
  })

  test('231 and 233 (defects 1, 2): rules that crash in the public validator are checked', () => {
    const rows: Rows = {
      Header: [header('A', '01/01/2016'), header('B', '01/01/2010')],
      UASC: [{ CHILD: 'A', SEX: 'M', DOB: '01/01/2016', DUC: '01/01/2034' }, { CHILD: 'B', SEX: 'M', DOB: '01/01/2010', DUC: '01/01/2028' }],
      Episodes: [episode('A', '01/05/2025', { RNE: 'S', LS: 'V2', PLACE: 'U6', REASON_PLACE_CHANGE: 'CARPL' })],
    }
    assert.deepEqual(findings('231', rows), ['231 A'])
    assert.deepEqual(findings('233', rows), ['233 A'])
  })

  test('218 (defect 15): a short break needs no URN, which 214 forbids anyway', () => {
    const rows: Rows = { Episodes: [episode('A', '01/05/2025', { RNE: 'S', LS: 'V3', PLACE: 'U6', PLACE_PROVIDER: 'PR1', DEC: '03/05/2025', REC: 'E4A' })] }
    assert.deepEqual([...findings('218', rows), ...findings('214', rows)], [])
  })

  test('165 (defect 7) and 347 (defect 6): a boy recorded as a mother; a 17-year-old in a foyer', () => {
    assert.deepEqual(findings('165', { Header: [{ ...header('A', '01/01/2008'), MOTHER: '0' }, header('B', '01/01/2008', 'F')] }), ['165 A'])
    const rows: Rows = { Header: [header('A', '01/06/2008')], OC3: [{ CHILD: 'A', DOB: '01/06/2008', IN_TOUCH: 'YES', ACTIV: 'F1', ACCOM: 'T1' }] }
    assert.deepEqual(findings('347', rows), ['347 A'])
  })

  test('1001 (defect 13): a care leaver of 20 whose care the two years show is not queried', () => {
    const rows: Rows = {
      Header: [header('A', '01/06/2005')],
      OC3: [{ CHILD: 'A', DOB: '01/06/2005', IN_TOUCH: 'YES', ACTIV: 'F1', ACCOM: 'B1' }],
      Episodes: [],
    }
    const last: Rows = { Episodes: [episode('A', '01/01/2019', { RNE: 'S', LS: 'C2', PLACE: 'U4', DEC: '01/06/2024', REC: 'E17' })] }
    assert.deepEqual(findings('1001', rows, last), [])
    const adopted: Rows = { Episodes: [episode('A', '01/01/2019', { RNE: 'S', LS: 'E1', PLACE: 'A4', DEC: '01/06/2024', REC: 'E11' })] }
    assert.deepEqual(findings('1001', rows, adopted), ['1001 A'])
  })

  test('defect 3: an unreadable DECOM is reported by 141 and silences no rule for other children', () => {
    const rows: Rows = {
      Header: [header('A', '01/01/2015'), header('B', '01/01/2015')],
      Episodes: [episode('A', '2025-06-01', { RNE: 'S', LS: 'C2', PLACE: 'U4' }), episode('B', '01/01/2025', { RNE: 'S', LS: 'C2', PLACE: 'U4' })],
    }
    const last: Rows = { Episodes: [episode('B', '01/01/2025', { RNE: 'S', LS: 'C1', PLACE: 'U4' })] }
    assert.deepEqual(findings('141', rows, last), ['141 A'])
    assert.deepEqual(findings('503B', rows, last), ['503B B'])
  })
})
