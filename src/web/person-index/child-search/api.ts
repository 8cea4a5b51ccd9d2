/** The child search in the JSON API: the same operation as the /child-search page. */
import { childSearchInput } from '../../../services/person-index/child-search-input.ts'
import { searchChildren } from '../../../services/person-index/child-search.ts'
import type { ApiBuilder } from '../../common/api/builder.ts'

export function registerChildSearchApi(api: ApiBuilder): void {
  api.get('/child-search', {
    summary:
      'Find a child: free text `q` (name, date of birth, age such as "age 7", NHS number, postcode) or the separate fields, every one narrowing; ' +
      'the person index’s matcher with the plain search. Answers the first `limit` (20) children best first, `total` (how many matched that ' +
      'the user may be shown), `refine` (what to add when total is more than shown), `restrictedMatches` (counted only for users related ' +
      'to the case) and per child `mayOpenCase`',
    tag: 'Person index',
    query: childSearchInput,
  }, ({ ctx, query }) => searchChildren(ctx, query))
}
