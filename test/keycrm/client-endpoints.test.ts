/** @jest-environment node */
/**
 * The keyCRM client against the emulator (msw): every endpoint, limits and paging.
 */
import { http } from 'msw';

import {
	KeyCrmAuthError,
	KeyCrmInvalidRequestError,
	KeyCrmLimitError,
	KeyCrmNotFoundError,
	KeyCrmValidationError,
} from '../../src/keycrm/errors';
import {
	KEYCRM_TEST_KEY,
	KEYCRM_TEST_URL,
	useKeyCrmEmulator,
} from '../helpers/keycrm';

const env = useKeyCrmEmulator( { warehouses: [ 1, 2 ] } );

const products = ( n: number, prefix = 'SKU' ) =>
	Array.from( { length: n }, ( _, i ) => ( {
		name: `Product ${ i }`,
		sku: `${ prefix }-${ i }`,
		price: 10 + i,
	} ) );

describe( 'products', () => {
	it( 'createProduct returns the product with its id and a default offer carrying the SKU', async () => {
		const client = env.client();
		const product = await client.createProduct( {
			name: 'Mug',
			sku: 'MUG-1',
			price: 99.5,
			weight: 0.3,
		} );
		expect( product ).toMatchObject( {
			name: 'Mug',
			sku: 'MUG-1',
			price: 99.5,
			has_offers: false,
		} );
		expect( product.id ).toBeGreaterThan( 0 );
		const found = await client.findOffersBySku( [ 'MUG-1' ] );
		expect( found.get( 'MUG-1' ) ).toEqual( [
			expect.objectContaining( {
				product_id: product.id,
				sku: 'MUG-1',
				is_default: true,
				price: 99.5,
				quantity: 0,
			} ),
		] );
	} );

	it( 'importProducts creates up to 100 products and answers with no ids', async () => {
		const client = env.client();
		await expect(
			client.importProducts( products( 100 ) )
		).resolves.toBeUndefined();
		const page = await client.listProducts( { limit: 50, page: 2 } );
		expect( page ).toMatchObject( {
			total: 100,
			per_page: 50,
			current_page: 2,
			last_page: 2,
			from: 51,
			to: 100,
			next_page_url: null,
		} );
		expect( env.emulator.stats().byRoute ).toMatchObject( {
			'POST /products/import': 1,
		} );
	} );

	it( 'refuses a 101-product import before sending anything', async () => {
		const client = env.client();
		await expect(
			client.importProducts( products( 101 ) )
		).rejects.toThrow( KeyCrmLimitError );
		await expect( client.importProducts( [] ) ).rejects.toThrow(
			/1\.\.100/
		);
		expect( client.stats().total ).toBe( 0 );
		expect( env.emulator.stats().total ).toBe( 0 );
	} );

	it( 'refuses an invalid body before sending (missing name, 7 pictures)', async () => {
		const client = env.client();
		await expect(
			client.importProducts( [ { sku: 'X' } as never ] )
		).rejects.toThrow( KeyCrmInvalidRequestError );
		const pictures = Array.from(
			{ length: 7 },
			( _, i ) => `https://example.com/${ i }.jpg`
		);
		await expect(
			client.createProduct( { name: 'P', pictures } )
		).rejects.toMatchObject( { issuePath: 'pictures' } );
		expect( client.stats().total ).toBe( 0 );
	} );

	it( 'getProduct, updateProduct and 404', async () => {
		const client = env.client();
		const created = await client.createProduct( {
			name: 'Old',
			sku: 'P-1',
			price: 1,
		} );
		const updated = await client.updateProduct( created.id, {
			name: 'New',
			price: 2,
		} );
		expect( updated ).toMatchObject( {
			id: created.id,
			name: 'New',
			price: 2,
		} );
		await expect( client.getProduct( created.id ) ).resolves.toMatchObject(
			{ name: 'New' }
		);
		await expect( client.getProduct( 999 ) ).rejects.toThrow(
			KeyCrmNotFoundError
		);
		await expect(
			client.updateProduct( 999, { name: 'x' } )
		).rejects.toMatchObject( { status: 404, retryable: false } );
	} );
} );

describe( 'product SKU changes', () => {
	it( "updateProduct moves a simple product's SKU to its default offer", async () => {
		const client = env.client();
		const p = await client.createProduct( { name: 'Cup', sku: 'OLD' } );
		await client.updateProduct( p.id, { sku: 'NEW', price: 4 } );
		const found = await client.findOffersBySku( [ 'OLD', 'NEW' ] );
		expect( [ ...found.keys() ] ).toEqual( [ 'NEW' ] );
		expect( found.get( 'NEW' )?.[ 0 ] ).toMatchObject( {
			product_id: p.id,
			price: 4,
			is_default: true,
		} );
	} );
} );

