/**
 * Zod issues in plain words, for every place that reports a failed parse (the
 * admin UI, the plugin and keyCRM clients, the demo's options).
 *
 * The words come from the issue itself (code, expected type, limits), not from
 * zod's locale: `zod/mini` (the browser bundle) loads no locale and says
 * "Invalid input" for everything. A message a schema sets itself is kept.
 * Only zod's types are imported: nothing of zod lands in a bundle from here.
 */
import type * as z from 'zod/mini';

/** One issue of a failed parse (zod or zod/mini). */
export type ZodIssue = z.core.$ZodIssue;

/** zod's own wording when no locale is loaded (zod/mini) or for unions. */
const GENERIC = 'Invalid input';

/**
 * Where the issue is: `items.0.sku`, or '' for the root.
 *
 * @param issue The issue.
 */
export function issuePath( issue: ZodIssue ): string {
	return issue.path.map( String ).join( '.' );
}

/**
 * The limit of a too_small / too_big issue in words.
 *
 * @param issue The issue.
 * @param word  'at least' or 'at most'.
 * @param limit The limit.
 */
function limitText(
	issue: ZodIssue & { origin?: string },
	word: string,
	limit: number | bigint
): string {
	switch ( issue.origin ) {
		case 'string':
			return `must be ${ word } ${ limit } characters`;
		case 'array':
		case 'set':
			return `must have ${ word } ${ limit } items`;
		default:
			return `must be ${ word } ${ limit }`;
	}
}

/**
 * What is wrong, in a few words (`expected number`, `must be at most 60`, …).
 *
 * @param issue The issue.
 */
export function issueMessage( issue: ZodIssue ): string {
	if ( issue.message && issue.message !== GENERIC ) {
		return issue.message;
	}
	switch ( issue.code ) {
		case 'invalid_type':
			return `expected ${ issue.expected }`;
		case 'invalid_value':
			return `expected one of ${ issue.values
				.map( ( v ) => JSON.stringify( v ) )
				.join( ', ' ) }`;
		case 'too_small':
			return limitText( issue, 'at least', issue.minimum );
		case 'too_big':
			return limitText( issue, 'at most', issue.maximum );
		case 'invalid_format':
			return `not a valid ${ issue.format }`;
		case 'not_multiple_of':
			return `must be a multiple of ${ issue.divisor }`;
		case 'unrecognized_keys':
			return `unknown keys ${ issue.keys.join( ', ' ) }`;
		case 'invalid_union':
			return 'matches none of the allowed shapes';
		default:
			return issue.message || GENERIC;
	}
}

/**
 * The first `max` issues as `path: message`, joined by '; ' (`(root)` for the root).
 *
 * @param issues The issues of a failed parse.
 * @param max    How many to name.
 */
export function describeIssues( issues: readonly ZodIssue[], max = 1 ): string {
	return issues
		.slice( 0, max )
		.map(
			( issue ) =>
				`${ issuePath( issue ) || '(root)' }: ${ issueMessage( issue ) }`
		)
		.join( '; ' );
}
