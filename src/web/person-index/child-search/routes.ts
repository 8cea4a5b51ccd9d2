/**
 * The child search page (/child-search), reached from the search field in every page's header:
 * the children who match (those the user may know about), how many matched, a link to each
 * child's case the user may open, and when more matched than are shown, what to add to narrow it.
 * Needs `person:search`. The JSON API's GET /api/v1/child-search is the same operation.
 */
import type { Router } from 'express'
import { featureRouter } from '../../common/router.ts'
import { childSearchInput } from '../../../services/person-index/child-search-input.ts'
import { searchChildren, type ChildSearchResult } from '../../../services/person-index/child-search.ts'
import { parsePostcode, formatPostcode } from '../../../domain/person-index/postcode.ts'
import type { PeopleCriteria } from '../../../services/person-index/people.ts'
import type { AppDeps } from '../../deps.ts'
import { fieldMessages, formErrors, type FormErrors } from '../../common/forms.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'

const FIELDS = ['q', 'givenName', 'familyName', 'name', 'dateOfBirth', 'age', 'nhsNumber', 'postcode'] as const

/** The refine form's fields as the search understood them. */
function formValues(c: PeopleCriteria): Record<string, string> {
  const [y, m, d] = c.dateOfBirth?.split('-') ?? []
  const postcode = c.postcode ? parsePostcode(c.postcode) : null
  return {
    name: c.name ?? '',
    givenName: c.givenName ?? '',
    familyName: c.familyName ?? '',
    dateOfBirth: y && m && d ? `${Number(d)}/${Number(m)}/${y}` : '',
    age: c.age === undefined ? '' : String(c.age),
    nhsNumber: c.nhsNumber ?? '',
    postcode: postcode ? formatPostcode(postcode) : '',
  }
}

export function childSearchRoutes(deps: AppDeps): Router {
  const router = featureRouter()

  router.get('/child-search', requireSignIn, async (req, res) => {
    const query = Object.fromEntries(FIELDS.flatMap((k) => (typeof req.query[k] === 'string' ? [[k, req.query[k] as string]] : [])))
    let results: ChildSearchResult | null = null
    let errors: FormErrors | undefined
    let values: Record<string, string> = { ...query }
    if (Object.values(query).some((v) => v.trim() !== '')) {
      const parsed = childSearchInput.safeParse(query)
      if (parsed.success) {
        results = await searchChildren(serviceContext(deps, req, res), parsed.data)
        values = { q: query.q ?? '', ...formValues(parsed.data) }
      } else errors = formErrors(fieldMessages(parsed.error))
    }
    res.status(errors ? 400 : 200).render('child-search/index.njk', { results, values, errors })
  })

  return router
}
