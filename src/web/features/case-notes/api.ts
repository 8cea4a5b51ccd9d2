import type { ApiBuilder } from '../api/builder.ts'

export function registerCaseNoteApi(_api: ApiBuilder): void {}
