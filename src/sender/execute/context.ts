/**
 * What every call handler of the executor shares: the context it runs in,
 * the outcome it fills, and how errors become per-SKU failures.
 */
import type {
	CategoryRecord,
	ClaimedItem,
} from '../../contract/plugin-rest.js';
import type { KeyCrmClient } from '../../keycrm/client.js';
import {
	KeyCrmError,
	KeyCrmRateLimitedError,
	KeyCrmTransientError,
	KeyCrmUnknownOutcomeError,
} from '../../keycrm/errors.js';
import type { BulkResult } from '../bulk.js';
import { ESTABLISHES, type PlannedCall } from '../plan.js';
import { UnknownUnitError } from '../units.js';
import type { RunState } from '../run-state.js';

/** A SKU's failure. */
export interface SkuFailure {
	sku: string;
	code: string;
	message: string;
}

/** What one call left to acknowledge. */
export interface CallOutcome {
	failed: SkuFailure[];
	retry: SkuFailure[];
	/** keyCRM requests the call used (bisection and lookups included). */
	requests: number;
}

/** Everything the executor needs. */
export interface ExecContext {
	client: KeyCrmClient;
	state: RunState;
	/** Claimed snapshots by SKU (a variation a lookup finds tells its parent's keyCRM id). */
	items: { get: ( sku: string ) => ClaimedItem | undefined };
	/** Called for SKUs found more than once in keyCRM (duplicates made elsewhere). */
	onDuplicate?: ( sku: string, count: number ) => void;
	/** Called with the keyCRM categories found or created, for the plugin to remember. */
	onCategories?: ( records: CategoryRecord[] ) => void;
}

/**
 * Error code and message for a failed call.
 *
 * @param error The error.
 */
export function describe( error: unknown ): { code: string; message: string } {
	if ( error instanceof KeyCrmRateLimitedError ) {
		return { code: 'keycrm_rate_limited', message: error.message };
	}
	if (
		error instanceof KeyCrmTransientError ||
		error instanceof KeyCrmUnknownOutcomeError
	) {
		return { code: 'keycrm_unavailable', message: error.message };
	}
	if ( error instanceof KeyCrmError ) {
		return {
			code: `keycrm_${ error.status ?? 'error' }`,
			message: error.message,
		};
	}
	return {
		code: 'sender_error',
		message: error instanceof Error ? error.message : String( error ),
	};
}

/**
 * Whether an error is worth retrying later (not a permanent rejection).
 *
 * @param error The error.
 */
export function isTransient( error: unknown ): boolean {
	return (
		! ( error instanceof KeyCrmError ) ||
		error.retryable ||
		error instanceof KeyCrmUnknownOutcomeError
	);
}

/**
 * Move a bulk result's rejected / failed rows into the outcome.
 *
 * @param r   Bulk result.
 * @param sku SKU of a row.
 * @param out Outcome.
 */
export function collect< R >(
	r: BulkResult< R >,
	sku: ( row: R ) => string,
	out: CallOutcome
): void {
	r.rejected.forEach( ( x ) =>
		out.failed.push( {
			sku: sku( x.row ),
			code: 'keycrm_rejected',
			message: x.message,
		} )
	);
	const d = describe( r.error );
	r.failed.forEach( ( row ) => out.retry.push( { sku: sku( row ), ...d } ) );
}

/**
 * A hash a call's success establishes for one of its SKUs, from the desired
 * record the call carries (null: none known).
 *
 * @param call The call.
 * @param sku  SKU.
 * @param kind Which hash.
 */
export function established(
	call: PlannedCall,
	sku: string,
	kind: 'offerHash' | 'productHash'
): string | null {
	const d =
		call.kind === 'stocks' ||
		call.kind === 'lookup' ||
		call.kind === 'categories'
			? undefined
			: call[ ESTABLISHES ]?.get( sku );
	if ( ! d ) {
		return null;
	}
	if ( kind === 'productHash' ) {
		return d.productHash;
	}
	return d.offer instanceof UnknownUnitError ? null : d.offer.hash;
}
