/**
 * The planner's first step: what one claimed item needs (stock, offer data,
 * product data, a creation, a lookup), from its snapshot, its desired values
 * and what this run knows of keyCRM.
 */
import type { ClaimedItem } from '../../contract/plugin-rest.js';
import type { ProductUpdate } from '../../keycrm/schemas.js';
import { offerOf, type Desired, type OfferData } from '../desired.js';
import { ofSkulessParent } from '../desired-data.js';
import type { PlanContext, PlanInput } from '../plan.js';
import type { Existence, Knowledge, SkuState } from '../state.js';

/** Per-item work found by the first pass. */
export interface Work {
	stock: number | null;
	offer: ( OfferData & { sku: string } ) | null;
	product: {
		sku: string;
		body: ProductUpdate;
		productId: number | null;
	} | null;
	create: 'simple' | 'variation' | 'parent' | null;
	lookup: boolean;
	/** Nothing to do yet (waiting for the census). */
	wait?: boolean;
}

/**
 * Whether keyCRM holds an offer with the item's SKU, as far as anyone knows.
 *
 * @param item  Claimed item.
 * @param state This run's state of the SKU.
 * @param k     Knowledge.
 */
export function existence(
	item: ClaimedItem,
	state: SkuState | undefined,
	k: Knowledge
): Existence {
	if ( state?.exists !== undefined ) {
		return state.exists;
	}
	if (
		item.keycrm_offer_id !== null ||
		item.pushed_offer_hash !== null ||
		item.pushed_stock !== null
	) {
		return 'yes';
	}
	if ( k.census?.has( item.sku ) ) {
		return 'yes';
	}
	// A census cannot vouch for a SKU whose create may have landed after it was taken.
	if ( maybeCreated( item, k ) ) {
		return 'unknown';
	}
	if ( k.census ) {
		return 'no';
	}
	return 'unknown';
}

/** Work of an item with nothing to do. */
const NONE: Readonly< Work > = {
	stock: null,
	offer: null,
	product: null,
	create: null,
	lookup: false,
};

/**
 * The work one item needs (first pass; buckets decide the calls).
 *
 * @param item      Claimed item.
 * @param input     Planner input (with the desired records).
 * @param parentIds WP parent id → keyCRM product id.
 */
export function itemWork(
	item: ClaimedItem,
	input: PlanContext,
	parentIds: ReadonlyMap< number, number >
): Work {
	if ( item.type === 'grouped' ) {
		return { ...NONE };
	}
	const d = input.desired( item );
	if ( item.type === 'variable' ) {
		return parentWork( item, d, input, parentIds );
	}
	const { knowledge } = input;
	const state = knowledge.skus.get( item.sku );
	const exists = existence( item, state, knowledge );
	// `retired` is the current truth; the RETIRE bit of change_mask is history.
	if ( item.retired ) {
		return retiredWork( item, d, exists, state, knowledge );
	}
	if ( exists === 'unknown' ) {
		// While a census is being taken it will answer; until then the SKU waits.
		return lookupWork( knowledge );
	}
	if ( exists === 'no' ) {
		// A unit that cannot be converted blocks this SKU here, not the whole plan in assemble().
		offerOf( d );
		return {
			...NONE,
			create: item.type === 'variation' ? 'variation' : 'simple',
		};
	}
	const { stock } = d;
	const offer = offerOf( d );
	const offerChanged =
		offer.hash !== held( state?.offerHash, item, item.pushed_offer_hash );
	const product = productWork( item, d, state, input, parentIds );
	return {
		stock:
			stock !== null &&
			stock !== held( state?.pushedStock, item, item.pushed_stock )
				? stock
				: null,
		offer: offerChanged ? { sku: item.sku, ...offer.data } : null,
		product,
		create: null,
		lookup: product !== null && product.productId === null,
	};
}

/**
 * Work of a SKU of unknown existence: a lookup, or a wait while a census is
 * being taken (it will answer).
 *
 * @param knowledge Knowledge.
 */
function lookupWork( knowledge: Knowledge ): Work {
	return {
		...NONE,
		lookup: ! knowledge.censusPending,
		wait: knowledge.censusPending === true,
	};
}

/**
 * Work of a SKU that left the shop: never created; its stock zeroed only
 * where keyCRM has it; when a create may have landed (a sender died or lost
 * its ack), found out first.
 *
 * @param item      Claimed item (retired).
 * @param d         Its desired record.
 * @param exists    Whether keyCRM holds it.
 * @param state     This run's state.
 * @param knowledge Knowledge.
 */
function retiredWork(
	item: ClaimedItem,
	d: Desired,
	exists: Existence,
	state: SkuState | undefined,
	knowledge: Knowledge
): Work {
	if ( exists === 'unknown' && maybeCreated( item, knowledge ) ) {
		return lookupWork( knowledge );
	}
	const target = exists === 'yes' ? d.stock : null;
	return {
		...NONE,
		stock:
			target !== null &&
			target !== held( state?.pushedStock, item, item.pushed_stock )
				? target
				: null,
	};
}

