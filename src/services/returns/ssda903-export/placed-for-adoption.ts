/** placed_for_adoption.csv: decisions to place for adoption. The record holds none yet (a colleague adds them): header only. */
import type { TableBuilder } from './model.ts'

export const placedForAdoption: TableBuilder = () => []
