/**
 * Laravel-style pagination of emulator lists: `limit` (1..50, default 15)
 * and `page`, a top-level paginator whose URLs keep the request's query.
 *
 * `limit` > 50 (or < 1, or not an integer) answers 422, like Laravel's
 * validation would; keyCRM does not document whether it clamps instead
 * (API-NOTES (f)7). Choosing the strict answer makes a client that sends
 * more than the documented maximum fail in tests.
 */
import { HttpError } from './http-error.js';

export const DEFAULT_LIMIT = 15;
export const MAX_LIMIT = 50;

/**
 * Read `limit` and `page` from the query, or throw a 422.
 *
 * @param query Request query.
 */
export function pageParams( query: URLSearchParams ): {
	limit: number;
	page: number;
} {
	const rawLimit = query.get( 'limit' );
	const limit = rawLimit === null ? DEFAULT_LIMIT : Number( rawLimit );
	if ( ! Number.isInteger( limit ) || limit < 1 || limit > MAX_LIMIT ) {
		const msg =
			limit > MAX_LIMIT
				? `The limit field must not be greater than ${ MAX_LIMIT }.`
				: 'The limit field must be an integer of at least 1.';
		throw HttpError.validation( { limit: [ msg ] } );
	}
	const rawPage = query.get( 'page' );
	const page = rawPage === null ? 1 : Math.floor( Number( rawPage ) );
	return { limit, page: Number.isFinite( page ) && page >= 1 ? page : 1 };
}

/**
 * Build the paginator for `items` (already filtered and sorted).
 *
 * @param items   All matching items.
 * @param query   The request query (kept in the page URLs).
 * @param pathUrl Absolute URL of the list without query.
 * @param toView  Item → JSON.
 */
export function paginate< T >(
	items: readonly T[],
	query: URLSearchParams,
	pathUrl: string,
	toView: ( item: T ) => unknown
): Record< string, unknown > {
	const { limit, page } = pageParams( query );
	const total = items.length;
	const lastPage = Math.max( 1, Math.ceil( total / limit ) );
	const start = ( page - 1 ) * limit;
	const slice = items.slice( start, start + limit );
	const url = ( n: number ) => {
		const q = new URLSearchParams( query );
		q.set( 'page', String( n ) );
		return `${ pathUrl }?${ q.toString() }`;
	};
	return {
		current_page: page,
		data: slice.map( toView ),
		first_page_url: url( 1 ),
		from: slice.length ? start + 1 : null,
		last_page: lastPage,
		last_page_url: url( lastPage ),
		next_page_url: page < lastPage ? url( page + 1 ) : null,
		path: pathUrl,
		per_page: limit,
		prev_page_url: page > 1 ? url( page - 1 ) : null,
		to: slice.length ? start + slice.length : null,
		total,
	};
}
