/** ad1.csv: children adopted in the year. The record holds no adoption yet (a colleague adds it): header only. */
import type { TableBuilder } from './model.ts'

export const ad1: TableBuilder = () => []