describe( 'offers', () => {
	it( 'createOffers replaces the default offer; listOffers filters by product', async () => {
		const client = env.client();
		const p = await client.createProduct( { name: 'Shirt', sku: 'SHIRT' } );
		await client.createOffers( p.id, [
			{
				sku: 'SHIRT-S',
				price: 10,
				properties: [ { name: 'Size', value: 'S' } ],
			},
			{
				sku: 'SHIRT-M',
				price: 12,
				properties: [ { name: 'Size', value: 'M' } ],
			},
		] );
		const page = await client.listOffers( {
			filter: { product_id: p.id },
			include: 'product',
		} );
		expect( page.data.map( ( o ) => o.sku ) ).toEqual( [
			'SHIRT-S',
			'SHIRT-M',
		] );
		expect( page.data[ 0 ] ).toMatchObject( {
			is_default: false,
			product: { id: p.id, has_offers: true },
		} );
		await expect( client.getProduct( p.id ) ).resolves.toMatchObject( {
			has_offers: true,
			min_price: 10,
			max_price: 12,
		} );
		await expect(
			client.createOffers(
				p.id,
				Array.from( { length: 101 }, ( _, i ) => ( {
					sku: `V${ i }`,
				} ) )
			)
		).rejects.toThrow( KeyCrmLimitError );
	} );

	it( 'updateOffers by sku and id; an unknown SKU rejects the whole batch naming the row', async () => {
		const client = env.client();
		await client.importProducts( products( 3 ) );
		const offers = await client.findOffersBySku( [ 'SKU-0', 'SKU-1' ] );
		const id1 = offers.get( 'SKU-1' )?.[ 0 ]?.id ?? 0;
		await client.updateOffers( [
			{ sku: 'SKU-0', price: 50 },
			{ id: id1, purchased_price: 7 },
		] );
		const after = await client.listOffers( {
			filter: { sku: [ 'SKU-0', 'SKU-1' ] },
		} );
		expect(
			after.data.map( ( o ) => [ o.sku, o.price, o.purchased_price ] )
		).toEqual( [
			[ 'SKU-0', 50, null ],
			[ 'SKU-1', 11, 7 ],
		] );
		const error = await client
			.updateOffers( [
				{ sku: 'SKU-2', price: 1 },
				{ sku: 'NOPE', price: 1 },
			] )
			.catch( ( e: unknown ) => e );
		expect( error ).toBeInstanceOf( KeyCrmValidationError );
		expect(
			( error as KeyCrmValidationError ).rowIndexes( 'offers' )
		).toEqual( [ 1 ] );
		expect(
			( await client.listOffers( { filter: { sku: 'SKU-2' } } ) )
				.data[ 0 ]?.price
		).toBe( 12 );
		await expect( client.updateOffers( [ { price: 1 } ] ) ).rejects.toThrow(
			KeyCrmInvalidRequestError
		);
	} );
} );

describe( 'stocks', () => {
	it( 'updateStocks sets absolute levels per warehouse; listStocks shows totals and the breakdown', async () => {
		const client = env.client();
		await client.importProducts( products( 2 ) );
		await client.updateStocks( 1, [
			{ sku: 'SKU-0', quantity: 5 },
			{ sku: 'SKU-1', quantity: 1 },
		] );
		await client.updateStocks( 2, [ { sku: 'SKU-0', quantity: 3 } ] );
		await client.updateStocks( 1, [ { sku: 'SKU-0', quantity: 4 } ] );
		const plain = await client.listStocks( {
			filter: { offers_sku: [ 'SKU-0', 'SKU-1' ] },
		} );
		expect(
			plain.data.map( ( s ) => [
				s.sku,
				s.quantity,
				s.reserve,
				s.warehouse,
			] )
		).toEqual( [
			[ 'SKU-0', 7, 0, undefined ],
			[ 'SKU-1', 1, 0, undefined ],
		] );
		const detailed = await client.listStocks( {
			filter: { offers_sku: 'SKU-0', details: true },
		} );
		expect( detailed.data[ 0 ]?.warehouse ).toEqual( [
			{ id: 1, name: 'Warehouse 1', quantity: 4, reserve: 0 },
			{ id: 2, name: 'Warehouse 2', quantity: 3, reserve: 0 },
		] );
	} );

	it( "an unknown warehouse or SKU is a 422 with keyCRM's message; over 10,000 rows is refused before sending", async () => {
		const client = env.client();
		await client.importProducts( products( 1 ) );
		await expect(
			client.updateStocks( 9, [ { sku: 'SKU-0', quantity: 1 } ] )
		).rejects.toMatchObject( {
			name: 'KeyCrmValidationError',
			status: 422,
			message: expect.stringContaining( 'warehouse id is invalid' ),
			errors: {
				warehouse_id: [ 'The selected warehouse id is invalid.' ],
			},
		} );
		await expect(
			client.updateStocks( 1, [ { sku: 'GHOST', quantity: 1 } ] )
		).rejects.toMatchObject( {
			errors: { 'stocks.0.sku': expect.any( Array ) },
		} );
		const sent = client.stats().total;
		const rows = Array.from( { length: 10_001 }, ( _, i ) => ( {
			sku: `S${ i }`,
			quantity: 1,
		} ) );
		await expect( client.updateStocks( 1, rows ) ).rejects.toThrow(
			KeyCrmLimitError
		);
		expect( client.stats().total ).toBe( sent );
	} );
} );

