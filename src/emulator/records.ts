/**
 * Record types of the emulator's in-memory catalogue.
 */
import type { OfferProperty } from '../keycrm/schemas.js';

export interface ProductRec {
	id: number;
	name: string;
	description: string | null;
	pictures: string[];
	currency_code: string;
	unit_type: string | null;
	weight: number | null;
	length: number | null;
	width: number | null;
	height: number | null;
	category_id: number | null;
	is_archived: boolean;
	has_offers: boolean;
	custom_fields: { uuid: string; value: string | string[] }[];
	created_at: string;
	updated_at: string;
}

export interface OfferRec {
	id: number;
	product_id: number;
	sku: string | null;
	barcode: string | null;
	price: number | null;
	purchased_price: number | null;
	weight: number | null;
	length: number | null;
	width: number | null;
	height: number | null;
	image_url: string | null;
	properties: OfferProperty[];
	is_default: boolean;
	is_archived: boolean;
	created_at: string;
	updated_at: string;
}

export interface StockCell {
	quantity: number;
	reserve: number;
}

export interface CategoryRec {
	id: number;
	name: string;
	parent_id: number | null;
}

export interface Warehouse {
	id: number;
	name: string;
}

/** What the store has done, for tests ("zero duplicates created"). */
export interface StoreCounters {
	productsCreated: number;
	offersCreated: number;
	/** Offers created with an SKU another offer already had. */
	duplicateSkusCreated: number;
}
