/**
 * sw_episodes.csv: the child's social worker. The record holds the case's allocated worker, not a
 * history of allocations with reasons, nor the worker's Social Work England number: one episode
 * from the day the case opened, open, for the allocated worker, SW_ID "XX" (the other prefix rule
 * SW02 accepts; UNVERIFIED what DfE expects without a number) and SW_REASON FCONTA (first allocation). None when no worker is allocated.
 */
import { childColumns, ddmmyyyy, type TableBuilder } from './model.ts'

export const swEpisodes: TableBuilder = (child) => {
  if (child.allocatedWorkerId === null) return []
  return [{ ...childColumns(child), SW_ID: 'XX', SW_DECOM: ddmmyyyy(child.caseOpenedOn), SW_DEC: '', SW_REASON: 'FCONTA' }]
}