/**
 * Whether a create of this SKU may have landed without the outbox knowing:
 * the last lease ended without an ack, the last attempt failed (its ack
 * clears `reclaimed`, so a failed lookup must not erase that doubt), or this
 * run lost track of a create.
 *
 * @param item Claimed item.
 * @param k    Knowledge.
 */
export function maybeCreated( item: ClaimedItem, k: Knowledge ): boolean {
	return outboxInDoubt( item ) || k.uncertain?.has( item.sku ) === true;
}

/**
 * Whether the row's last lease ended without an ack (`reclaimed`) or with a
 * failure (`attempts` > 0): a call sent under that lease may have reached
 * keyCRM (a sender killed mid-batch, an ack lost, a 500 or timeout after
 * keyCRM did the work) while the outbox kept its older ids and pushed values.
 *
 * @param item Claimed item.
 */
function outboxInDoubt( item: ClaimedItem ): boolean {
	return item.reclaimed === true || item.attempts > 0;
}

/**
 * A value keyCRM holds for the SKU as far as we know: what this run pushed,
 * else what the outbox recorded, or null (unknown) when the outbox is in
 * doubt. Trusting a doubtful record would skip a value keyCRM no longer
 * holds — e.g. a retired SKU whose `pushed_stock` is an earlier 0 while
 * keyCRM got a later non-zero stock.
 *
 * @param run    This run's value (undefined: nothing pushed in this run).
 * @param item   Claimed item.
 * @param outbox The outbox's pushed_* value.
 */
function held< T >(
	run: T | null | undefined,
	item: ClaimedItem,
	outbox: T | null
): T | null {
	if ( run !== undefined ) {
		return run;
	}
	return outboxInDoubt( item ) ? null : outbox;
}

/**
 * Product-level work of a simple-like offer, or of a variation of a SKU-less
 * parent (the parent's data), null when unchanged.
 *
 * @param item      Claimed item.
 * @param d         Its desired record.
 * @param state     This run's state.
 * @param input     Planner input (with the desired records).
 * @param parentIds WP parent id → keyCRM product id.
 */
function productWork(
	item: ClaimedItem,
	d: Desired,
	state: SkuState | undefined,
	input: PlanContext,
	parentIds: ReadonlyMap< number, number >
): Work[ 'product' ] {
	const { knowledge, settings } = input;
	const skuless = ofSkulessParent( item );
	if (
		( item.type === 'variation' && ! skuless ) ||
		! settings.sync_product_data
	) {
		return null;
	}
	const pushed = held( state?.productHash, item, item.pushed_product_hash );
	if ( d.productHash === pushed ) {
		return null;
	}
	const body = d.product;
	const productId =
		( skuless && item.parent_id !== null
			? parentIds.get( item.parent_id )
			: undefined ) ??
		state?.productId ??
		item.keycrm_product_id ??
		knowledge.census?.get( item.sku )?.productId ??
		null;
	return { sku: item.sku, body, productId };
}

/**
 * Work of a variable parent: create it, or update its product-level data.
 *
 * @param item      The variable product's item.
 * @param d         Its desired record.
 * @param input     Planner input (with the desired records).
 * @param parentIds WP parent id → keyCRM product id.
 */
function parentWork(
	item: ClaimedItem,
	d: Desired,
	input: PlanContext,
	parentIds: ReadonlyMap< number, number >
): Work {
	const none: Work = { ...NONE };
	if ( item.retired ) {
		return none;
	}
	const productId =
		item.product_id === null
			? null
			: ( parentIds.get( item.product_id ) ?? null );
	if ( productId === null ) {
		return { ...none, create: 'parent' };
	}
	const state = input.knowledge.skus.get( item.sku );
	const pushed = held( state?.productHash, item, item.pushed_product_hash );
	if ( ! input.settings.sync_product_data || d.productHash === pushed ) {
		return none;
	}
	return {
		...none,
		product: {
			sku: item.sku,
			body: d.product,
			productId,
		},
	};
}

/**
 * WP parent id → keyCRM product id, from every source in hand: this run's
 * creations, the parent rows, variations that know their product, and the
 * plugin's `parent_keycrm_product_id`.
 *
 * @param input Planner input.
 */
export function knownParentIds(
	input: Pick< PlanInput, 'items' | 'knowledge' >
): Map< number, number > {
	const ids = new Map( input.knowledge.parents );
	const { skus, census } = input.knowledge;
	for ( const item of input.items ) {
		const state = skus.get( item.sku );
		if ( item.type === 'variable' && item.product_id !== null ) {
			const id = state?.productId ?? item.keycrm_product_id;
			if (
				id !== null &&
				id !== undefined &&
				! ids.has( item.product_id )
			) {
				ids.set( item.product_id, id );
			}
		} else if (
			item.type === 'variation' &&
			item.parent_id !== null &&
			! ids.has( item.parent_id )
		) {
			const id =
				state?.productId ??
				item.keycrm_product_id ??
				item.parent_keycrm_product_id ??
				census?.get( item.sku )?.productId;
			if ( id !== null && id !== undefined ) {
				ids.set( item.parent_id, id );
			}
		}
	}
	return ids;
}
