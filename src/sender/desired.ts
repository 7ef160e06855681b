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
import { createHash } from 'node:crypto';

import type {
	CategoryLevel,
	ClaimedItem,
	SenderSettings,
} from '../contract/plugin-rest.js';
import type {
	OfferCreate,
	ProductCreate,
	ProductUpdate,
} from '../keycrm/schemas.js';
import { convertDimension, convertWeight } from './units.js';

/** Offer-level fields of `PUT /offers` (without the `sku`/`id` key). */
export interface OfferData {
	price?: number;
	purchased_price?: number;
	weight?: number;
	length?: number;
	width?: number;
	height?: number;
	image_url?: string;
}

/** Options of the sender that are not plugin settings. */
export interface DesiredOptions {
	/** Stock pushed for in-stock products that do not manage stock, over the setting `untracked_stock` (null: the setting decides). */
	untrackedStock: number | null;
}

export const DEFAULT_DESIRED_OPTIONS: DesiredOptions = { untrackedStock: null };

const MAX_PICTURES = 6;

/**
 * Stable hash of a payload (keys sorted), as stored in `pushed_*_hash`.
 *
 * @param value JSON-like value.
 */
export function payloadHash( value: unknown ): string {
	return createHash( 'sha1' )
		.update( canonicalJson( value ) )
		.digest( 'hex' );
}

/**
 * JSON with object keys sorted, so equal payloads hash equally.
 *
 * @param value JSON-like value.
 */
