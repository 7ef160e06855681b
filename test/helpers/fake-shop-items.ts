/**
 * Builders of plugin-contract values (claimed items, sender settings) for
 * sender tests: every field present, overridable per test.
 */
import type { ClaimedItem, SenderSettings } from '@keycrm-sync/contract';
import {
	DEFAULT_DESIRED_OPTIONS,
	desiredStock,
	offerHash,
	productHash,
} from '../../src/sender/desired';

/**
 * Sender settings with every sync on, warehouse 1, kg/cm units.
 *
 * @param over Fields to override.
 */
export function makeSettings(
	over: Partial< SenderSettings > = {}
): SenderSettings {
	return {
		api_key: 'test-key',
		warehouse_id: 1,
		stock_source: 'woocommerce',
		sync_stock: true,
		sync_prices: true,
		sync_product_data: true,
		create_products: true,
		rate_per_minute: 60,
		keycrm_weight_unit: 'kg',
		keycrm_dimension_unit: 'cm',
		retire_policy: 'zero_stock',
		stock_apply: 'available',
		pull_interval_minutes: 0,
		max_attempts: 8,
		currency_code: 'UAH',
		...over,
	};
}

/**
 * A claimed simple product that keyCRM has never seen.
 *
 * @param sku  SKU.
 * @param over Fields to override.
 */
export function makeItem(
	sku: string,
	over: Partial< ClaimedItem > = {}
): ClaimedItem {
	return {
		sku,
		version: 1,
		change_mask: 15,
		retired: false,
		product_id: 1000,
		parent_id: null,
		parent_sku: null,
		type: 'simple',
		status: 'publish',
		name: `Product ${ sku }`,
		description: null,
		price: 10,
		regular_price: 10,
		sale_price: null,
		purchased_price: null,
		weight: null,
		length: null,
		width: null,
		height: null,
		weight_unit: 'kg',
		dimension_unit: 'cm',
		image_url: null,
		pictures: [],
		category: null,
		attributes: [],
		manage_stock: true,
		stock_quantity: 5,
		stock_status: 'instock',
		keycrm_product_id: null,
		keycrm_offer_id: null,
		pushed_stock: null,
		pushed_offer_hash: null,
		pushed_product_hash: null,
		attempts: 0,
		...over,
	};
}

/**
 * A claimed variation of WooCommerce product `parentId`.
 *
 * @param sku      SKU.
 * @param parentId WooCommerce id of the variable parent.
 * @param over     Fields to override.
 */
export function makeVariation(
	sku: string,
	parentId: number,
	over: Partial< ClaimedItem > = {}
): ClaimedItem {
	return makeItem( sku, {
		type: 'variation',
		product_id: parentId * 100 + sku.length,
		parent_id: parentId,
		parent_sku: `P${ parentId }`,
		name: `Shirt ${ parentId } - ${ sku }`,
		attributes: [ { name: 'Size', value: sku } ],
		...over,
	} );
}

/**
 * The item as keyCRM already holds it: ids known, pushed values equal to the
 * desired ones (so nothing is left to send until a field changes).
 *
 * @param item          Claimed item.
 * @param settings      Settings the hashes are computed under.
 * @param ids           keyCRM ids.
 * @param ids.offerId   Offer id.
 * @param ids.productId Product id.
 */
export function asSynced(
	item: ClaimedItem,
	settings: SenderSettings,
	ids: { offerId: number; productId: number } = { offerId: 1, productId: 1 }
): ClaimedItem {
	return {
		...item,
		keycrm_offer_id: item.type === 'variable' ? null : ids.offerId,
		keycrm_product_id: ids.productId,
		pushed_stock: desiredStock( item, settings, DEFAULT_DESIRED_OPTIONS ),
		pushed_offer_hash: offerHash( item, settings ),
		pushed_product_hash: productHash( item, settings ),
	};
}
