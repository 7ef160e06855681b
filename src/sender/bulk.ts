/**
 * Send one bulk keyCRM call and isolate the rows keyCRM rejects, so one bad
 * SKU never blocks the others. keyCRM answers bulk calls with only
 * `{status: true}` or an error; on a 422 the error keys usually name the
 * rows (`stocks.3.quantity`): those rows are set aside and the rest is sent
 * again (one request). When the error names no row, the batch is bisected:
 * each half is a request, so a single bad row costs about 2·log2(n) requests.
 */
import {
	KeyCrmInvalidRequestError,
	KeyCrmUnknownOutcomeError,
	KeyCrmValidationError,
	type KeyCrmError,
} from '../keycrm/errors.js';

/** A row keyCRM refused, with its message. */
export interface Rejected< R > {
	row: R;
	message: string;
}

/** What happened to the rows of a bulk call. */
export interface BulkResult< R > {
	/** keyCRM applied these rows. */
	ok: R[];
	/** keyCRM refused these rows (permanent). */
	rejected: Rejected< R >[];
	/** A create whose outcome is unknown: look these rows up before anything else. */
	unknown: R[];
	/** Transient failure after the client's retries: try these rows later. */
	failed: R[];
	/** The error behind `failed` / `unknown`, when any. */
	error?: KeyCrmError | Error;
}

/**
 * Row indexes an error names for `field`, from 422 keys or a client-side schema path.
 *
 * @param error Error thrown by the client.
 * @param field Array field of the body (`stocks`, `offers`, `products`).
 * @param count Rows in the batch.
 */
function namedRows(
	error: KeyCrmValidationError | KeyCrmInvalidRequestError,
	field: string,
	count: number
): number[] {
	let idx: number[];
	if ( error instanceof KeyCrmValidationError ) {
		idx = error.rowIndexes( field );
	} else {
		const m = new RegExp( `^${ field }\\.(\\d+)(\\.|$)` ).exec(
			error.issuePath
		);
		idx = m?.[ 1 ] === undefined ? [] : [ Number( m[ 1 ] ) ];
	}
	return idx.every( ( i ) => i < count ) ? idx : [];
}

/**
 * keyCRM's messages for one row.
 *
 * @param error Error.
 * @param field Array field.
 * @param i     Row index.
 */
function rowMessage(
	error: KeyCrmValidationError | KeyCrmInvalidRequestError,
	field: string,
	i: number
): string {
	if ( error instanceof KeyCrmValidationError ) {
		const prefix = `${ field }.${ i }`;
		const msgs = Object.entries( error.errors )
			.filter(
				( [ k ] ) => k === prefix || k.startsWith( `${ prefix }.` )
			)
			.flatMap( ( [ k, v ] ) =>
				v.map(
					( m ) =>
						`${ k.slice( prefix.length + 1 ) || field }: ${ m }`
				)
			);
		if ( msgs.length ) {
			return `keyCRM rejected the row: ${ msgs.join( '; ' ) }`;
		}
	}
	return `keyCRM rejected the row: ${ error.message }`;
}

/**
 * Send `rows` with `send`, isolating rejected rows.
 *
 * @param rows  Rows of the call (non-empty).
 * @param field Array field of the body, as keyCRM names rows in errors.
 * @param send  Sends a subset of rows (one request).
 */
export async function sendBulk< R >(
	rows: R[],
	field: string,
	send: ( rows: R[] ) => Promise< void >
): Promise< BulkResult< R > > {
	const result: BulkResult< R > = {
		ok: [],
		rejected: [],
		unknown: [],
		failed: [],
	};
	await sendInto( rows, field, send, result );
	return result;
}

/**
 * Recursive step of `sendBulk`.
 *
 * @param rows   Rows.
 * @param field  Array field.
 * @param send   Sender.
 * @param result Accumulated result.
 */
async function sendInto< R >(
	rows: R[],
	field: string,
	send: ( rows: R[] ) => Promise< void >,
	result: BulkResult< R >
): Promise< void > {
	if ( rows.length === 0 ) {
		return;
	}
	try {
		await send( rows );
		result.ok.push( ...rows );
	} catch ( error ) {
		if ( error instanceof KeyCrmUnknownOutcomeError ) {
			result.unknown.push( ...rows );
			result.error = error;
			return;
		}
		if ( ! (
			error instanceof KeyCrmValidationError ||
			error instanceof KeyCrmInvalidRequestError
		) ) {
			if (
				! ( error instanceof Error ) ||
				error.name === 'KeyCrmAuthError'
			) {
				throw error;
			}
			result.failed.push( ...rows );
			result.error = error;
			return;
		}
		const named = namedRows( error, field, rows.length );
		if ( named.length ) {
			const bad = new Set( named );
			named.forEach( ( i ) =>
				result.rejected.push( {
					row: rows[ i ] as R,
					message: rowMessage( error, field, i ),
				} )
			);
			await sendInto(
				rows.filter( ( _, i ) => ! bad.has( i ) ),
				field,
				send,
				result
			);
		} else if ( rows.length === 1 ) {
			result.rejected.push( {
				row: rows[ 0 ] as R,
				message: rowMessage( error, field, 0 ),
			} );
		} else {
			const mid = Math.ceil( rows.length / 2 );
			await sendInto( rows.slice( 0, mid ), field, send, result );
			await sendInto( rows.slice( mid ), field, send, result );
		}
	}
}
