/**
 * Bodies of the calls that create products in keyCRM, from the desired
 * records of the items they create.
 */
import type {
	ClaimedItem,
	SenderSettings,
} from '../../contract/plugin-rest.js';
import type { OfferCreate, ProductCreate } from '../../keycrm/schemas.js';
import { offerOf, type Desired } from '../desired.js';
import { parentName, productName, stripUndefined } from '../desired-data.js';

/**
 * One `POST /products/import` item for a simple product (creates its offer too).
 *
 * @param item     Claimed simple item.
 * @param d        Its desired record.
 * @param settings Sender settings.
 */
export function importItem(
	item: ClaimedItem,
	d: Desired,
	settings: SenderSettings
): ProductCreate {
	const offer = offerOf( d ).data;
	const body: ProductCreate = {
		...d.product,
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
 * @param d        Its desired record.
 * @param settings Sender settings.
 */
export function offerCreateItem(
	item: ClaimedItem,
	d: Desired,
	settings: SenderSettings
): OfferCreate {
	const properties = item.attributes.filter(
		( a ) => a.name !== '' && a.value !== ''
	);
	return stripUndefined( {
		...offerOf( d ).data,
		sku: item.sku,
		barcode:
			settings.sync_product_data && item.barcode
				? item.barcode
				: undefined,
		properties: properties.length ? properties : undefined,
	} );
}

/**
 * `POST /products` body of a variable product (no SKU: its variations are
 * the offers): the parent's product data when in hand, else (a SKU-less
 * parent) what its variation carries of it.
 *
 * @param variation A claimed variation of it.
 * @param parent    The parent's snapshot, when in hand.
 * @param d         The desired record of the parent when in hand, else of the variation.
 * @param settings  Sender settings.
 */
export function parentCreateBody(
	variation: ClaimedItem,
	parent: ClaimedItem | undefined,
	d: Desired,
	settings: SenderSettings
): ProductCreate {
	const body: ProductCreate = {
		...d.product,
		name: parentName( variation, parent ),
		currency_code: settings.currency_code || undefined,
	};
	if ( body.description === '' ) {
		delete body.description;
	}
	return stripUndefined( body );
}
