/**
 * Benchmark catalogue and the API-minimum formulas. The catalogue is 90 %
 * simple products and 10 % variations (variable products of 5 variations).
 */
import {
	shopProduct,
	type FakeShop,
	type ShopProduct,
} from '../../test/helpers/fake-shop';
import type { Clock } from '../../src/util/clock';

/** A clock whose speed-up can change between scenarios (time stays continuous). */
export class VariableClock implements Clock {
	private factor = 1;
	private baseReal = Date.now();
	private baseClock = Date.now();

	/**
	 * Change the speed-up from now on.
	 *
	 * @param factor New factor.
	 */
	setFactor( factor: number ): void {
		this.baseClock = this.now();
		this.baseReal = Date.now();
		this.factor = factor;
	}

	now(): number {
		return this.baseClock + ( Date.now() - this.baseReal ) * this.factor;
	}

	sleep( ms: number, signal?: AbortSignal ): Promise< void > {
		return new Promise( ( resolve, reject ) => {
			const t = setTimeout( resolve, Math.max( 0, ms / this.factor ) );
			signal?.addEventListener(
				'abort',
				() => {
					clearTimeout( t );
					reject( signal.reason );
				},
				{ once: true }
			);
		} );
	}
}

/** Counts of a catalogue. */
export interface CatalogueShape {
	simple: number;
	variableProducts: number;
	variations: number;
}

const product = (
	sku: string,
	over: Partial< ShopProduct > = {}
): Omit< ShopProduct, 'id' > =>
	shopProduct( sku, { price: 100, stock: 10, ...over } );

/**
 * Add `n` SKUs (90 % simple, 10 % variations in products of 5).
 *
 * @param shop   Shop.
 * @param n      SKUs to add.
 * @param prefix SKU prefix.
 * @param live   Live edits (claimed first) or bulk (resync).
 */
export function addCatalogue(
	shop: FakeShop,
	n: number,
	prefix: string,
	live = false
): CatalogueShape {
	const variations = Math.floor( n / 10 / 5 ) * 5;
	const simple = n - variations;
	for ( let i = 0; i < simple; i++ ) {
		shop.add( product( `${ prefix }S${ i }` ), live );
	}
	for ( let p = 0; p < variations / 5; p++ ) {
		const parent = shop.add(
			product( `${ prefix }P${ p }`, {
				type: 'variable',
				name: `Shirt ${ p }`,
				manageStock: false,
				stock: null,
				price: null,
			} ),
			live
		);
		for ( let v = 0; v < 5; v++ ) {
			shop.add(
				product( `${ prefix }P${ p }-${ v }`, {
					type: 'variation',
					parentId: parent.id,
					price: 150,
					attributes: [ { name: 'Size', value: String( v ) } ],
				} ),
				live
			);
		}
	}
	return { simple, variableProducts: variations / 5, variations };
}

/**
 * API minimum of an initial push into an empty keyCRM: one census request
 * (proves keyCRM is empty, so no SKU can be duplicated), imports of 100,
 * per variable product one `POST /products` and ⌈variations/100⌉
 * `POST /products/{id}/offers`, and one stock request per 10,000 SKUs.
 *
 * @param c Catalogue shape.
 */
export function minInitial( c: CatalogueShape ): number {
	const perProduct =
		Math.ceil( c.variations / c.variableProducts / 100 ) || 0;
	return (
		1 +
		Math.ceil( c.simple / 100 ) +
		c.variableProducts * ( 1 + perProduct ) +
		Math.ceil( ( c.simple + c.variations ) / 10_000 )
	);
}

/**
 * API minimum of a bulk update of `n` SKUs (PUT /offers/stocks or PUT /offers).
 *
 * @param n SKUs.
 */
export function minBulk( n: number ): number {
	return Math.ceil( n / 10_000 );
}

/**
 * API minimum of renaming SKUs: existence checks of the new SKUs (⌈n/50⌉
 * lookups), imports of 100 for simple ones, one `POST /products/{id}/offers`
 * per product that gains variations, and one stock request carrying the
 * retired SKUs' zeros and the new SKUs' stock (per 10,000 rows).
 *
 * @param simple         Renamed simple SKUs.
 * @param variations     Renamed variations.
 * @param parentsTouched Distinct variable products among them.
 */
export function minRenames(
	simple: number,
	variations: number,
	parentsTouched: number
): number {
	const n = simple + variations;
	return (
		Math.ceil( n / 50 ) +
		Math.ceil( simple / 100 ) +
		parentsTouched +
		Math.ceil( ( 2 * n ) / 10_000 )
	);
}
