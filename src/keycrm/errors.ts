/**
 * Typed errors of the keyCRM client. Every error thrown by the client is a
 * `KeyCrmError`; `retryable` tells callers whether trying the same call
 * later can succeed.
 */

/** What the failed call was. */
export interface KeyCrmCallInfo {
	method: string;
	/** Route template, e.g. `PUT /offers/stocks`. */
	route: string;
}

/** Base class of every keyCRM client error. */
export class KeyCrmError extends Error {
	override name = 'KeyCrmError';
	/** Whether the same call may succeed later. */
	readonly retryable: boolean;
	/** HTTP status, when a response was received. */
	readonly status: number | undefined;
	/** The call that failed, when known. */
	readonly call: KeyCrmCallInfo | undefined;

	constructor(
		message: string,
		opts: {
			retryable: boolean;
			status?: number;
			call?: KeyCrmCallInfo;
			cause?: unknown;
		}
	) {
		super(
			message,
			opts.cause === undefined ? undefined : { cause: opts.cause }
		);
		this.retryable = opts.retryable;
		this.status = opts.status;
		this.call = opts.call;
	}
}

/** 401: the API key is missing, wrong or revoked. */
export class KeyCrmAuthError extends KeyCrmError {
	override name = 'KeyCrmAuthError';
	constructor( message: string, call?: KeyCrmCallInfo ) {
		super( message, { retryable: false, status: 401, call } );
	}
}

/** 422/400: keyCRM rejected the request; `errors` maps field paths (e.g. `stocks.3.sku`) to messages. */
export class KeyCrmValidationError extends KeyCrmError {
	override name = 'KeyCrmValidationError';
	readonly errors: Record< string, string[] >;
	constructor(
		message: string,
		status: number,
		errors: Record< string, string[] >,
		call?: KeyCrmCallInfo
	) {
		super( message, { retryable: false, status, call } );
		this.errors = errors;
	}

	/**
	 * Row indexes named by the error keys for the given array field (e.g. `stocks`).
	 * @param field Array field name, e.g. `stocks`.
	 */
	rowIndexes( field: string ): number[] {
		const re = new RegExp( `^${ field }\\.(\\d+)(\\.|$)` );
		const found = new Set< number >();
		for ( const key of Object.keys( this.errors ) ) {
			const m = re.exec( key );
			if ( m?.[ 1 ] !== undefined ) {
				found.add( Number( m[ 1 ] ) );
			}
		}
		return [ ...found ].sort( ( a, b ) => a - b );
	}
}

/** 429 after all retries; `retryAfterMs` is keyCRM's `Retry-After` (or the last back-off). */
export class KeyCrmRateLimitedError extends KeyCrmError {
	override name = 'KeyCrmRateLimitedError';
	readonly retryAfterMs: number;
	constructor(
		message: string,
		retryAfterMs: number,
		call?: KeyCrmCallInfo
	) {
		super( message, { retryable: true, status: 429, call } );
		this.retryAfterMs = retryAfterMs;
	}
}

/** 5xx, timeout or network failure on an idempotent call, after all retries. */
export class KeyCrmTransientError extends KeyCrmError {
	override name = 'KeyCrmTransientError';
	constructor(
		message: string,
		opts: { status?: number; call?: KeyCrmCallInfo; cause?: unknown }
	) {
		super( message, { retryable: true, ...opts } );
	}
}

/** The response did not match the expected schema (or was not JSON). */
export class KeyCrmUnexpectedResponseError extends KeyCrmError {
	override name = 'KeyCrmUnexpectedResponseError';
	/** Dotted path of the first offending field (`data.3.id`), '' for the whole body. */
	readonly issuePath: string;
	constructor(
		message: string,
		opts: {
			status?: number;
			issuePath?: string;
			call?: KeyCrmCallInfo;
			cause?: unknown;
		}
	) {
		super( message, { retryable: false, ...opts } );
		this.issuePath = opts.issuePath ?? '';
	}
}

/** 404: the product (or route) does not exist. */
export class KeyCrmNotFoundError extends KeyCrmError {
	override name = 'KeyCrmNotFoundError';
	constructor( message: string, call?: KeyCrmCallInfo ) {
		super( message, { retryable: false, status: 404, call } );
	}
}

/** Refused before sending: a documented keyCRM limit would be exceeded (batch size, page size, SKU form). */
export class KeyCrmLimitError extends KeyCrmError {
	override name = 'KeyCrmLimitError';
	constructor( message: string, call?: KeyCrmCallInfo ) {
		super( message, { retryable: false, call } );
	}
}

/** Refused before sending: the request body does not match keyCRM's schema. */
export class KeyCrmInvalidRequestError extends KeyCrmError {
	override name = 'KeyCrmInvalidRequestError';
	readonly issuePath: string;
	constructor( message: string, issuePath: string, call?: KeyCrmCallInfo ) {
		super( message, { retryable: false, call } );
		this.issuePath = issuePath;
	}
}

/**
 * A create (POST) may or may not have happened: the request was sent and the
 * transport failed or keyCRM answered 5xx. Never retry blindly: look the SKUs
 * up (`findOffersBySku`) first.
 */
export class KeyCrmUnknownOutcomeError extends KeyCrmError {
	override name = 'KeyCrmUnknownOutcomeError';
	constructor(
		message: string,
		opts: { status?: number; call?: KeyCrmCallInfo; cause?: unknown }
	) {
		super( message, { retryable: false, ...opts } );
	}
}
