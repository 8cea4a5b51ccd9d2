/**
 * Derived episodes of several realistic periods of care, written as the return's episodes.csv and
 * run through our SSDA903 validator: no episode errors (shared/docs/children-in-care.md §9: the
 * return is a query, so what we derive must pass the rules).
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { readFileSet } from '../returns/ssda903/csv.ts'
import type { Finding } from '../returns/ssda903/model.ts'
import { parsePostcodeLookup } from '../returns/ssda903/postcodes.ts'
import { validateSsda903 } from '../returns/ssda903/validate.ts'
import { deriveEpisodes, episodeCsvRow, episodesInYear, type PeriodEvents, type PlacementEvent } from './episodes.ts'

const postcodes = parsePostcodeLookup(readFileSync(join(import.meta.dirname, '../returns/ssda903/postcode_lookup_synthetic.csv'), 'utf8'), 'postcodes')

let n = 0
const placement = (f: Partial<PlacementEvent> & Pick<PlacementEvent, 'placeType' | 'startedOn' | 'postcode'>): PlacementEvent => ({
  id: `p${++n}`, provider: null, carerId: null, urn: null, endedOn: null, endReason: null, interruptsId: null, ...f,
})

interface Child {
  header: string
  uasc?: string
  period: PeriodEvents
}

const base = { endedOn: null, reasonCeased: null, uasc: false } as const

/** Invented children, each a common route through care. */
function children(): Record<string, Child> {
  const emergency = placement({ placeType: 'U6', provider: 'PR1', carerId: 'emergency', startedOn: '2025-05-12', endedOn: '2025-11-03', endReason: 'CARPL', urn: 'SC900001', postcode: 'ZQ1 2NT' })
  const ifa = placement({ placeType: 'U4', provider: 'PR4', carerId: 'ifa', startedOn: '2025-11-03', urn: 'SC900002', postcode: 'ZQ8 6ED' })
  const ffa = placement({ placeType: 'U5', provider: 'PR1', carerId: 'adopters', startedOn: '2024-02-01', endedOn: '2025-05-01', endReason: 'PLACE', urn: 'SC900003', postcode: 'ZQ5 5BL' })
  const k3a = placement({ placeType: 'K3', provider: 'PR4', carerId: 'sa1', startedOn: '2025-07-01', endedOn: '2025-12-01', endReason: 'CHILD', urn: 'SC900004', postcode: 'ZT3 5UW' })
  return {
    // EPO, interim care order with the same emergency carer, then a long-term agency carer with a holiday away.
    A: {
      header: 'A,F,03/03/2015,WBRI,F999786801128,0,',
      period: {
        ...base, startedOn: '2025-05-12', categoryOfNeed: 'N1', homePostcode: 'ZQ4 7RD',
        legalStatuses: [{ legalStatus: 'L2', fromOn: '2025-05-12' }, { legalStatus: 'C1', fromOn: '2025-05-16' }, { legalStatus: 'C2', fromOn: '2026-02-02' }],
        placements: [emergency, ifa, placement({ placeType: 'T3', carerId: 'respite', startedOn: '2025-11-20', endedOn: '2025-11-30', interruptsId: ifa.id, postcode: 'ZQ5 7SD' })],
      },
    },
    // Accommodated under s20 with an aunt, then home as planned.
    B: {
      header: 'B,M,22/11/2012,WOTH,L999497334843,,',
      period: {
        ...base, startedOn: '2025-06-01', endedOn: '2025-09-15', reasonCeased: 'E4A', categoryOfNeed: 'N4', homePostcode: 'ZQ8 3XW',
        legalStatuses: [{ legalStatus: 'V2', fromOn: '2025-06-01' }],
        placements: [placement({ placeType: 'U3', provider: 'PR1', carerId: 'aunt', startedOn: '2025-06-01', endedOn: '2025-09-15', urn: 'SC900005', postcode: 'ZQ3 6HS' })],
      },
    },
    // In care since 2024 with fostering-for-adoption carers who become the adopters.
    C: {
      header: 'C,F,26/07/2023,WBRI,UN1,0,',
      period: {
        ...base, startedOn: '2024-02-01', endedOn: '2026-02-01', reasonCeased: 'E11', categoryOfNeed: 'N1', homePostcode: 'ZQ4 3BR',
        legalStatuses: [{ legalStatus: 'C2', fromOn: '2024-02-01' }, { legalStatus: 'E1', fromOn: '2025-05-01' }],
        placements: [ffa, placement({ placeType: 'A5', provider: 'PR1', carerId: 'adopters', startedOn: '2025-05-01', endedOn: '2026-02-01', urn: 'SC900003', postcode: 'ZQ5 5BL' })],
      },
    },
    // An unaccompanied asylum-seeking 16-year-old in supported accommodation out of the area, who asked to move.
    D: {
      header: 'D,M,19/02/2009,OOTH,P999004786863,,',
      uasc: 'D,M,19/02/2009,19/02/2027',
      period: {
        ...base, startedOn: '2025-07-01', categoryOfNeed: 'N8', uasc: true, homePostcode: null,
        legalStatuses: [{ legalStatus: 'V2', fromOn: '2025-07-01' }],
        placements: [k3a, placement({ placeType: 'K3', provider: 'PR5', carerId: 'sa2', startedOn: '2025-12-01', urn: 'SC900006', postcode: 'ZU4 2JX' })],
      },
    },
    // Remanded to youth detention; the remand ended.
    E: {
      header: 'E,M,07/10/2009,WBRI,J999835841687,,',
      period: {
        ...base, startedOn: '2025-10-01', endedOn: '2025-12-10', reasonCeased: 'E14', categoryOfNeed: 'N6', homePostcode: 'ZQ1 1QH',
        legalStatuses: [{ legalStatus: 'J1', fromOn: '2025-10-01' }],
        placements: [placement({ placeType: 'R5', provider: 'PR3', startedOn: '2025-10-01', endedOn: '2025-12-10', postcode: 'ZW9 9SE' })],
      },
    },
  }
}

