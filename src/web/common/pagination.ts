/**
 * The one pagination of the pages (issue 16, item 12): `?page=N` read into a PageRequest, and the
 * view of a Page for partials/pagination.njk ("Showing 21 to 40 of 143", previous/next and page
 * numbers in a <nav>). A page number that is not a whole number from 1 is a 400 that says so; a
 * page beyond the last is a 404 page that names the last page and links to it (never a 500).
 */
import type { Request, Response } from 'express'
import { DEFAULT_PAGE_SIZE, type Page, type PageRequest } from '../../services/common/paging.ts'

/** A `page` query parameter that is no page number: answered 400 with the reason (middleware/errors.ts). */
export class BadPageNumber extends Error {
  override name = 'BadPageNumber'
  readonly status = 400
  readonly expose = true
  readonly detail = 'The page number must be a whole number from 1'
  constructor() {
    super('The page number must be a whole number from 1')
  }
}

/**
 * The page asked for by `?page=` (1 when absent) as a page number and a PageRequest. A page with
 * several lists names each list's page by its own parameter (`param`, e.g. `teamPage`).
 */
export function pageRequestOf(query: Request['query'], pageSize = DEFAULT_PAGE_SIZE, param = 'page'): PageRequest & { page: number } {
  const raw = query[param]
  if (raw === undefined || raw === '') return { page: 1, offset: 0, limit: pageSize }
  if (typeof raw !== 'string' || !/^\d{1,9}$/.test(raw.trim()) || Number(raw) < 1) throw new BadPageNumber()
  const page = Number(raw)
  return { page, offset: (page - 1) * pageSize, limit: pageSize }
}

export type PageLink = { number: number; href: string; current: boolean } | { ellipsis: true }

export interface Pagination {
  page: number
  pages: number
  total: number
  /** The first and last row shown, counted from 1 (0 and 0 when none). */
  from: number
  to: number
  /** Asked for a page after the last one: the page says so (404). */
  beyond: boolean
  status: 200 | 404
  previous: string | null
  next: string | null
  first: string
  last: string
  /** Page-number links: the first, the last and two either side of this page, with gaps between. */
  items: PageLink[]
}

/** The view of one page of a list, its links made by `hrefOf(page)`. */
export function paginationOf(page: PageShown, hrefOf: (n: number) => string): Pagination {
  const number = Math.floor(page.offset / page.limit) + 1
  const pages = Math.max(1, Math.ceil(page.total / page.limit))
  const beyond = number > pages
  const items: PageLink[] = []
  if (pages > 1) {
    for (let n = 1; n <= pages; n++) {
      if (n === 1 || n === pages || Math.abs(n - number) <= 2) items.push({ number: n, href: hrefOf(n), current: n === number })
      else if (!('ellipsis' in (items.at(-1) ?? {}))) items.push({ ellipsis: true })
    }
  }
  return {
    page: number,
    pages,
    total: page.total,
    from: page.items.length ? page.offset + 1 : 0,
    to: page.offset + page.items.length,
    beyond,
    status: beyond ? 404 : 200,
    previous: number > 1 && !beyond ? hrefOf(number - 1) : null,
    next: number < pages ? hrefOf(number + 1) : null,
    first: hrefOf(1),
    last: hrefOf(pages),
    items,
  }
}

/**
 * Links to other pages of the request's own list: its path and query (its filters, and the pages
 * of the page's other lists) with `param` set (page 1 leaves it out).
 */
export function pageHrefOf(req: Request, anchor = '', param = 'page'): (n: number) => string {
  return (n) => {
    const params = new URLSearchParams()
    for (const [key, value] of Object.entries(req.query)) {
      if (key === param) continue
      for (const v of Array.isArray(value) ? value : [value]) if (typeof v === 'string') params.append(key, v)
    }
    if (n > 1) params.set(param, String(n))
    const qs = params.toString()
    return `${req.baseUrl}${req.path}${qs ? `?${qs}` : ''}${anchor}`
  }
}

/**
 * The request's page of a list and its view, for a route: `const { request, view } = ...; service(..., request)`.
 * `param` names the list's page parameter when the page has more than one list.
 */
export function pagingOf(req: Request, pageSize = DEFAULT_PAGE_SIZE, anchor = '', param = 'page') {
  const request = pageRequestOf(req.query, pageSize, param)
  const hrefOf = pageHrefOf(req, anchor, param)
  return { request, view: (page: PageShown) => paginationOf(page, hrefOf) }
}

type PageShown = Pick<Page<unknown>, 'total' | 'offset' | 'limit'> & { items: readonly unknown[] }

/**
 * The paging of a page with several lists, each by its own parameter (`<list>Page`), page size
 * (one for all, or by list) and anchor (`#<list>` unless `anchorOf` says otherwise): the request of each list, and the views of the
 * pages read, with the status of the whole page (404 when a list was asked for a page after its last).
 */
export function listsPagingOf<L extends string>(req: Request, lists: readonly L[], pageSize: number | Record<L, number>, anchorOf: (list: L) => string = (list) => `#${list}`) {
  const sizeOf = (list: L) => (typeof pageSize === 'number' ? pageSize : pageSize[list])
  const paging = new Map(lists.map((list) => [list, pagingOf(req, sizeOf(list), anchorOf(list), `${list}Page`)] as const))
  const requests = {} as Record<L, PageRequest>
  for (const list of lists) requests[list] = paging.get(list)!.request
  const view = (pages: Record<L, PageShown>) => {
    const pagination = {} as Record<L, Pagination>
    for (const list of lists) pagination[list] = paging.get(list)!.view(pages[list])
    return { pagination, status: lists.some((list) => pagination[list].beyond) ? 404 : 200 }
  }
  return { requests, view }
}

/**
 * Renders a page showing one paged list: `load` reads the request's page (`?page=`), `locals` gives
 * the template what it shows of it; the template gets `pagination` too, and the status is 404 for
 * a page after the last.
 */
export async function renderPaged<P extends PageShown>(
  req: Request,
  res: Response,
  template: string,
  load: (request: PageRequest) => Promise<P>,
  locals: (page: P) => Record<string, unknown>,
  pageSize = DEFAULT_PAGE_SIZE,
): Promise<void> {
  const paging = pagingOf(req, pageSize)
  const page = await load(paging.request)
  const pagination = paging.view(page)
  res.status(pagination.status).render(template, { ...locals(page), pagination })
}
