/**
 * The executor: performs one planned keyCRM call and records what it
 * achieved in the run state (pushed values, ids, creations), returning the
 * SKUs that failed permanently or must be retried later. Creates whose
 * outcome is unknown are resolved by looking the SKUs up before anything is
 * sent again, so retries never duplicate a SKU.
 */
import type {
	CategoryRecord,
	ClaimedItem,
	SenderSettings,
} from '../contract/plugin-rest.js';
import type { KeyCrmClient } from '../keycrm/client.js';
import {
	KeyCrmAuthError,
	KeyCrmError,
	KeyCrmRateLimitedError,
	KeyCrmTransientError,
	KeyCrmUnknownOutcomeError,
} from '../keycrm/errors.js';
import type { Offer } from '../keycrm/schemas.js';
import { ensureCategoryPath, readCategoryTree } from '../push/categories.js';
import { sendBulk, type BulkResult } from './bulk.js';
import { offerHash, productHash } from './desired.js';
import type { PlannedCall } from './plan.js';
import { categoryPathKey, type CategoriesCall } from './plan-categories.js';
import type { RunState } from './run-state.js';

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
	/** Claimed snapshots by SKU. */
	items: { get: ( sku: string ) => ClaimedItem | undefined };
	settings: SenderSettings;
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
function describe( error: unknown ): { code: string; message: string } {
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
function isTransient( error: unknown ): boolean {
	return (
		! ( error instanceof KeyCrmError ) ||
		error.retryable ||
		error instanceof KeyCrmUnknownOutcomeError
	);
}

/**
 * Perform one planned call.
 *
 * @param call The call.
 * @param ctx  Context.
 */
export async function execute(
	call: PlannedCall,
	ctx: ExecContext
): Promise< CallOutcome > {
	const before = ctx.client.stats().total;
	const out: CallOutcome = { failed: [], retry: [], requests: 0 };
	try {
		await perform( call, ctx, out );
	} catch ( error ) {
		if ( error instanceof KeyCrmAuthError ) {
			throw error;
		}
		const d = describe( error );
		( isTransient( error ) ? out.retry : out.failed ).push(
			...callSkus( call ).map( ( sku ) => ( { sku, ...d } ) )
		);
	}
	out.requests = ctx.client.stats().total - before;
	return out;
}

/**
 * SKUs whose outcome depends on a call.
 *
 * @param call The call.
 */
export function callSkus( call: PlannedCall ): string[] {
	switch ( call.kind ) {
		case 'stocks':
		case 'offers':
			return call.rows.map( ( r ) => r.sku );
		case 'updateProduct':
			return [ call.sku, ...( call.also ?? [] ) ];
		default:
			return call.skus;
	}
}

/**
 * Dispatch by kind.
 *
 * @param call The call.
 * @param ctx  Context.
 * @param out  Outcome to fill.
 */
async function perform(
	call: PlannedCall,
	ctx: ExecContext,
	out: CallOutcome
): Promise< void > {
	const { client, state } = ctx;
	switch ( call.kind ) {
		case 'stocks': {
			const r = await sendBulk( call.rows, 'stocks', ( rows ) =>
				client.updateStocks(
					call.warehouseId,
					rows.map( ( { sku, quantity } ) => ( { sku, quantity } ) )
				)
			);
			r.ok.forEach( ( row ) =>
				state.patch( row.sku, {
					pushedStock: row.quantity,
					exists: 'yes',
				} )
			);
			collect( r, ( row ) => row.sku, out );
			return;
		}
		case 'offers': {
			const r = await sendBulk( call.rows, 'offers', ( rows ) =>
				client.updateOffers( rows )
			);
			r.ok.forEach( ( row ) =>
				state.patch( row.sku, {
					offerHash: hashOf( ctx, row.sku, 'offer' ),
					exists: 'yes',
				} )
			);
			collect( r, ( row ) => row.sku, out );
			return;
		}
		case 'lookup':
			await lookup( call.skus, ctx );
			return;
		case 'import':
			return createRows(
				ctx,
				out,
				call.skus,
				'products',
				( idx ) =>
					client.importProducts(
						idx.map(
							( i ) =>
								call.products[
									i
								] as ( typeof call.products )[ number ]
						)
					),
				null,
				( i, message ) =>
					staleCategory(
						ctx,
						call.products[ i ]?.category_id,
						message
					)
			);
		case 'createOffers':
			return createRows(
				ctx,
				out,
				call.skus,
				'offers',
				( idx ) =>
					client.createOffers(
						call.productId,
						idx.map(
							( i ) =>
								call.offers[
									i
								] as ( typeof call.offers )[ number ]
						)
					),
				call.productId
			);
		case 'createParent': {
			const product = await client
				.createProduct( call.body )
				.catch( ( error: unknown ) => {
					if (
						error instanceof KeyCrmError &&
						staleCategory(
							ctx,
							call.body.category_id,
							error.message
						)
					) {
						return null;
					}
					throw error;
				} );
			if ( product === null ) {
				return; // Its SKUs stay in hand: planned again once the category is found again.
			}
			state.parents.set( call.parentId, product.id );
			const parentItem = call.skus
				.map( ( s ) => ctx.items.get( s ) )
				.find( ( i ) => i?.type === 'variable' );
			if ( parentItem ) {
				state.patch( parentItem.sku, {
					productId: product.id,
					productHash: productHash( parentItem, ctx.settings ),
					exists: 'yes',
				} );
			}
			return;
		}
		case 'updateProduct':
			try {
				await client.updateProduct( call.productId, call.body );
			} catch ( error ) {
				if (
					error instanceof KeyCrmError &&
					staleCategory( ctx, call.body.category_id, error.message )
				) {
					return; // Its SKUs stay in hand: planned again once the category is found again.
				}
				throw error;
			}
			for ( const sku of [ call.sku, ...( call.also ?? [] ) ] ) {
				state.patch( sku, {
					productHash: hashOf( ctx, sku, 'product' ),
					productId: call.productId,
				} );
			}
			return;
		case 'categories':
			await categories( call, ctx );
	}
}

/**
 * Whether keyCRM rejected a category id this run did not see in keyCRM's
 * category list (one remembered from an earlier run, since deleted in
 * keyCRM): it is marked stale so its paths are found (or created) again, and
 * the rows that carried it stay in hand instead of failing.
 *
 * @param ctx     Context.
 * @param id      The category id sent (undefined: none).
 * @param message keyCRM's rejection.
 */
function staleCategory(
	ctx: ExecContext,
	id: number | undefined,
	message: string
): boolean {
	const { state } = ctx;
	if ( id === undefined || ! /category[_ ]id/i.test( message ) ) {
		return false;
	}
	if (
		state.categoryTree &&
		new Set( state.categoryTree.values() ).has( id )
	) {
		return false;
	}
	state.staleCategories.add( id );
	for ( const [ key, known ] of state.categories ) {
		if ( known === id ) {
			state.categories.delete( key );
		}
	}
	return true;
}

/**
 * Find or create category paths (keyCRM's tree is read once per run), record
 * their ids in the run state and hand them to the plugin to remember.
 *
 * @param call The call.
 * @param ctx  Context.
 */
async function categories(
	call: CategoriesCall,
	ctx: ExecContext
): Promise< void > {
	const { client, state } = ctx;
	if ( state.categoryTree === null ) {
		state.categoryTree = ( await readCategoryTree( client ) ).tree;
	}
	const records: CategoryRecord[] = [];
	try {
		for ( const path of call.paths ) {
			const names = path.map( ( l ) => l.name );
			const ids = await ensureCategoryPath(
				client,
				state.categoryTree,
				names
			);
			path.forEach( ( level, i ) => {
				const id = ids[ i ] as number;
				state.categories.set(
					categoryPathKey( names.slice( 0, i + 1 ) ),
					id
				);
				if ( level.term_id > 0 ) {
					records.push( {
						term_id: level.term_id,
						keycrm_id: id,
						name: level.name,
						parent_keycrm_id:
							i > 0 ? ( ids[ i - 1 ] as number ) : null,
					} );
				}
			} );
		}
	} finally {
		if ( records.length ) {
			ctx.onCategories?.( records );
		}
	}
}

/**
 * Current hash of a claimed SKU's offer or product data.
 *
 * @param ctx  Context.
 * @param sku  SKU.
 * @param kind Which hash.
 */
function hashOf(
	ctx: ExecContext,
	sku: string,
	kind: 'offer' | 'product'
): string | null {
	const item = ctx.items.get( sku );
	if ( ! item ) {
		return null;
	}
	return kind === 'offer'
		? offerHash( item, ctx.settings )
		: productHash( item, ctx.settings );
}

/**
 * Move a bulk result's rejected / failed rows into the outcome.
 *
 * @param r   Bulk result.
 * @param sku SKU of a row.
 * @param out Outcome.
 */
function collect< R >(
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
 * Create rows (import or variations); unknown outcomes are looked up.
 *
 * @param ctx       Context.
 * @param out       Outcome.
 * @param skus      SKUs of the rows, by index.
 * @param field     Array field name in keyCRM errors.
 * @param send      Sends rows by index.
 * @param productId keyCRM product of the variations (null for imports).
 * @param kept      Whether a rejected row stays in hand (not failed) instead.
 */
async function createRows(
	ctx: ExecContext,
	out: CallOutcome,
	skus: string[],
	field: string,
	send: ( idx: number[] ) => Promise< void >,
	productId: number | null,
	kept: ( index: number, message: string ) => boolean = () => false
): Promise< void > {
	const r = await sendBulk(
		skus.map( ( _, i ) => i ),
		field,
		send
	);
	r.rejected = r.rejected.filter( ( x ) => ! kept( x.row, x.message ) );
	const created = (
		sku: string,
		ids: { offerId?: number; productId?: number | null }
	) =>
		ctx.state.patch( sku, {
			exists: 'yes',
			created: true,
			offerHash: hashOf( ctx, sku, 'offer' ),
			productHash: hashOf( ctx, sku, 'product' ),
			...ids,
		} );
	r.ok.forEach( ( i ) =>
		created( skus[ i ] as string, productId === null ? {} : { productId } )
	);
	collect( r, ( i ) => skus[ i ] as string, out );
	if ( r.unknown.length ) {
		const unknown = r.unknown.map( ( i ) => skus[ i ] as string );
		unknown.forEach( ( sku ) =>
			ctx.state.patch( sku, { exists: 'unknown' } )
		);
		// Never create again blindly: learn what keyCRM holds first.
		await lookup( unknown, ctx, ( sku, offer ) =>
			created( sku, { offerId: offer.id, productId: offer.product_id } )
		);
	}
}

/**
 * Look SKUs up (≤50 per request) and record ids / absence.
 *
 * @param skus    SKUs.
 * @param ctx     Context.
 * @param onFound Extra handling of a found SKU.
 */
async function lookup(
	skus: string[],
	ctx: ExecContext,
	onFound?: ( sku: string, offer: Offer ) => void
): Promise< void > {
	const found = await ctx.client.findOffersBySku( skus );
	for ( const sku of skus ) {
		const offers = found.get( sku );
		const offer = offers?.[ 0 ];
		if ( ! offer ) {
			ctx.state.patch( sku, { exists: 'no' } );
			continue;
		}
		if ( offers.length > 1 ) {
			ctx.onDuplicate?.( sku, offers.length );
		}
		ctx.state.patch( sku, {
			exists: 'yes',
			offerId: offer.id,
			productId: offer.product_id,
		} );
		const item = ctx.items.get( sku );
		if ( item?.type === 'variation' && item.parent_id !== null ) {
			ctx.state.parents.set( item.parent_id, offer.product_id );
		}
		onFound?.( sku, offer );
	}
}
