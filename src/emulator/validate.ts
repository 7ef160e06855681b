/**
 * Request-body validation of the emulator, answering like Laravel's
 * validator: 422 `{message, errors: {"stocks.3.quantity": ["…"]}}`.
 */
import type * as z from 'zod';

import { HttpError } from './http-error.js';

/**
 * Laravel-like message for one zod issue.
 *
 * @param key   Dotted field path.
 * @param issue The zod issue.
 */
function issueMessage( key: string, issue: z.core.$ZodIssue ): string {
	const field = key === '' ? 'body' : key;
	if (
		issue.code === 'invalid_type' &&
		/received undefined/.test( issue.message )
	) {
		return `The ${ field } field is required.`;
	}
	if ( issue.code === 'too_big' && issue.origin === 'array' ) {
		return `The ${ field } field must not have more than ${ String( issue.maximum ) } items.`;
	}
	if ( issue.code === 'too_small' && issue.origin === 'array' ) {
		return `The ${ field } field must have at least ${ String( issue.minimum ) } items.`;
	}
	return `The ${ field } field is invalid: ${ issue.message }.`;
}

/**
 * Parse a body with `schema` or throw a 422 naming every offending field.
 *
 * @param schema Body schema.
 * @param body   Parsed JSON (or undefined).
 */
export function validateBody< S extends z.ZodType >(
	schema: S,
	body: unknown
): z.output< S > {
	const parsed = schema.safeParse( body ?? {} );
	if ( parsed.success ) {
		return parsed.data;
	}
	const errors: Record< string, string[] > = {};
	for ( const issue of parsed.error.issues ) {
		const key = issue.path.map( String ).join( '.' );
		( errors[ key ] ??= [] ).push( issueMessage( key, issue ) );
	}
	throw HttpError.validation( errors );
}

/**
 * Reject the whole batch when rows name SKUs chosen for fault injection.
 *
 * @param field  Array field (`products`, `offers`, `stocks`).
 * @param rows   Rows of the batch.
 * @param reject SKUs to reject.
 */
export function rejectChosenSkus(
	field: string,
	rows: readonly { sku?: string }[],
	reject: ReadonlySet< string >
): void {
	if ( reject.size === 0 ) {
		return;
	}
	const errors: Record< string, string[] > = {};
	rows.forEach( ( row, i ) => {
		if ( row.sku !== undefined && reject.has( row.sku ) ) {
			errors[ `${ field }.${ i }.sku` ] = [
				`The ${ field }.${ i }.sku "${ row.sku }" was rejected.`,
			];
		}
	} );
	if ( Object.keys( errors ).length ) {
		throw HttpError.validation( errors );
	}
}
