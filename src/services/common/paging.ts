/**
 * One page of a list that can grow (issue 16, item 12): service functions take a PageRequest
 * ({offset, limit}) and answer a Page ({items, total}), so no list is ever cut silently. The JSON
 * API takes the same offset/limit as query parameters (`pageQuery`); the pages turn them into
 * page numbers (web/common/pagination.ts).
 */
import { sql } from 'drizzle-orm'
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

/**
 * The API query of an answer with several lists: offset and limit page the list named by `list`
 * (the others answer their first page of `limit`), or every list when none is named.
 */
export function listsPageQuery<L extends string>(lists: readonly [L, ...L[]]) {
  return pageQuery.extend({ list: z.enum(lists, { error: `list must be one of ${lists.join(', ')}` }).optional() })
}

/** The page of each list such a query asks for. */
export function pagesOf<L extends string>(lists: readonly L[], query: { list?: L | undefined; offset: number; limit: number }): Record<L, PageRequest> {
  return Object.fromEntries(lists.map((list) => [list, { offset: !query.list || query.list === list ? query.offset : 0, limit: query.limit }])) as Record<L, PageRequest>
}

/** A page of a list already in memory (one derived from records, such as the chronology). */
export function pageOf<T>(all: readonly T[], request: PageRequest): Page<T> {
  return { items: all.slice(request.offset, request.offset + request.limit), total: all.length, offset: request.offset, limit: request.limit }
}

/**
 * A page of a list counted and cut in SQL: `total` is the list's count query (one row `{ n }`),
 * `rows` its query with the request's offset and limit (and an order with a tie-breaker).
 */
export async function pageFrom<T>(request: PageRequest, total: PromiseLike<{ n: number }[]>, rows: PromiseLike<T[]>): Promise<Page<T>> {
  const [counted] = await total
  return { items: await rows, total: counted?.n ?? 0, offset: request.offset, limit: request.limit }
}

/** `count(*) over ()`: the whole list's count on each row of a page (read by pageCounted). */
export const totalOver = () => sql<number>`count(*) over ()`.mapWith(Number)

/**
 * A page of a list counted and cut by one query whose rows carry the list's count (`total:
 * totalOver()`), made by `rowsAt` for an offset and limit. A page after the last has no row to
 * carry it, so then the first row is asked for.
 */
export async function pageCounted<T extends { total: number }>(request: PageRequest, rowsAt: (at: PageRequest) => PromiseLike<T[]>): Promise<Page<Omit<T, 'total'>>> {
  const rows = await rowsAt(request)
  const total = rows[0]?.total ?? (request.offset > 0 ? ((await rowsAt({ offset: 0, limit: 1 }))[0]?.total ?? 0) : 0)
  return { items: rows.map(({ total: _, ...rest }) => rest), total, offset: request.offset, limit: request.limit }
}
