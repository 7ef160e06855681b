/**
 * What an emulator API route handler receives and returns.
 */
import type { EmulatorStore } from './store.js';

export interface RouteContext {
	store: EmulatorStore;
	query: URLSearchParams;
	/** Parsed JSON body (undefined when none or not JSON). */
	body: unknown;
	/** Numeric path parameters (e.g. `id`). */
	params: Record< string, number >;
	/** Absolute API root used in paginator URLs, e.g. `http://127.0.0.1:9411/v1`. */
	apiUrl: string;
	/** SKUs that make any bulk call containing them answer 422 (fault injection). */
	rejectSkus: ReadonlySet< string >;
	/** Report offers whose stock changed (fires the stock webhook). */
	stockChanged: ( offerIds: Iterable< number > ) => void;
}

export interface RouteResult {
	status: number;
	body: unknown;
}

export interface Route {
	method: 'GET' | 'POST' | 'PUT';
	/** Path template, e.g. `/products/{id}`; `{id}` matches a positive integer. */
	template: string;
	handle: ( ctx: RouteContext ) => RouteResult;
}

/**
 * `{status: true}` with the given status: keyCRM's answer to bulk calls (no ids).
 * @param status HTTP status.
 */
export const statusTrue = ( status: number ): RouteResult => ( {
	status,
	body: { status: true },
} );

/**
 * Ids from a comma-separated filter value; undefined when the filter is absent.
 *
 * @param value Filter value.
 */
export function idList( value: string | null ): Set< number > | undefined {
	return value === null
		? undefined
		: new Set( value.split( ',' ).map( ( v ) => Number( v.trim() ) ) );
}

/**
 * Strings from a comma-separated filter value; undefined when absent.
 *
 * @param value Filter value.
 */
export function stringList( value: string | null ): Set< string > | undefined {
	return value === null ? undefined : new Set( value.split( ',' ) );
}

/**
 * A boolean filter (`true`/`false`/`1`/`0`); undefined when absent or unrecognised.
 *
 * @param value Filter value.
 */
export function boolFilter( value: string | null ): boolean | undefined {
	if ( value === 'true' || value === '1' ) {
		return true;
	}
	return value === 'false' || value === '0' ? false : undefined;
}
