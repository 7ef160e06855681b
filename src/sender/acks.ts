/**
 * Acknowledgements: per-SKU results built from the claimed snapshot and the
 * run's progress, grouped by lease token, sent with a few retries. An ack
 * that cannot be delivered is dropped: its rows stay leased in WordPress
 * until the lease ends and are then claimed and sent again (harmless: values
 * are absolute, and SKUs created in this run are looked up, not recreated).
 */
import type {
	AckOutcome,
	AckRequest,
	AckResponse,
	AckResult,
	CategoryRecord,
	ClaimedItem,
} from '../contract/plugin-rest.js';
import type { Logger } from './logger.js';
import { maybeCreated } from './plan/work.js';
import type { RunState } from './run-state.js';
import { cutChars } from '../util/text.js';

/** The sender's view of the plugin's ack route. */
export interface AckSink {
	ack: ( req: AckRequest ) => Promise< AckResponse >;
}

/** A result waiting to be sent. */
interface Pending {
	token: string;
	result: AckResult;
}

/** Tries per ack before dropping it. */
const MAX_TRIES = 3;

/**
 * Build the ack result of one SKU.
 *
 * @param item            Claimed snapshot.
 * @param state           Run state.
 * @param outcome         Outcome.
 * @param failure         Error details for failed/retry.
 * @param failure.code    Error code.
 * @param failure.message Message.
 */
export function ackResult(
	item: ClaimedItem,
	state: RunState,
	outcome: AckOutcome,
	failure?: { code: string; message: string }
): AckResult {
	const s = state.skus.get( item.sku );
	const parentId =
		item.type === 'variable' ? item.product_id : item.parent_id;
	const productId =
		s?.productId ??
		item.keycrm_product_id ??
		( parentId !== null ? state.parents.get( parentId ) : undefined ) ??
		null;
	const result: AckResult = {
		sku: item.sku,
		version: item.version,
		outcome,
		keycrm_product_id: productId,
		keycrm_offer_id: s?.offerId ?? item.keycrm_offer_id,
		pushed_stock:
			s?.pushedStock !== undefined ? s.pushedStock : item.pushed_stock,
		pushed_offer_hash:
			s?.offerHash !== undefined ? s.offerHash : item.pushed_offer_hash,
		pushed_product_hash:
			s?.productHash !== undefined
				? s.productHash
				: item.pushed_product_hash,
	};
	if ( failure ) {
		result.code = cutChars( failure.code, 100 );
		result.error = cutChars( failure.message, 2000 );
	}
	return result;
}

/**
 * How a SKU still in hand is handed back when stopping. `released` (no
 * attempt counted) would clear the doubt about a create that may have
 * landed (the claim's `reclaimed`), so such a SKU whose existence this run
 * did not settle is returned as an attempt instead.
 *
 * @param item  Claimed item.
 * @param state Run state.
 */
export function releaseOf(
	item: ClaimedItem,
	state: RunState
): { sku: string; code: string; message: string } {
	const exists = state.skus.get( item.sku )?.exists;
	if ( maybeCreated( item, state ) && exists !== 'yes' && exists !== 'no' ) {
		return {
			sku: item.sku,
			code: 'stopped_unresolved',
			message:
				'The sender stopped before learning whether keyCRM holds this SKU.',
		};
	}
	return {
		sku: item.sku,
		code: 'released',
		message: 'The sender stopped before this SKU was sent.',
	};
}

/** Results waiting for delivery, per lease token. */
export class AckQueue {
	private pending: Pending[] = [];
	private tries = new Map< string, number >();
	/** keyCRM categories for the plugin to remember (sent with the next flush, once). */
	private categories: CategoryRecord[] = [];

	constructor(
		private readonly sink: AckSink,
		private readonly logger: Logger
	) {}

	/**
	 * Queue a result.
	 *
	 * @param token  Lease token of the SKU.
	 * @param result The result.
	 */
	add( token: string, result: AckResult ): void {
		this.pending.push( { token, result } );
	}

	/**
	 * Queue keyCRM categories for the plugin to remember. Best effort: a record
	 * that does not arrive only costs a later run a read of keyCRM's categories.
	 *
	 * @param records Categories found or created.
	 */
	addCategories( records: readonly CategoryRecord[] ): void {
		this.categories.push( ...records );
	}

	/** Results waiting. */
	size(): number {
		return this.pending.length + ( this.categories.length > 0 ? 1 : 0 );
	}

	/** Send everything queued, one request per lease token. Returns SKUs delivered. */
	async flush(): Promise< { delivered: AckResult[]; dropped: AckResult[] } > {
		const byToken = new Map< string, AckResult[] >();
		for ( const p of this.pending ) {
			byToken.set( p.token, [
				...( byToken.get( p.token ) ?? [] ),
				p.result,
			] );
		}
		this.pending = [];
		const delivered: AckResult[] = [];
		const dropped: AckResult[] = [];
		await this.flushCategories();
		for ( const [ token, results ] of byToken ) {
			try {
				await this.sink.ack( { lease_token: token, results } );
				delivered.push( ...results );
				this.tries.delete( token );
			} catch ( error ) {
				const tries = ( this.tries.get( token ) ?? 0 ) + 1;
				const message =
					error instanceof Error ? error.message : String( error );
				if ( tries >= MAX_TRIES ) {
					this.tries.delete( token );
					dropped.push( ...results );
					this.logger.log(
						'error',
						'ack dropped; the rows return when their lease ends',
						{ lease: token, skus: results.length, error: message }
					);
				} else {
					this.tries.set( token, tries );
					results.forEach( ( result ) =>
						this.pending.push( { token, result } )
					);
					this.logger.log( 'warn', 'ack failed; will retry', {
						lease: token,
						skus: results.length,
						error: message,
					} );
				}
			}
		}
		return { delivered, dropped };
	}

	/** Send the queued category records (one try; see addCategories). */
	private async flushCategories(): Promise< void > {
		for ( let i = 0; i < this.categories.length; i += 1000 ) {
			const categories = this.categories.slice( i, i + 1000 );
			try {
				await this.sink.ack( {
					lease_token: 'ids-only',
					results: [],
					categories,
				} );
			} catch ( error ) {
				this.logger.log( 'warn', 'category ids not recorded', {
					categories: categories.length,
					error:
						error instanceof Error
							? error.message
							: String( error ),
				} );
			}
		}
		this.categories = [];
	}
}
