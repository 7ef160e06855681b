/**
 * What keyCRM should hold for one claimed SKU, as the exact keyCRM payloads
 * (pure functions of the claimed snapshot and the sender settings), plus the
 * hashes that the outbox stores as `pushed_offer_hash` / `pushed_product_hash`
 * so unchanged data is never sent twice.
 *
 * Policies:
 * - stock is pushed only when the shop owns stock (`stock_source` woocommerce,
 *   `sync_stock` on); managed stock is sent as is, clamped at 0 (backorders
 *   never push negative stock);
 * - a variation whose stock is managed on its variable product is sent the
 *   product's shared quantity (WooCommerce reports it as the variation's own):
 *   each size can sell up to that many, while keyCRM's totals over the
 *   product count it once per variation. The plugin lists such products on
 *   the Problems screen (`parent_stock`) and marks every such variation when
 *   the shared stock changes (an order of any of them);
 * - products that do not manage stock: `outofstock` → 0; `instock` /
 *   `onbackorder` → the plugin setting `untracked_stock` (default: not
 *   pushed, keyCRM keeps its own number), which the sender option
 *   `untrackedStock` (`--untracked-stock`) overrides;
 * - retired SKUs (deleted, trashed, renamed away) → 0 when `retire_policy` is
 *   `zero_stock`, else nothing; they are never created;
 * - prices (price = current price, sale price when on sale; purchased price)
 *   follow `sync_prices`; weight, size, image, name, description, pictures
 *   and barcode (WooCommerce's GTIN/EAN) follow `sync_product_data`; weights
 *   and sizes are converted to the keyCRM account's units. A barcode goes out
 *   with every create and, for simple products, with every change (product
 *   level); keyCRM's API cannot change an existing variation's barcode;
 * - the category (the primary category's path) follows `sync_product_data`:
 *   products are created with its keyCRM id and updated when the path
 *   changes (the product hash covers the path's names, so a renamed or moved
 *   category sends the product again); a variable product's category is
 *   product-level, its variations carry none.
 */
import type {
	CategoryLevel,
	ClaimedItem,
	SenderSettings,
} from '../contract/plugin-rest.js';
import type { ProductUpdate } from '../keycrm/schemas.js';
import {
	desiredProductData,
	offerDataOf,
	ofSkulessParent,
	payloadHash,
	skulessParentUpdate,
	type OfferData,
} from './desired-data.js';
import { UnknownUnitError } from './units.js';

export type { OfferData } from './desired-data.js';

/** Options of the sender that are not plugin settings. */
export interface DesiredOptions {
	/** Stock pushed for in-stock products that do not manage stock, over the setting `untracked_stock` (null: the setting decides). */
	untrackedStock: number | null;
}

export const DEFAULT_DESIRED_OPTIONS: DesiredOptions = { untrackedStock: null };

/**
 * Everything keyCRM should hold for one claimed SKU, computed once per
 * snapshot (and settings): the planner compares it with what keyCRM holds,
 * builds the calls from it, and the calls carry its hashes to the executor.
 */
export interface Desired {
	/** The stock level keyCRM should hold, or null when stock is not pushed. */
	readonly stock: number | null;
	/** Offer data (`PUT /offers` fields) and its hash, or why the item's units cannot be converted. */
	readonly offer: DesiredOffer | UnknownUnitError;
	/**
	 * Product-level data (`PUT /products/{id}`): the item's own; for a
	 * variation of a SKU-less parent, the parent's (other variations: none).
	 */
	readonly product: Readonly< ProductUpdate >;
	/**
	 * Hash of the product-level data and its category path's names, as stored
	 * in `pushed_product_hash` (no names without a path, so such products keep
	 * their earlier hash).
	 */
	readonly productHash: string;
}

/** Offer data and its hash (`pushed_offer_hash`). */
export interface DesiredOffer {
	readonly data: Readonly< OfferData >;
	readonly hash: string;
}