function canonicalJson( value: unknown ): string {
	if ( Array.isArray( value ) ) {
		return `[${ value.map( canonicalJson ).join( ',' ) }]`;
	}
	if ( value !== null && typeof value === 'object' ) {
		const entries = Object.entries( value as Record< string, unknown > )
			.filter( ( [ , v ] ) => v !== undefined )
			.sort( ( [ a ], [ b ] ) => ( a < b ? -1 : 1 ) );
		return `{${ entries.map( ( [ k, v ] ) => `${ JSON.stringify( k ) }:${ canonicalJson( v ) }` ).join( ',' ) }}`;
	}
	return JSON.stringify( value );
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
 * A present number, or nothing (keyCRM bodies do not take null).
 *
 * @param v Number or null.
 */
function opt( v: number | null ): number | undefined {
	return v === null || ! Number.isFinite( v ) ? undefined : v;
}

/**
 * The offer-level data keyCRM should hold (what `PUT /offers` carries besides the key).
 *
 * @param item     Claimed item (an offer).
 * @param settings Sender settings.
 */
export function desiredOfferData(
	item: ClaimedItem,
	settings: SenderSettings
): Readonly< OfferData > {
	const entry = memo( item, settings );
	entry.offerData ??= offerDataOf( item, settings );
	return entry.offerData;
}

/**
 * See desiredOfferData (not memoised).
 *
 * @param item     Claimed item (an offer).
 * @param settings Sender settings.
 */
function offerDataOf( item: ClaimedItem, settings: SenderSettings ): OfferData {
	const data: OfferData = {};
	if ( settings.sync_prices ) {
		data.price = opt( item.price );
		data.purchased_price = opt( item.purchased_price );
	}
	if ( settings.sync_product_data ) {
		const w = convertWeight(
			item.weight,
			item.weight_unit,
			settings.keycrm_weight_unit
		);
		const dim = ( v: number | null ) =>
			opt(
				v !== null && v >= 0
					? convertDimension(
							v,
							item.dimension_unit,
							settings.keycrm_dimension_unit
						)
					: null
			);
		data.weight = opt( w !== null && w >= 0 ? w : null );
		data.length = dim( item.length );
		data.width = dim( item.width );
		data.height = dim( item.height );
		// A simple product's picture is product-level (pictures); variations carry their own image.
		if ( item.type === 'variation' && item.image_url ) {
			data.image_url = item.image_url;
		}
	}
	return stripUndefined( data );
}

/**
 * Copy without undefined values (so hashes and JSON bodies agree).
 *
 * @param o Object.
 */
function stripUndefined< T extends object >( o: T ): T {
	return Object.fromEntries(
		Object.entries( o ).filter( ( [ , v ] ) => v !== undefined )
	) as T;
}

/**
 * Product-level data (`PUT /products/{id}`): name, description, pictures.
 * Variations have none (their product is the variable parent).
 *
 * @param item     Claimed item.
 * @param settings Sender settings.
 */
export function desiredProductData(
	item: ClaimedItem,
	settings: SenderSettings
): ProductUpdate {
	if ( ! settings.sync_product_data || item.type === 'variation' ) {
		return {};
	}
	const pictures = item.pictures
		.filter( ( u ) => /^https?:\/\//i.test( u ) )
		.slice( 0, MAX_PICTURES );
	const data: ProductUpdate = {
		name: productName( item ),
		description: item.description ?? '',
		pictures,
	};
	// A simple product's barcode is product-level in keyCRM (its default offer's);
	// absent when empty, so products without one keep their earlier hash.
	if ( item.type !== 'variable' && item.barcode ) {
		data.barcode = item.barcode;
	}
	return data;
}

/**
 * A non-empty product name (keyCRM requires one).
 *
 * @param item Claimed item.
 */
function productName( item: ClaimedItem ): string {
	const name = ( item.name ?? '' ).trim();
	return name === '' ? item.sku : name;
}

/** What is derived from one snapshot under one settings object (snapshots are immutable). */
interface Memo {
	settings: SenderSettings;
	offerData?: OfferData;
	offer?: string;
	product?: string;
}

/** Memo per snapshot: SKUs stay in hand over many slices and each slice plans them all. */
const hashMemo = new WeakMap< ClaimedItem, Memo >();

/**
 * The memo entry of an item under these settings.
 *
 * @param item     Claimed item.
 * @param settings Sender settings.
 */
function memo( item: ClaimedItem, settings: SenderSettings ): Memo {
	let entry = hashMemo.get( item );
	if ( ! entry || entry.settings !== settings ) {
		entry = { settings };
		hashMemo.set( item, entry );
	}
	return entry;
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
	const entry = memo( item, settings );
	entry.offer ??= payloadHash( desiredOfferData( item, settings ) );
	return entry.offer;
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
	const entry = memo( item, settings );
	entry.product ??= payloadHash( productHashed( item, settings ) );
	return entry.product;
}

/**
 * What the product hash covers: the product-level data (for a variation of
 * a SKU-less parent, the parent's) and its category path's names (absent
 * without one, so such products keep their earlier hash).
 *
 * @param item     Claimed item.
 * @param settings Sender settings.
 */
function productHashed(
	item: ClaimedItem,
	settings: SenderSettings
): ProductUpdate & { category?: string[] } {
	// A variation's product data is its SKU-less parent's (others: none, the parent's row sends it).
	const skuless = ofSkulessParent( item );
	const data = skuless
		? skulessParentUpdate( item, settings )
		: desiredProductData( item, settings );
	const path =
		item.type === 'variation' && ! skuless
			? null
			: categoryPath( item, settings );
	return path ? { ...data, category: path.map( ( l ) => l.name ) } : data;
}

/**
 * One `POST /products/import` item for a simple product (creates its offer too).
 *
 * @param item     Claimed simple item.
 * @param settings Sender settings.
 */
export function importItem(
	item: ClaimedItem,
	settings: SenderSettings
): ProductCreate {
	const offer = desiredOfferData( item, settings );
	const product = desiredProductData( item, settings );
	const body: ProductCreate = {
		...product,
		name: productName( item ),
		sku: item.sku,
		currency_code: settings.currency_code || undefined,
		price: offer.price,
		purchased_price: offer.purchased_price,
		weight: offer.weight,
		length: offer.length,
		width: offer.width,
		height: offer.height,
	};
	if ( body.description === '' ) {
		delete body.description;
	}
	return stripUndefined( body );
}

/**
 * One `POST /products/{id}/offers` item for a variation.
 *
 * @param item     Claimed variation.
 * @param settings Sender settings.
 */
export function offerCreateItem(
	item: ClaimedItem,
	settings: SenderSettings
): OfferCreate {
	const properties = item.attributes.filter(
		( a ) => a.name !== '' && a.value !== ''
	);
	return stripUndefined( {
		...desiredOfferData( item, settings ),
		sku: item.sku,
		barcode:
			settings.sync_product_data && item.barcode
				? item.barcode
				: undefined,
		properties: properties.length ? properties : undefined,
	} );
}

/**
 * The name of a variation's parent product: the parent's own snapshot when
 * claimed, the claimed `parent_name`, or the variation name without WooCommerce's
 * " - attribute values" suffix.
 *
 * @param variation Claimed variation.
 * @param parent    The parent's snapshot, when in hand.
 */
export function parentName(
	variation: ClaimedItem,
	parent: ClaimedItem | undefined
): string {
	if ( parent ) {
		return productName( parent );
	}
	if ( variation.parent_name ) {
		return variation.parent_name;
	}
	const name = ( variation.name ?? '' ).trim();
	const suffix = variation.attributes.map( ( a ) => a.value ).join( ', ' );
	if ( suffix !== '' && name.endsWith( ` - ${ suffix }` ) ) {
		return name.slice( 0, -( suffix.length + 3 ) );
	}
	return name === '' ? variation.parent_sku || variation.sku : name;
}

/**
 * Whether an item is a variation of a variable product without a SKU: such a
 * parent has no outbox row of its own, so its variations carry its
 * product-level data and send its changes.
 *
 * @param item Claimed item.
 */
export function ofSkulessParent( item: ClaimedItem ): boolean {
	return item.type === 'variation' && item.parent_sku === '';
}

/**
 * Product-level data of a variable product without a SKU, from one of its
 * variations (a variation's `pictures` are its parent's gallery).
 *
 * @param variation A claimed variation.
 * @param settings  Sender settings.
 */
function skulessParentData(
	variation: ClaimedItem,
	settings: SenderSettings
): ProductUpdate {
	if ( ! ofSkulessParent( variation ) || ! settings.sync_product_data ) {
		return {};
	}
	const pictures = variation.pictures
		.filter( ( u ) => /^https?:\/\//i.test( u ) )
		.slice( 0, MAX_PICTURES );
	const data: ProductUpdate = {};
	if ( pictures.length ) {
		data.pictures = pictures;
	}
	if ( variation.parent_description ) {
		data.description = variation.parent_description;
	}
	return data;
}

/**
 * `PUT /products/{id}` body of a variable product without a SKU, from one of
 * its variations: name, description, pictures (empty when product data is
 * not synced or the parent has a SKU).
 *
 * @param variation A claimed variation.
 * @param settings  Sender settings.
 */
export function skulessParentUpdate(
	variation: ClaimedItem,
	settings: SenderSettings
): ProductUpdate {
	if ( ! ofSkulessParent( variation ) || ! settings.sync_product_data ) {
		return {};
	}
	return {
		...skulessParentData( variation, settings ),
		name: parentName( variation, undefined ),
	};
}

/**
 * `POST /products` body of a variable product (no SKU: its variations are the offers).
 *
 * @param variation A claimed variation of it.
 * @param parent    The parent's snapshot, when in hand.
 * @param settings  Sender settings.
 */
export function parentCreateBody(
	variation: ClaimedItem,
	parent: ClaimedItem | undefined,
	settings: SenderSettings
): ProductCreate {
	const data = parent
		? desiredProductData( parent, settings )
		: skulessParentData( variation, settings );
	const body: ProductCreate = {
		...data,
		name: parentName( variation, parent ),
		currency_code: settings.currency_code || undefined,
	};
	if ( body.description === '' ) {
		delete body.description;
	}
	return stripUndefined( body );
}
