/**
 * The payload pieces of a SKU's desired values (desired.ts): offer data,
 * product-level data (a variation of a SKU-less parent carries its parent's),
 * names, and the stable hash stored as `pushed_*_hash`. Pure functions of the
 * claimed snapshot and the sender settings.
 */
import { createHash } from 'node:crypto';

import type { ClaimedItem, SenderSettings } from '../contract/plugin-rest.js';
import type { ProductUpdate } from '../keycrm/schemas.js';
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
 * A present number, or nothing (keyCRM bodies do not take null).
 *
 * @param v Number or null.
 */
function opt( v: number | null ): number | undefined {
	return v === null || ! Number.isFinite( v ) ? undefined : v;
}

/**
 * The offer-level data keyCRM should hold (what `PUT /offers` carries
 * besides the key). Throws UnknownUnitError for a unit that cannot be converted.
 *
 * @param item     Claimed item (an offer).
 * @param settings Sender settings.
 */
export function offerDataOf(
	item: ClaimedItem,
	settings: SenderSettings
): OfferData {
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
export function stripUndefined< T extends object >( o: T ): T {
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
export function productName( item: ClaimedItem ): string {
	const name = ( item.name ?? '' ).trim();
	return name === '' ? item.sku : name;
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