const csv = (columns: string[], rows: string[][]) => [columns.join(','), ...rows.map((r) => r.join(','))].join('\n') + '\n'
const EPISODE_COLUMNS = ['CHILD', 'DECOM', 'RNE', 'LS', 'CIN', 'PLACE', 'PLACE_PROVIDER', 'DEC', 'REC', 'REASON_PLACE_CHANGE', 'HOME_POST', 'PL_POST', 'URN']

function validate(set: Record<string, Child>): Finding[] {
  const episodes = Object.entries(set).flatMap(([child, c]) =>
    episodesInYear(deriveEpisodes(c.period), 2026).map((e) => {
      const row = episodeCsvRow(e)
      return EPISODE_COLUMNS.map((k) => (k === 'CHILD' ? child : row[k]!))
    }),
  )
  const files = readFileSet({
    Header: { text: 'CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n' + Object.values(set).map((c) => c.header).join('\n') + '\n', file: 'header.csv' },
    Episodes: { text: csv(EPISODE_COLUMNS, episodes), file: 'episodes.csv' },
    UASC: { text: 'CHILD,SEX,DOB,DUC\n' + Object.values(set).flatMap((c) => (c.uasc ? [c.uasc] : [])).join('\n') + '\n', file: 'uasc.csv' },
  })
  const findings: Finding[] = []
  validateSsda903(files, undefined, { year: 2026, la: 'E06000999', postcodes }, (f) => findings.push(f))
  return findings
}

test('derived episodes of five realistic periods of care pass the 903 rules with no error', () => {
  const findings = validate(children())
  assert.deepEqual(findings.filter((f) => f.type === 'error'), [])
  assert.deepEqual(findings.filter((f) => f.table === 'Episodes'), [], 'nor any query about the episodes')
})

test('the validator does see faults in derived episodes (a placement change with no reason: rule 225)', () => {
  const set = children()
  set.A!.period.placements[0]!.endReason = null
  const findings = validate(set)
  assert.ok(findings.some((f) => f.rule === '225' && f.child === 'A'), JSON.stringify(findings))
})