describe( 'categories', () => {
	it( 'createCategory and listCategories with a parent filter', async () => {
		const client = env.client();
		const root = await client.createCategory( { name: 'Shoes' } );
		const child = await client.createCategory( {
			name: 'Boots',
			parent_id: root.id,
		} );
		expect( child ).toEqual( {
			id: root.id + 1,
			name: 'Boots',
			parent_id: root.id,
		} );
		const page = await client.listCategories( {
			filter: { parent_id: root.id },
		} );
		expect( page.data ).toEqual( [ child ] );
		await expect(
			client.createCategory( { name: 'Orphan', parent_id: 99 } )
		).rejects.toThrow( KeyCrmValidationError );
	} );
} );

describe( 'paging and lookups', () => {
	it( 'paginate follows every page in id order with limit 50', async () => {
		const client = env.client();
		await client.importProducts( products( 100, 'A' ) );
		await client.importProducts( products( 20, 'B' ) );
		const before = client.stats().total;
		const seen: number[] = [];
		for await ( const offer of client.paginate( ( page ) =>
			client.listOffers( { limit: 50, page } )
		) ) {
			seen.push( offer.id );
		}
		expect( seen ).toHaveLength( 120 );
		expect( [ ...seen ].sort( ( a, b ) => a - b ) ).toEqual( seen );
		expect( client.stats().total - before ).toBe( 3 );
	} );

	it( 'findOffersBySku asks ≤50 SKUs per request, keeps exact matches and reports duplicates', async () => {
		const client = env.client();
		await client.importProducts( products( 100, 'A' ) );
		await client.importProducts( products( 20, 'B' ) );
		await client.createProduct( { name: 'Duplicate', sku: 'A-1' } );
		const wanted = [ ...products( 100, 'A' ), ...products( 20, 'B' ) ]
			.map( ( p ) => p.sku )
			.concat( 'MISSING' );
		const before = env.emulator.stats().byRoute[ 'GET /offers' ] ?? 0;
		const found = await client.findOffersBySku( wanted );
		// 121 SKUs = 3 chunks (50, 50, 21); the first chunk matches 51 rows (A-1 twice) → one more page.
		expect(
			( env.emulator.stats().byRoute[ 'GET /offers' ] ?? 0 ) - before
		).toBe( 4 );
		expect( found.size ).toBe( 120 );
		expect( found.get( 'A-1' ) ).toHaveLength( 2 );
		expect( found.has( 'MISSING' ) ).toBe( false );
		expect( env.emulator.stats().counters.duplicateSkusCreated ).toBe( 1 );
	} );

	it( 'drops rows whose SKU was not asked for (keyCRM ignores unknown filters)', async () => {
		const client = env.client();
		await client.importProducts( products( 3 ) );
		// A keyCRM that ignores the filter returns everything: only SKU-1 must come back.
		env.server.use(
			http.get( `${ KEYCRM_TEST_URL }/offers`, async () => {
				const res = await env.emulator.handle( {
					method: 'GET',
					path: '/v1/offers',
					query: 'limit=50',
					headers: { authorization: `Bearer ${ KEYCRM_TEST_KEY }` },
				} );
				return new Response( res.body, {
					status: res.status,
					headers: res.headers,
				} );
			} )
		);
		const found = await client.findOffersBySku( [ 'SKU-1' ] );
		expect( [ ...found.keys() ] ).toEqual( [ 'SKU-1' ] );
	} );

	it( 'refuses SKUs keyCRM cannot filter by and page sizes over 50', async () => {
		const client = env.client();
		await expect( client.findOffersBySku( [ 'a,b' ] ) ).rejects.toThrow(
			KeyCrmLimitError
		);
		await expect( client.listOffers( { limit: 51 } ) ).rejects.toThrow(
			/limit must be an integer 1\.\.50/
		);
		expect( client.stats().total ).toBe( 0 );
	} );
} );

describe( 'auth', () => {
	it( 'a wrong key is a KeyCrmAuthError, not retried', async () => {
		const client = env.client( { apiKey: 'wrong' } );
		await expect( client.listStocks() ).rejects.toThrow( KeyCrmAuthError );
		expect( client.stats().total ).toBe( 1 );
	} );
} );
