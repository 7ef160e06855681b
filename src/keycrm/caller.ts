/**
 * Thin typed helpers between the client's methods and the transport: GET and
 * POST/PUT calls with route templates, and the checks every method runs
 * before sending (batch sizes, request bodies, path ids).
 */
import type * as z from 'zod';

import { KeyCrmInvalidRequestError, KeyCrmLimitError } from './errors.js';
import type { CallKind, KeyCrmTransport } from './transport.js';
import { issueMessage, issuePath } from '../util/zod-issues.js';

/** Sends calls through one transport (and so through one rate limiter). */
export class Caller {
	constructor( private readonly transport: KeyCrmTransport ) {}

	/**
	 * A GET (read: retried on 429, 5xx and network errors).
	 *
	 * @param route        Path template, e.g. `/products/{id}`.
	 * @param path         Actual path.
	 * @param schema       Response schema.
	 * @param searchParams Query.
	 */
	get< T >(
		route: string,
		path: string,
		schema: z.ZodType< T >,
		searchParams?: URLSearchParams
	): Promise< T > {
		return this.transport.call( {
			method: 'GET',
			path,
			route: `GET ${ route }`,
			kind: 'read',
			schema,
			searchParams,
		} );
	}

	/**
	 * A POST or PUT with a JSON body.
	 *
	 * @param method HTTP method.
	 * @param route  Path template.
	 * @param path   Actual path.
	 * @param kind   `write` (idempotent, retried) or `create` (never retried blindly).
	 * @param json   Body (already checked).
	 * @param schema Response schema.
	 */
	send< T >(
		method: 'POST' | 'PUT',
		route: string,
		path: string,
		kind: CallKind,
		json: unknown,
		schema: z.ZodType< T >
	): Promise< T > {
		return this.transport.call( {
			method,
			path,
			route: `${ method } ${ route }`,
			kind,
			json,
			schema,
		} );
	}
}

/**
 * Refuse an empty or over-limit batch before sending.
 *
 * @param route Route template.
 * @param count Items in the batch.
 * @param max   keyCRM's limit.
 */
export function checkCount( route: string, count: number, max: number ): void {
	if ( count < 1 || count > max ) {
		throw new KeyCrmLimitError(
			`${ route }: a batch must hold 1..${ max } items, got ${ count }`
		);
	}
}

/**
 * Check a request body against keyCRM's schema before sending; returns the
 * parsed body (unknown fields dropped).
 *
 * @param route  Route template.
 * @param schema Body schema.
 * @param body   The body.
 */
export function checkBody< S extends z.ZodType >(
	route: string,
	schema: S,
	body: unknown
): z.output< S > {
	const parsed = schema.safeParse( body );
	if ( ! parsed.success ) {
		const issue = parsed.error.issues[ 0 ];
		const path = issue ? issuePath( issue ) : '';
		throw new KeyCrmInvalidRequestError(
			`${ route }: invalid request at "${ path }": ${ issue ? issueMessage( issue ) : 'invalid' }`,
			path
		);
	}
	return parsed.data;
}

/**
 * Validate a product id used in a path.
 *
 * @param id Product id.
 */
export function productId( id: number ): number {
	if ( ! Number.isInteger( id ) || id < 1 ) {
		throw new KeyCrmInvalidRequestError(
			`invalid keyCRM product id ${ id }`,
			'id'
		);
	}
	return id;
}
