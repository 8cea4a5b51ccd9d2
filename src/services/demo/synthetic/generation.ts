/** What decides the synthetic journeys generated: shared by the seed and its generation workers. */
export interface SyntheticGeneration {
  children: number
  seed: number
  /** The last day anything happens on ('YYYY-MM-DD'); nothing reads the wall clock. */
  until?: string
  /** How many years of journeys before `until` (the window starts on the 1 April before). */
  years?: number
}
