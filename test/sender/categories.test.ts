/** @jest-environment node */
/**
 * Categories through the real worker, keyCRM emulator and model shop: a
 * product is created with its primary category's keyCRM id (paths created
 * parents first, existing ones matched by name and parent), the ids are
 * remembered in the shop so later runs need no category request, and a
 * renamed or moved category, or a product moved to another one, reaches
 * keyCRM as the product's new `category_id`.
 */
import { simulatedClock, type Clock } from '../../src/util/clock';
import { shopProduct } from '../helpers/fake-shop';
import { startHarness, type Harness } from '../helpers/fake-shop-harness';

let clock: Clock;
let h: Harness;

beforeEach( () => {
	clock = simulatedClock();
	h = startHarness( { clock } );
} );
afterEach( () => h.close() );

/** Requests per route since the harness started. */
const routes = () => h.emulator.stats().byRoute;

/**
 * keyCRM's category of the product holding a SKU, as a path of names.
 *
 * @param sku SKU.
 */
function keycrmPath( sku: string ): string {
	const offer = h.emulator.store.findBySku( sku )[ 0 ];
	const product = offer && h.emulator.store.products.get( offer.product_id );
	const names: string[] = [];
	for (
		let id = product?.category_id ?? null;
		id !== null;
		id = h.emulator.store.categories.get( id )?.parent_id ?? null
	) {
		names.unshift( h.emulator.store.categories.get( id )?.name ?? '?' );
	}
	return names.join( '/' );
}

