/**
 * Field shapes shared by the REST contract's schemas (not part of the
 * contract's exports): timestamps are ISO-8601 UTC strings, absent numbers
 * are `null`.
 */
import * as z from 'zod/mini';

export const isoDate = z.string().check( z.minLength( 1 ) );
export const nullableNumber = z.nullable( z.number() );
