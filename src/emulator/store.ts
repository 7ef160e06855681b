/**
 * The emulator's in-memory keyCRM catalogue: products, offers, per-warehouse
 * stock and categories, with the behaviours keyCRM documents or that
 * API-NOTES infers (see the method docs).
 */
import type { Clock } from '../util/clock.js';
import type {
	CategoryCreate,
	OfferCreate,
	ProductCreate,
	ProductUpdate,
} from '../keycrm/schemas.js';
import { OfferIndex } from './offer-index.js';
import type {
	CategoryRec,
	OfferRec,
	ProductRec,
	StockCell,
	StoreCounters,
	Warehouse,
} from './records.js';

export type {
	CategoryRec,
	OfferRec,
	ProductRec,
	StockCell,
	StoreCounters,
	Warehouse,
} from './records.js';

/**
 * keyCRM's live timestamp form: ISO-8601 with microseconds (API-NOTES §1).
 *
 * @param ms Clock time.
 */
export function keycrmTimestamp( ms: number ): string {
	return new Date( ms ).toISOString().replace( /\.(\d{3})Z$/, '.$1000Z' );
}

/** The catalogue. */
export class EmulatorStore {
	readonly products = new Map< number, ProductRec >();
	readonly offers = new Map< number, OfferRec >();
	readonly categories = new Map< number, CategoryRec >();
	/** offer id → warehouse id → cell. */
	readonly stock = new Map< number, Map< number, StockCell > >();
	/** offer id → the emulator clock's ms when its stock last changed (tests measure arrival with it). */
	readonly stockChangedAt = new Map< number, number >();
	readonly counters: StoreCounters = {
		productsCreated: 0,
		offersCreated: 0,
		duplicateSkusCreated: 0,
	};
	private readonly index = new OfferIndex();
	private offerCache: OfferRec[] | null = null;
	private productCache: ProductRec[] | null = null;
	private nextProductId = 1;
	private nextOfferId = 1;
	private nextCategoryId = 1;

	constructor(
		private readonly clock: Clock,
		readonly warehouses: Warehouse[]
	) {}

	/** The current time in keyCRM's timestamp form. */
	stamp(): string {
		return keycrmTimestamp( this.clock.now() );
	}

	/**
	 * Create a product without variants, with its default offer carrying the
	 * product's sku/barcode/prices/dimensions (API-NOTES (d)2: INFERRED, strongly).
	 *
	 * @param input Create body (validated).
	 */
	createProduct( input: ProductCreate ): ProductRec {
		const now = this.stamp();
		const product: ProductRec = {
			id: this.nextProductId++,
			name: input.name,
			description: input.description ?? null,
			pictures: input.pictures ?? [],
			currency_code: input.currency_code ?? 'UAH',
			unit_type: input.unit_type ?? null,
			weight: input.weight ?? null,
			length: input.length ?? null,
			width: input.width ?? null,
			height: input.height ?? null,
			category_id: input.category_id ?? null,
			is_archived: false,
			has_offers: false,
			custom_fields: input.custom_fields ?? [],
			created_at: now,
			updated_at: now,
		};
		this.products.set( product.id, product );
		this.productCache = null;
		this.counters.productsCreated++;
		this.addOffer(
			product,
			{
				sku: input.sku,
				barcode: input.barcode,
				price: input.price,
				purchased_price: input.purchased_price,
				weight: input.weight,
				length: input.length,
				width: input.width,
				height: input.height,
				image_url: input.pictures?.[ 0 ],
			},
			true
		);
		return product;
	}

	/**
	 * Update a product. sku/barcode/prices go to the default offer while the
	 * product has no variants (keyCRM shows them on the product only then).
	 *
	 * @param product The product.
	 * @param input   Update body (validated).
	 */
	updateProduct( product: ProductRec, input: ProductUpdate ): void {
		const {
			sku,
			barcode,
			price,
			purchased_price: purchased,
			...rest
		} = input;
		Object.assign( product, stripUndefined( rest ) );
		product.updated_at = this.stamp();
		const def = product.has_offers
			? undefined
			: this.offersOf( product.id )[ 0 ];
		if ( def ) {
			if ( sku !== undefined && sku !== def.sku ) {
				this.index.remove( def );
				def.sku = sku;
				this.index.add( def );
			}
			Object.assign(
				def,
				stripUndefined( { barcode, price, purchased_price: purchased } )
			);
			def.updated_at = product.updated_at;
		}
	}

	/**
	 * Add variants. A product that only has its default offer loses it: the
	 * product becomes `has_offers` and its sellable units are the new offers
	 * (INFERRED: keyCRM documents neither way; this is how its UI behaves
	 * when variants are added to a simple product).
	 *
	 * @param product The product.
	 * @param offers  Offers to add (validated).
	 */
	addOffers( product: ProductRec, offers: readonly OfferCreate[] ): void {
		if ( ! product.has_offers ) {
			this.offersOf( product.id ).forEach( ( o ) =>
				this.removeOffer( o )
			);
			product.has_offers = true;
		}
		offers.forEach( ( o ) => this.addOffer( product, o, false ) );
		product.updated_at = this.stamp();
	}

