/**
 * uasc.csv: a child who was an unaccompanied asylum-seeking child in a period of care open in the
 * year. DUC is the 18th birthday: the record does not hold an earlier end of UASC status.
 */
import { birthday, ddmmyyyy, type TableBuilder } from './model.ts'

export const uasc: TableBuilder = (child) => {
  if (!child.periods.some((p) => p.uasc) || child.dateOfBirth === null) return []
  return [{ CHILD: child.child, SEX: child.sex ?? '', DOB: ddmmyyyy(child.dateOfBirth), DUC: ddmmyyyy(birthday(child.dateOfBirth, 18)) }]
}
