/**
 * A census file's content in a canonical form, to compare an import's export with the file it came
 * from: children in LAchildID order, and the episodes and sub-modules of each child in the order of
 * their own XML (the XML identifies them by position only, and two records of one date may come
 * back in either order). Header items and the file's layout are left out.
 */
import type { CensusEpisode } from '../../src/domain/returns/cin-census/model.ts'
import { parseCensus } from '../../src/domain/returns/cin-census/parse.ts'
import { childXml } from '../../src/domain/returns/cin-census/write.ts'

const sorted = <T>(items: readonly T[]) => [...items].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1))

function canonicalEpisode(e: CensusEpisode): CensusEpisode {
  return {
    ...e,
    referralNfa: e.referralNfa === 'true' ? '1' : e.referralNfa === 'false' ? '0' : e.referralNfa,
    assessments: sorted(e.assessments),
    cinPlans: sorted(e.cinPlans),
    section47s: sorted(e.section47s),
    childProtectionPlans: sorted(e.childProtectionPlans),
    preProceedings: sorted(e.preProceedings),
  }
}

/** One line of canonical XML per child, in file order. */
export function canonicalChildren(xml: string, year: number): { laChildId: string | undefined; xml: string }[] {
  return parseCensus(xml).children.map((child) => {
    const episodes = sorted(child.episodes.map(canonicalEpisode).map((e) => ({ key: childXml({ episodes: [e] }, year), e }))).map((x) => x.e)
    return { laChildId: child.laChildId, xml: childXml({ ...child, episodes }, year).replace(/\n/g, '') }
  })
}