	private addOffer(
		product: ProductRec,
		o: OfferCreate & { image_url?: string },
		isDefault: boolean
	): OfferRec {
		const sku = o.sku ?? null;
		if ( sku !== null && this.findBySku( sku ).length > 0 ) {
			this.counters.duplicateSkusCreated++;
		}
		const offer: OfferRec = {
			id: this.nextOfferId++,
			product_id: product.id,
			sku,
			barcode: o.barcode ?? null,
			price: o.price ?? null,
			purchased_price: o.purchased_price ?? null,
			weight: o.weight ?? null,
			length: o.length ?? null,
			width: o.width ?? null,
			height: o.height ?? null,
			image_url: o.image_url ?? null,
			properties: ( o.properties ?? [] ).filter(
				( p ) => p.name !== '' && p.value !== ''
			),
			is_default: isDefault,
			is_archived: false,
			created_at: product.updated_at,
			updated_at: product.updated_at,
		};
		this.offers.set( offer.id, offer );
		this.offerCache = null;
		this.index.add( offer );
		this.counters.offersCreated++;
		return offer;
	}

	private removeOffer( offer: OfferRec ): void {
		this.index.remove( offer );
		this.offers.delete( offer.id );
		this.offerCache = null;
		this.stock.delete( offer.id );
	}

	private byIds( ids: Iterable< number > ): OfferRec[] {
		return [ ...ids ]
			.flatMap( ( id ) => this.offers.get( id ) ?? [] )
			.sort( ( a, b ) => a.id - b.id );
	}

	/** All offers in id order (cached until the next create/delete; do not mutate). */
	offerList(): readonly OfferRec[] {
		this.offerCache ??= [ ...this.offers.values() ];
		return this.offerCache;
	}

	/** All products in id order (cached until the next create; do not mutate). */
	productList(): readonly ProductRec[] {
		this.productCache ??= [ ...this.products.values() ];
		return this.productCache;
	}

	/**
	 * Offers of a product, by id.
	 * @param productId Product id.
	 */
	offersOf( productId: number ): OfferRec[] {
		return this.byIds( this.index.byProduct( productId ) );
	}

	/**
	 * Offers with exactly this SKU (more than one when duplicates were created).
	 * @param sku SKU.
	 */
	findBySku( sku: string ): OfferRec[] {
		return this.byIds( this.index.bySku( sku ) );
	}

	/**
	 * Offers a bulk row addresses: by `id` when given, else by `sku`.
	 *
	 * @param row     Row key.
	 * @param row.id  Offer id.
	 * @param row.sku Offer SKU.
	 */
	resolve( row: { id?: number; sku?: string } ): OfferRec[] {
		if ( row.id !== undefined ) {
			const o = this.offers.get( row.id );
			return o ? [ o ] : [];
		}
		return row.sku === undefined ? [] : this.findBySku( row.sku );
	}

	/**
	 * Set the absolute level of an offer in a warehouse.
	 * Returns whether the level changed.
	 *
	 * @param offerId     Offer id.
	 * @param warehouseId Warehouse id (must exist).
	 * @param cell        New quantity and/or reserve.
	 */
	setStock(
		offerId: number,
		warehouseId: number,
		cell: Partial< StockCell >
	): boolean {
		let perWarehouse = this.stock.get( offerId );
		if ( ! perWarehouse ) {
			perWarehouse = new Map();
			this.stock.set( offerId, perWarehouse );
		}
		const old = perWarehouse.get( warehouseId ) ?? {
			quantity: 0,
			reserve: 0,
		};
		const next = {
			quantity: cell.quantity ?? old.quantity,
			reserve: cell.reserve ?? old.reserve,
		};
		perWarehouse.set( warehouseId, next );
		const changed =
			next.quantity !== old.quantity || next.reserve !== old.reserve;
		if ( changed ) {
			this.stockChangedAt.set( offerId, this.clock.now() );
		}
		return changed;
	}

	/**
	 * Stock of an offer in one warehouse.
	 * @param offerId     Offer id.
	 * @param warehouseId keyCRM warehouse id.
	 */
	cell( offerId: number, warehouseId: number ): StockCell {
		return (
			this.stock.get( offerId )?.get( warehouseId ) ?? {
				quantity: 0,
				reserve: 0,
			}
		);
	}

	/**
	 * Totals of an offer over all warehouses.
	 * @param offerId Offer id.
	 */
	totals( offerId: number ): StockCell {
		let quantity = 0;
		let reserve = 0;
		for ( const c of this.stock.get( offerId )?.values() ?? [] ) {
			quantity += c.quantity;
			reserve += c.reserve;
		}
		return { quantity, reserve };
	}

	/**
	 * Create a category.
	 *
	 * @param input Create body (validated; parent checked by the caller).
	 */
	createCategory( input: CategoryCreate ): CategoryRec {
		const cat = {
			id: this.nextCategoryId++,
			name: input.name,
			parent_id: input.parent_id ?? null,
		};
		this.categories.set( cat.id, cat );
		return cat;
	}
}

/**
 * Drop undefined values so `Object.assign` only sets given fields.
 *
 * @param o Object.
 */
function stripUndefined< T extends object >( o: T ): Partial< T > {
	return Object.fromEntries(
		Object.entries( o ).filter( ( [ , v ] ) => v !== undefined )
	) as Partial< T >;
}
