/** The access matrix over every case page of the route table, and the audit entries of its reads (see matrix.ts). */
import { defineMatrix } from './matrix.ts'

defineMatrix('page')
