/**
 * Query-string builders for keyCRM list calls (spatie query-builder style:
 * `filter[field]=a,b`, `include=a,b`, `sort=-id`, `limit`, `page`).
 */
import { KeyCrmLimitError } from './errors.js';
import { KEYCRM_LIMITS } from './schemas.js';

/** A filter value: one value or a list (sent comma-separated). */
export type FilterValue =
	string | number | boolean | ReadonlyArray< string | number >;

/** Common list parameters. */
export interface ListParams {
	page?: number;
	/** 1..50 (keyCRM's maximum). */
	limit?: number;
}

/**
 * Build the query of a list call, enforcing keyCRM's limits before sending.
 *
 * @param route  Route template, for error messages.
 * @param params Page, limit, filters, include, sort.
 */
export function listQuery(
	route: string,
	params: ListParams & {
		filter?: Record< string, FilterValue | undefined >;
		include?: string | readonly string[];
		sort?: string;
	}
): URLSearchParams {
	const q = new URLSearchParams();
	if ( params.limit !== undefined ) {
		if (
			! Number.isInteger( params.limit ) ||
			params.limit < 1 ||
			params.limit > KEYCRM_LIMITS.pageSize
		) {
			throw new KeyCrmLimitError(
				`${ route }: limit must be an integer 1..${ KEYCRM_LIMITS.pageSize }, got ${ params.limit }`
			);
		}
		q.set( 'limit', String( params.limit ) );
	}
	if ( params.page !== undefined ) {
		if ( ! Number.isInteger( params.page ) || params.page < 1 ) {
			throw new KeyCrmLimitError(
				`${ route }: page must be an integer ≥ 1, got ${ params.page }`
			);
		}
		q.set( 'page', String( params.page ) );
	}
	for ( const [ name, value ] of Object.entries( params.filter ?? {} ) ) {
		if ( value !== undefined ) {
			q.set( `filter[${ name }]`, filterValue( route, name, value ) );
		}
	}
	if ( params.include !== undefined ) {
		q.set(
			'include',
			typeof params.include === 'string'
				? params.include
				: params.include.join( ',' )
		);
	}
	if ( params.sort !== undefined ) {
		q.set( 'sort', params.sort );
	}
	return q;
}

/**
 * Serialise one filter value. List values are comma-separated, so a value
 * containing a comma cannot be expressed (API-NOTES (d)12): refuse it.
 *
 * @param route Route template.
 * @param name  Filter name.
 * @param value Filter value.
 */
function filterValue(
	route: string,
	name: string,
	value: FilterValue
): string {
	if ( typeof value === 'boolean' || typeof value === 'number' ) {
		return String( value );
	}
	const list = typeof value === 'string' ? [ value ] : value.map( String );
	if ( list.length === 0 ) {
		throw new KeyCrmLimitError(
			`${ route }: filter[${ name }] needs at least one value`
		);
	}
	for ( const v of list ) {
		if ( v.includes( ',' ) || v === '' ) {
			throw new KeyCrmLimitError(
				`${ route }: filter[${ name }] value "${ v }" is empty or contains a comma; keyCRM cannot filter by it`
			);
		}
	}
	return list.join( ',' );
}
