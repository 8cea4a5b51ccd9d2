/** episodes.csv: every derived episode open at some time in the year (domain/care/episodes.ts). */
import { episodeCsvRow } from '../../../domain/care/episodes.ts'
import type { TableBuilder } from './model.ts'

export const episodes: TableBuilder = (child) => child.episodes.map((e) => ({ CHILD: child.child, ...episodeCsvRow(e) }))
