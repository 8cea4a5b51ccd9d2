/** The access matrix over every case operation of the OpenAPI document, with API tokens, and the audit entries of its reads (see matrix.ts). */
import { defineMatrix } from './matrix.ts'

defineMatrix('api')
