import type { ApiBuilder } from '../api/builder.ts'

export function registerAssessmentApi(_api: ApiBuilder): void {}
