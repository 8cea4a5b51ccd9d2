import type { ApiBuilder } from '../api/builder.ts'

export function registerFrontDoorApi(_api: ApiBuilder): void {}
