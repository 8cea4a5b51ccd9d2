/** The access matrix over every case form of the route table: refused users change nothing (see matrix.ts). */
import { defineMatrix } from './matrix.ts'

defineMatrix('form')
