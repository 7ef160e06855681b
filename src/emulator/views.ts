/**
 * API shapes of the emulator's records, as keyCRM returns them (spec
 * schemas + the live-only fields noted in API-NOTES).
 */
import type { EmulatorStore, OfferRec, ProductRec } from './store.js';

/**
 * A product as `GET /products` returns it. `sku`, `barcode`, `price`,
 * `purchased_price` only when the product has no variants (spec).
 *
 * @param store            The store.
 * @param p                The product.
 * @param withCustomFields Add `custom_fields` (`include=custom_fields`).
 */
export function productView(
	store: EmulatorStore,
	p: ProductRec,
	withCustomFields = false
): Record< string, unknown > {
	const offers = store.offersOf( p.id );
	const prices = offers
		.map( ( o ) => o.price )
		.filter( ( v ): v is number => v !== null );
	let quantity = 0;
	let reserve = 0;
	for ( const o of offers ) {
		const t = store.totals( o.id );
		quantity += t.quantity;
		reserve += t.reserve;
	}
	const view: Record< string, unknown > = {
		id: p.id,
		name: p.name,
		description: p.description,
		thumbnail_url: p.pictures[ 0 ] ?? null,
		attachments_data: p.pictures,
		quantity,
		in_reserve: reserve,
		unit_type: p.unit_type,
		currency_code: p.currency_code,
		min_price: prices.length ? Math.min( ...prices ) : 0,
		max_price: prices.length ? Math.max( ...prices ) : 0,
		weight: p.weight,
		length: p.length,
		width: p.width,
		height: p.height,
		has_offers: p.has_offers,
		is_archived: p.is_archived,
		category_id: p.category_id,
		created_at: p.created_at,
		updated_at: p.updated_at,
	};
	const def = offers[ 0 ];
	if ( ! p.has_offers && def ) {
		Object.assign( view, {
			sku: def.sku,
			barcode: def.barcode,
			price: def.price,
			purchased_price: def.purchased_price,
		} );
	}
	if ( withCustomFields ) {
		view.custom_fields = p.custom_fields.map( ( f ) => ( {
			uuid: f.uuid,
			value: f.value,
		} ) );
	}
	return view;
}

/**
 * An offer as `GET /offers` returns it (with the live-only `in_reserve`,
 * `is_default`, `is_archived`, `created_at`, `updated_at`).
 *
 * @param store       The store.
 * @param o           The offer.
 * @param withProduct Add `product` (`include=product`).
 */
export function offerView(
	store: EmulatorStore,
	o: OfferRec,
	withProduct = false
): Record< string, unknown > {
	const totals = store.totals( o.id );
	const view: Record< string, unknown > = {
		id: o.id,
		product_id: o.product_id,
		sku: o.sku,
		barcode: o.barcode,
		thumbnail_url: o.image_url,
		price: o.price,
		purchased_price: o.purchased_price,
		quantity: totals.quantity,
		in_reserve: totals.reserve,
		weight: o.weight,
		length: o.length,
		width: o.width,
		height: o.height,
		properties: o.properties,
		is_default: o.is_default,
		is_archived: o.is_archived,
		created_at: o.created_at,
		updated_at: o.updated_at,
	};
	const product = store.products.get( o.product_id );
	if ( withProduct && product ) {
		view.product = productView( store, product );
	}
	return view;
}

/**
 * A stock row of `GET /offers/stocks` (`id` = offer id; `reserve`, not `in_reserve`).
 *
 * @param store   The store.
 * @param o       The offer.
 * @param details Add the per-warehouse `warehouse[]` (`filter[details]=true`).
 */
export function stockView(
	store: EmulatorStore,
	o: OfferRec,
	details: boolean
): Record< string, unknown > {
	const totals = store.totals( o.id );
	const view: Record< string, unknown > = {
		id: o.id,
		sku: o.sku,
		price: o.price,
		purchased_price: o.purchased_price,
		quantity: totals.quantity,
		reserve: totals.reserve,
	};
	if ( details ) {
		view.warehouse = store.warehouses.map( ( w ) => ( {
			id: w.id,
			name: w.name,
			...store.cell( o.id, w.id ),
		} ) );
	}
	return view;
}