describe( 'categories', () => {
	it( 'creates products in their category paths, remembers the ids, follows renames and moves', async () => {
		// keyCRM already has "Одяг" (any case): it is matched, not duplicated.
		const existing = h.emulator.store.createCategory( { name: 'одяг' } );
		const clothes = h.shop.addCategory( 'Одяг' );
		const shirts = h.shop.addCategory( 'Футболки', clothes );
		const shoes = h.shop.addCategory( 'Взуття' );
		h.shop.add( shopProduct( 'T1', { category: shirts } ) );
		h.shop.add( shopProduct( 'C1', { category: clothes } ) );
		h.shop.add( shopProduct( 'N1' ) );
		const boots = h.shop.add( {
			...shopProduct( 'unused', {
				type: 'variable',
				name: 'Черевики',
				manageStock: false,
				stock: null,
				price: null,
				category: shoes,
			} ),
			sku: null,
		} );
		for ( const size of [ '40', '41' ] ) {
			h.shop.add(
				shopProduct( `B-${ size }`, {
					type: 'variation',
					parentId: boots.id,
					attributes: [ { name: 'Size', value: size } ],
				} )
			);
		}

		await h.worker( { once: true } ).run();
		expect( h.shop.dirtyCount() ).toBe( 0 );
		expect( keycrmPath( 'T1' ) ).toBe( 'одяг/Футболки' );
		expect( keycrmPath( 'C1' ) ).toBe( 'одяг' );
		expect( keycrmPath( 'N1' ) ).toBe( '' );
		expect( keycrmPath( 'B-40' ) ).toBe( 'Взуття' );
		expect(
			[ ...h.emulator.store.categories.values() ].filter(
				( c ) => c.name.toLowerCase() === 'одяг'
			)
		).toHaveLength( 1 );
		expect( h.shop.categoryIds.get( clothes )?.keycrm_id ).toBe(
			existing.id
		);
		// One read of keyCRM's tree, one create per missing level.
		expect( routes()[ 'GET /products/categories' ] ).toBe( 1 );
		expect( routes()[ 'POST /products/categories' ] ).toBe( 2 );

		// Later runs: the ids are remembered, no category request.
		h.shop.add( shopProduct( 'T2', { category: shirts } ) );
		await h.worker( { once: true } ).run();
		expect( keycrmPath( 'T2' ) ).toBe( 'одяг/Футболки' );
		expect( routes()[ 'GET /products/categories' ] ).toBe( 1 );
		expect( routes()[ 'POST /products/categories' ] ).toBe( 2 );

		// A renamed category: its products move to the keyCRM category of the new name.
		( h.shop.categories.get( shirts ) as { name: string } ).name =
			'Сорочки';
		h.shop.touchCategory( shirts );
		await h.worker( { once: true } ).run();
		expect( keycrmPath( 'T1' ) ).toBe( 'одяг/Сорочки' );
		expect( keycrmPath( 'T2' ) ).toBe( 'одяг/Сорочки' );
		expect( keycrmPath( 'C1' ) ).toBe( 'одяг' );

		// A category moved under another parent.
		( h.shop.categories.get( shirts ) as { parent: number } ).parent =
			shoes;
		h.shop.touchCategory( shirts );
		await h.worker( { once: true } ).run();
		expect( keycrmPath( 'T1' ) ).toBe( 'Взуття/Сорочки' );

		// A product moved to another category.
		const t1 = h.shop.bySku( 'T1' )?.id as number;
		h.shop.update( t1, { category: clothes } );
		const before = routes()[ 'POST /products/categories' ];
		await h.worker( { once: true } ).run();
		expect( keycrmPath( 'T1' ) ).toBe( 'одяг' );
		expect( routes()[ 'POST /products/categories' ] ).toBe( before );
		expect( h.shop.dirtyCount() ).toBe( 0 );
		expect( h.emulator.stats().counters.duplicateSkusCreated ).toBe( 0 );
	} );

	it( 'sends a SKU-less variable product’s later rename and category change in one product update', async () => {
		const shoes = h.shop.addCategory( 'Взуття' );
		const sale = h.shop.addCategory( 'Розпродаж' );
		const parent = h.shop.add( {
			...shopProduct( 'unused', {
				type: 'variable',
				name: 'Черевики',
				manageStock: false,
				stock: null,
				price: null,
				category: shoes,
			} ),
			sku: null,
		} );
		for ( const size of [ '40', '41', '42' ] ) {
			h.shop.add(
				shopProduct( `SL-${ size }`, {
					type: 'variation',
					parentId: parent.id,
					attributes: [ { name: 'Size', value: size } ],
				} )
			);
		}
		await h.worker( { once: true } ).run();
		const productId = h.emulator.store.findBySku( 'SL-40' )[ 0 ]
			?.product_id as number;
		expect( keycrmPath( 'SL-40' ) ).toBe( 'Взуття' );
		const puts = routes()[ 'PUT /products/{id}' ] ?? 0;

		h.shop.update( parent.id, { name: 'Черевики зимові', category: sale } );
		await h.worker( { once: true } ).run();
		expect( h.emulator.store.products.get( productId )?.name ).toBe(
			'Черевики зимові'
		);
		expect( keycrmPath( 'SL-41' ) ).toBe( 'Розпродаж' );
		expect( routes()[ 'PUT /products/{id}' ] ).toBe( puts + 1 );
		expect( h.shop.dirtyCount() ).toBe( 0 );

		// Nothing changed: a later claim of the variations sends no product update.
		h.shop.update( h.shop.bySku( 'SL-42' )?.id as number, { stock: 1 } );
		await h.worker( { once: true } ).run();
		expect( routes()[ 'PUT /products/{id}' ] ).toBe( puts + 1 );
	} );

	it( 'finds a category again when keyCRM rejects a remembered id (deleted there)', async () => {
		const clothes = h.shop.addCategory( 'Одяг' );
		h.shop.add( shopProduct( 'R1', { category: clothes } ) );
		await h.worker( { once: true } ).run();
		expect( keycrmPath( 'R1' ) ).toBe( 'Одяг' );
		// Deleted in keyCRM; the shop still remembers its id.
		h.emulator.store.categories.clear();
		h.shop.add( shopProduct( 'R2', { category: clothes } ) );
		const r1 = h.shop.bySku( 'R1' )?.id as number;
		h.shop.update( r1, { name: 'Renamed R1' } );
		await h.worker( { once: true } ).run();
		expect( keycrmPath( 'R2' ) ).toBe( 'Одяг' );
		expect( keycrmPath( 'R1' ) ).toBe( 'Одяг' );
		expect( h.shop.dirtyCount() ).toBe( 0 );
		expect( h.shop.rows.get( 'R2' )?.state ).toBe( 'synced' );
		expect( h.shop.categoryIds.get( clothes )?.keycrm_id ).toBe(
			[ ...h.emulator.store.categories.values() ][ 0 ]?.id
		);
	} );

	it( 'sends no category when product data is not synced', async () => {
		await h.close();
		h = startHarness( {
			clock,
			shop: { settings: { sync_product_data: false } },
		} );
		const cat = h.shop.addCategory( 'Одяг' );
		h.shop.add( shopProduct( 'X1', { category: cat } ) );
		await h.worker( { once: true } ).run();
		expect( h.emulator.store.findBySku( 'X1' ) ).toHaveLength( 1 );
		expect( keycrmPath( 'X1' ) ).toBe( '' );
		expect( routes()[ 'GET /products/categories' ] ).toBeUndefined();
	} );
} );
