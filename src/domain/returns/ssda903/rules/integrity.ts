/** Internal integrity between tables (26): children in Header, the same date of birth and sex everywhere, no duplicates. */
import { day } from '../dates.ts'
import type { ChildRecord, ChildRows, TableName } from '../model.ts'
import type { ChildRule } from '../rule.ts'
import { dobOf } from './helpers.ts'

type ChildTable = Exclude<keyof ChildRows, 'header'>

const NOT_IN_HEADER: [string, TableName, ChildTable][] = [
  ['INT01', 'AD1', 'ad1'], ['INT02', 'PlacedAdoption', 'placed'], ['INT03', 'Episodes', 'episodes'], ['INT04', 'Missing', 'missing'],
  ['INT05', 'OC2', 'oc2'], ['INT06', 'OC3', 'oc3'], ['INT07', 'PrevPerm', 'prevPerm'], ['INT08', 'Reviews', 'reviews'], ['INT09', 'UASC', 'uasc'],
]
const DOB_DIFFERS: [string, TableName, Exclude<ChildTable, 'episodes' | 'sw'>][] = [
  ['INT11', 'AD1', 'ad1'], ['INT12', 'PlacedAdoption', 'placed'], ['INT13', 'Missing', 'missing'], ['INT14', 'OC2', 'oc2'],
  ['INT15', 'OC3', 'oc3'], ['INT16', 'PrevPerm', 'prevPerm'], ['INT17', 'Reviews', 'reviews'], ['INT18', 'UASC', 'uasc'],
]
const DUPLICATED: [string, TableName, keyof ChildRows][] = [
  ['INT31', 'AD1', 'ad1'], ['INT32', 'Header', 'header'], ['INT33', 'OC2', 'oc2'], ['INT34', 'OC3', 'oc3'], ['INT35', 'PrevPerm', 'prevPerm'], ['INT36', 'UASC', 'uasc'],
]

const rowsOf = (child: ChildRecord, key: keyof ChildRows) => child[key] as readonly { DOB?: string }[]

export const INTEGRITY_RULES: ChildRule[] = [
  {
    code: '1012', type: 'error', table: 'Episodes', field: 'CHILD', needs: ['Episodes'],
    message: 'A child with no episode this year cannot be in PlacedAdoption, Missing, Reviews, AD1, PrevPerm or OC2.',
    check(child, ctx, report) {
      if (child.episodes.length > 0) return
      const tables: [TableName, ChildTable][] = [['PlacedAdoption', 'placed'], ['Missing', 'missing'], ['Reviews', 'reviews'], ['AD1', 'ad1'], ['PrevPerm', 'prevPerm'], ['OC2', 'oc2']]
      for (const [table, key] of tables) if (ctx.present.has(table)) for (const _ of child[key]) report('CHILD', table)
    },
  },
  {
    code: 'EPI', type: 'query', table: 'Header', field: 'CHILD', needs: ['Header', 'Episodes', 'OC3'],
    message: 'The child is in Header but has no episodes and no care leaver data.',
    check(child, _ctx, report) {
      if (child.header.length > 0 && child.episodes.length === 0 && !child.oc3.some((r) => r.IN_TOUCH !== '' || r.ACTIV !== '' || r.ACCOM !== '')) report()
    },
  },
  ...NOT_IN_HEADER.map(([code, table, key]): ChildRule => ({
    code, type: 'error', table, field: 'CHILD', needs: ['Header', table],
    message: `The child is in ${table} but not in Header.`,
    check(child, _ctx, report) {
      if (child.header.length === 0) for (const _ of rowsOf(child, key)) report()
    },
  })),
  ...DOB_DIFFERS.map(([code, table, key]): ChildRule => ({
    code, type: 'error', table, field: 'DOB', needs: ['Header', table],
    message: `The date of birth in ${table} differs from Header.`,
    // Compared as dates, and only when both are dates: an unreadable one is reported by its own rule (102).
    check(child, _ctx, report) {
      const dob = dobOf(child)
      if (Number.isNaN(dob)) return
      const written = child.header[0]!.DOB
      for (const r of rowsOf(child, key)) {
        if (r.DOB === written) continue // the same text is the same date (most rows: no date to read)
        const other = day(r.DOB ?? '')
        if (other !== dob && !Number.isNaN(other)) report()
      }
    },
  })),
  {
    code: 'INT21', type: 'error', table: 'UASC', field: 'SEX', needs: ['Header', 'UASC'],
    message: 'The sex in UASC differs from Header.',
    check(child, _ctx, report) {
      const sex = child.header[0]?.SEX
      if (sex !== undefined) for (const r of child.uasc) if (r.SEX !== sex) report()
    },
  },
  ...DUPLICATED.map(([code, table, key]): ChildRule => ({
    code, type: 'error', table, field: 'CHILD', needs: [table],
    message: `The child appears more than once in ${table}.`,
    check(child, _ctx, report) {
      const rows = rowsOf(child, key)
      if (rows.length > 1) for (const _ of rows) report()
    },
  })),
]