/**
 * The desired record of one claimed SKU.
 *
 * @param item     Claimed item.
 * @param settings Sender settings.
 * @param options  Sender options.
 */
export function desiredOf(
	item: ClaimedItem,
	settings: SenderSettings,
	options: DesiredOptions
): Desired {
	const skuless = ofSkulessParent( item );
	const product = skuless
		? skulessParentUpdate( item, settings )
		: desiredProductData( item, settings );
	// A variation of a SKU-less parent carries the parent's data and category;
	// other variations carry neither (the parent's row sends them).
	const path =
		item.type === 'variation' && ! skuless
			? null
			: categoryPath( item, settings );
	return {
		stock: desiredStock( item, settings, options ),
		offer: desiredOffer( item, settings ),
		product,
		productHash: payloadHash(
			path
				? { ...product, category: path.map( ( l ) => l.name ) }
				: product
		),
	};
}

/**
 * Offer data and its hash, or the unit error that keeps the SKU from being sent.
 *
 * @param item     Claimed item.
 * @param settings Sender settings.
 */
function desiredOffer(
	item: ClaimedItem,
	settings: SenderSettings
): DesiredOffer | UnknownUnitError {
	try {
		const data = offerDataOf( item, settings );
		return { data, hash: payloadHash( data ) };
	} catch ( error ) {
		if ( error instanceof UnknownUnitError ) {
			return error;
		}
		throw error;
	}
}

/**
 * A record's offer data and hash; throws the UnknownUnitError of a unit that
 * cannot be converted (the planner blocks the SKU).
 *
 * @param d Desired record.
 */
export function offerOf( d: Desired ): DesiredOffer {
	if ( d.offer instanceof UnknownUnitError ) {
		throw d.offer;
	}
	return d.offer;
}

/**
 * Hash of the offer data, as stored in `pushed_offer_hash`.
 *
 * @param item     Claimed item.
 * @param settings Sender settings.
 */
export function offerHash(
	item: ClaimedItem,
	settings: SenderSettings
): string {
	return offerOf( desiredOf( item, settings, DEFAULT_DESIRED_OPTIONS ) ).hash;
}

/**
 * Hash of the product-level data, as stored in `pushed_product_hash`.
 *
 * @param item     Claimed item.
 * @param settings Sender settings.
 */
export function productHash(
	item: ClaimedItem,
	settings: SenderSettings
): string {
	return desiredOf( item, settings, DEFAULT_DESIRED_OPTIONS ).productHash;
}

/**
 * Whether the item is a keyCRM offer (a sellable unit), not a variable parent or a group.
 *
 * @param item Claimed item.
 */
export function isOffer( item: ClaimedItem ): boolean {
	return item.type !== 'variable' && item.type !== 'grouped';
}

/**
 * The stock level keyCRM should hold, or null when stock is not pushed for this item.
 *
 * @param item     Claimed item.
 * @param settings Sender settings.
 * @param options  Sender options.
 */
export function desiredStock(
	item: ClaimedItem,
	settings: SenderSettings,
	options: DesiredOptions
): number | null {
	if (
		! settings.sync_stock ||
		settings.stock_source !== 'woocommerce' ||
		! isOffer( item )
	) {
		return null;
	}
	if ( item.retired ) {
		return settings.retire_policy === 'zero_stock' ? 0 : null;
	}
	if ( item.manage_stock ) {
		return Math.max( 0, item.stock_quantity ?? 0 );
	}
	if ( item.stock_status === 'outofstock' ) {
		return 0;
	}
	return options.untrackedStock ?? settings.untracked_stock ?? null;
}

/**
 * The category path sent for an item (root first), or null when none is.
 *
 * @param item                       Claimed item.
 * @param settings                   Sender settings.
 * @param settings.sync_product_data Whether product data is sent.
 */
export function categoryPath(
	item: ClaimedItem,
	settings: { sync_product_data: boolean }
): CategoryLevel[] | null {
	const path = item.category_path;
	return settings.sync_product_data && path && path.length > 0 ? path : null;
}
