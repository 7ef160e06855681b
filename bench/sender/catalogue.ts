/**
 * Benchmark catalogue and the API-minimum formulas. The catalogue is 90 %
 * simple products and 10 % variations (variable products of 5 variations),
 * in a category tree of 10 top categories with 4 subcategories each (simple
 * products in the subcategories, variable products in the top ones).
 */
import {
	shopProduct,
	type FakeShop,
	type ShopProduct,
} from '../../test/helpers/fake-shop';
import type { KeyCrmEmulator } from '../../src/emulator/core';
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
	/** Product categories used (each one keyCRM category to create). */
	categories: number;
}

/** Top categories and subcategories per top category. */
const TOP = 10;
const SUB = 4;

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
	const tops = Array.from( { length: TOP }, ( _, t ) =>
		shop.addCategory( `${ prefix } Категорія ${ t }` )
	);
	const subs = tops.flatMap( ( top, t ) =>
		Array.from( { length: SUB }, ( _, s ) =>
			shop.addCategory( `Підкатегорія ${ t }.${ s }`, top )
		)
	);
	const used = new Set< number >();
	for ( let i = 0; i < simple; i++ ) {
		const category = subs[ i % subs.length ] as number;
		used.add( category ).add(
			shop.categories.get( category )?.parent ?? 0
		);
		shop.add( product( `${ prefix }S${ i }`, { category } ), live );
	}
	for ( let p = 0; p < variations / 5; p++ ) {
		const category = tops[ p % tops.length ] as number;
		used.add( category );
		const parent = shop.add(
			product( `${ prefix }P${ p }`, {
				type: 'variable',
				name: `Shirt ${ p }`,
				manageStock: false,
				stock: null,
				price: null,
				category,
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
	used.delete( 0 );
	return {
		simple,
		variableProducts: variations / 5,
		variations,
		categories: used.size,
	};
}

/**
 * Products whose keyCRM category is not their shop category's path.
 *
 * @param shop Shop.
 * @param emu  keyCRM emulator.
 */
export function categoryMismatches(
	shop: FakeShop,
	emu: KeyCrmEmulator
): string[] {
	const out: string[] = [];
	const keycrmPath = ( id: number | null ): string => {
		const c = id === null ? undefined : emu.store.categories.get( id );
		return c ? `${ keycrmPath( c.parent_id ) }/${ c.name }` : '';
	};
	for ( const p of shop.products.values() ) {
		if ( p.type === 'variation' || ! p.sku ) {
			continue;
		}
		const want = ( shop.categoryPath( p.category ?? null ) ?? [] )
			.map( ( l ) => `/${ l.name }` )
			.join( '' );
		const sku = p.type === 'variable' ? `${ p.sku }-0` : p.sku;
		const offer = emu.store.findBySku( sku )[ 0 ];
		const held = offer && emu.store.products.get( offer.product_id );
		const got = keycrmPath( held?.category_id ?? null );
		if ( got !== want ) {
			out.push( `${ p.sku }: ${ got } ≠ ${ want }` );
		}
	}
	return out;
}

/**
 * API minimum of an initial push into an empty keyCRM: one census request
 * (proves keyCRM is empty, so no SKU can be duplicated), imports of 100,
 * per variable product one `POST /products` and ⌈variations/100⌉
 * `POST /products/{id}/offers`, one stock request per 10,000 SKUs, and the
 * categories: one read of keyCRM's (empty) category list and one
 * `POST /products/categories` per category.
 *
 * @param c Catalogue shape.
 */
export function minInitial( c: CatalogueShape ): number {
	const perProduct =
		Math.ceil( c.variations / c.variableProducts / 100 ) || 0;
	return (
		1 +
		( c.categories > 0 ? 1 + c.categories : 0 ) +
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
