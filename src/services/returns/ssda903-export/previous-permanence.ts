/**
 * previous_permanence.csv: for a child starting care in the year, whether an earlier adoption,
 * special guardianship or child arrangements order broke down. The record does not ask it yet: header
 * only, so rule 630 reports each child who started care in the year until it does (docs/returns.md).
 */
import type { TableBuilder } from './model.ts'

export const previousPermanence: TableBuilder = () => []
