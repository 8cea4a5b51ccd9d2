/**
 * One page of a list that can grow (issue 16, item 12): service functions take a PageRequest
 * ({offset, limit}) and answer a Page ({items, total}), so no list is ever cut silently. The JSON
 * API takes the same offset/limit as query parameters (`pageQuery`); the pages turn them into
 * page numbers (web/common/pagination.ts).
 */
import { z } from 'zod'

/** Rows on a page unless a list says otherwise. */
export const DEFAULT_PAGE_SIZE = 25
/** The most rows the API answers at once. */
export const MAX_PAGE_SIZE = 100

export interface PageRequest {
  /** Rows skipped before this page. */
  offset: number
  /** Rows on this page at most. */
  limit: number
}

export interface Page<T> {
  items: T[]
  /** How many rows the whole list has, on every page. */
  total: number
  offset: number
  limit: number
}

export const FIRST_PAGE: PageRequest = { offset: 0, limit: DEFAULT_PAGE_SIZE }

/** offset and limit as query parameters of a JSON API list operation. */
export const pageQuery = z.object({
  offset: z.coerce
    .number({ error: 'offset must be a whole number from 0' })
    .int({ error: 'offset must be a whole number from 0' })
    .min(0, { error: 'offset must be a whole number from 0' })
    .default(0),
  limit: z.coerce
    .number({ error: `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}` })
    .int({ error: `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}` })
    .min(1, { error: `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}` })
    .max(MAX_PAGE_SIZE, { error: `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}` })
    .default(DEFAULT_PAGE_SIZE),
})

/** A page of a list already in memory (one derived from records, such as the chronology). */
export function pageOf<T>(all: readonly T[], request: PageRequest): Page<T> {
  return { items: all.slice(request.offset, request.offset + request.limit), total: all.length, offset: request.offset, limit: request.limit }
}
