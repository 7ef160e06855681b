/** @jest-environment node */
/**
 * Contract test: every request the keyCRM client sends is validated against
 * the request schemas of keyCRM's official OpenAPI document, and every
 * emulator response against its response schemas (openapi-backend + ajv).
 * The document's known defects are repaired in memory (listed below).
 */
import type { Request as OpenApiRequest } from 'openapi-backend';

import { KeyCrmLimitError } from '../../src/keycrm/errors';
import { loadKeyCrmSpec, type KeyCrmSpec } from '../helpers/keycrm-openapi';
import { KEYCRM_TEST_KEY, useKeyCrmEmulator } from '../helpers/keycrm';

interface Exchange {
	method: string;
	url: URL;
	headers: Headers;
	body: unknown;
	status: number;
	response: unknown;
}

const env = useKeyCrmEmulator( { warehouses: [ 1, 2 ] } );
let spec: KeyCrmSpec;
beforeAll( async () => {
	spec = await loadKeyCrmSpec();
} );

/** A client whose every exchange is recorded (the fetch boundary, below ky). */
function recordingClient() {
	const exchanges: Exchange[] = [];
	const recordingFetch: typeof globalThis.fetch = async ( input, init ) => {
		const request = new Request( input, init );
		const text =
			request.method === 'GET' ? '' : await request.clone().text();
		const response = await globalThis.fetch( request );
		const responseText = await response.clone().text();
		exchanges.push( {
			method: request.method,
			url: new URL( request.url ),
			headers: request.headers,
			body: text ? ( JSON.parse( text ) as unknown ) : undefined,
			status: response.status,
			response: responseText
				? ( JSON.parse( responseText ) as unknown )
				: undefined,
		} );
		return response;
	};
	return { client: env.client( { fetch: recordingFetch } ), exchanges };
}

/**
 * openapi-backend's view of a request.
 * @param e The exchange.
 */
function toOpenApi(
	e: Pick< Exchange, 'method' | 'url' | 'headers' | 'body' >
): OpenApiRequest {
	return {
		method: e.method.toLowerCase(),
		path: `${ e.url.pathname }${ e.url.search }`,
		headers: Object.fromEntries( e.headers.entries() ),
		body: e.body,
	};
}

/**
 * Validation errors of one exchange (request, and the response when 2xx), as readable strings.
 * @param e The exchange.
 */
function problems( e: Exchange ): string[] {
	const req = toOpenApi( e );
	const out: string[] = [];
	const label = `${ e.method } ${ e.url.pathname }${ e.url.search }`;
	const requestResult = spec.backend.validateRequest( req );
	for ( const err of requestResult.errors ?? [] ) {
		out.push(
			`${ label } request ${ err.instancePath } ${ err.message ?? '' }`
		);
	}
	const operation = spec.backend.router.matchOperation( req );
	if ( ! operation ) {
		return [ ...out, `${ label }: no such operation in the spec` ];
	}
	if ( e.status >= 200 && e.status < 300 ) {
		const responseResult = spec.backend.validateResponse(
			e.response,
			operation,
			e.status
		);
		for ( const err of responseResult.errors ?? [] ) {
			out.push(
				`${ label } response ${ e.status } ${ err.instancePath } ${ err.message ?? '' }`
			);
		}
		const documented = Object.keys( operation.responses ?? {} ).map(
			Number
		);
		if ( ! documented.includes( e.status ) ) {
			out.push(
				`${ label }: status ${ e.status } not documented (${ documented.join( ', ' ) })`
			);
		}
	}
	return out;
}

/**
 * Operation ids the exchanges used.
 * @param exchanges Recorded exchanges.
 */
function operationIds( exchanges: Exchange[] ): Set< string > {
	return new Set(
		exchanges.map(
			( e ) =>
				spec.backend.router.matchOperation( toOpenApi( e ) )
					?.operationId ?? '?'
		)
	);
}

it( 'lists each in-memory repair of the published document', () => {
	const byWhy = ( fragment: string ) =>
		spec.repairs.filter( ( r ) => r.why.includes( fragment ) );
	// 12 in-scope operations, each with a non-array security requirement value.
	expect( byWhy( '(g)1: a security requirement' ) ).toHaveLength( 12 );
	expect( byWhy( '(g)3' ).map( ( r ) => r.where ) ).toEqual( [
		'PUT /offers body.offers',
		'PUT /offers/stocks body.stocks',
		'POST /products/import body.products',
		'POST /products/{productId}/offers body.offers',
	] );
	expect( spec.repairs ).toEqual(
		expect.arrayContaining( [
			expect.objectContaining( {
				where: 'POST /products/{productId}/offers body',
				what: 'required [name] → [offers]',
			} ),
			expect.objectContaining( {
				where: 'POST /products/categories body',
				what: 'required [full_name] → [name]',
			} ),
			expect.objectContaining( {
				where: 'PaginatedResponse.next_page_url',
				what: 'nullable: true',
			} ),
			expect.objectContaining( {
				where: 'Offer.weight',
				what: 'nullable: true',
			} ),
		] )
	);
	// Printed once so the list is visible in the test log.
	expect(
		spec.repairs.map( ( r ) => `${ r.where }: ${ r.what }` ).join( '\n' )
	).toMatchSnapshot();
} );

it( 'the validator is not vacuous: it rejects requests that break the spec', () => {
	const url = ( p: string ) =>
		new URL( `https://openapi.keycrm.app/v1${ p }` );
	const bad = [
		{
			method: 'PUT',
			url: url( '/offers/stocks' ),
			body: { stocks: [ { sku: 'A', quantity: 1 } ] },
		},
		{
			method: 'PUT',
			url: url( '/offers/stocks' ),
			body: { warehouse_id: 1, stocks: [ { sku: 'A' } ] },
		},
		{
			method: 'POST',
			url: url( '/products/import' ),
			body: { products: [ { sku: 'A' } ] },
		},
		{
			method: 'POST',
			url: url( '/products/import' ),
			body: {
				products: Array.from( { length: 101 }, ( _, i ) => ( {
					name: `P${ i }`,
				} ) ),
			},
		},
		{
			method: 'PUT',
			url: url( '/offers' ),
			body: { offers: [ { sku: 'A', price: '12' } ] },
		},
		{ method: 'GET', url: url( '/offers?limit=51' ), body: undefined },
	];
	for ( const e of bad ) {
		const result = spec.backend.validateRequest(
			toOpenApi( {
				...e,
				headers: new Headers( { 'content-type': 'application/json' } ),
			} )
		);
		expect( [ `${ e.method } ${ e.url.pathname }`, result.valid ] ).toEqual(
			[ `${ e.method } ${ e.url.pathname }`, false ]
		);
	}
} );

it( 'every request the client sends matches the spec, and every emulator answer matches its response schema', async () => {
	const { client, exchanges } = recordingClient();
	const category = await client.createCategory( { name: 'Shoes' } );
	await client.createCategory( { name: 'Boots', parent_id: category.id } );
	await client.listCategories( {
		filter: { parent_id: category.id },
		limit: 50,
	} );
	const simple = await client.createProduct( {
		name: 'Mug',
		sku: 'MUG',
		price: 10.5,
		purchased_price: 4,
		weight: 0.3,
		category_id: category.id,
		pictures: [ 'https://example.com/mug.jpg' ],
		currency_code: 'UAH',
		description: 'A mug',
		unit_type: 'pcs',
		barcode: '123',
		length: 1,
		width: 2,
		height: 3,
	} );
	await client.importProducts(
		Array.from( { length: 60 }, ( _, i ) => ( {
			name: `Item ${ i }`,
			sku: `ITEM-${ i }`,
			price: i,
		} ) )
	);
	await client.updateProduct( simple.id, {
		name: 'Big mug',
		description: 'Bigger',
		category_id: category.id,
	} );
	await client.getProduct( simple.id );
	const variable = await client.createProduct( { name: 'Shirt' } );
	await client.createOffers( variable.id, [
		{
			sku: 'SHIRT-S',
			price: 20,
			weight: 0.2,
			image_url: 'https://example.com/s.jpg',
			properties: [ { name: 'Size', value: 'S' } ],
		},
		{
			sku: 'SHIRT-M',
			price: 21,
			barcode: '456',
			purchased_price: 9,
			length: 1,
			width: 1,
			height: 1,
		},
	] );
	await client.updateOffers( [
		{
			sku: 'SHIRT-S',
			price: 19,
			purchased_price: 8,
			weight: 0.25,
			length: 30,
			width: 20,
			height: 1,
			image_url: 'https://example.com/s2.jpg',
		},
	] );
	const found = await client.findOffersBySku(
		[ 'MUG', 'SHIRT-M', 'ITEM-59' ],
		{ include: 'product' }
	);
	const shirtM = found.get( 'SHIRT-M' )?.[ 0 ];
	await client.updateOffers( [ { id: shirtM?.id ?? 0, price: 22 } ] );
	await client.updateStocks( 1, [
		{ sku: 'MUG', quantity: 5 },
		{ id: shirtM?.id ?? 0, quantity: 2.5 },
	] );
	await client.updateStocks( 2, [ { sku: 'MUG', quantity: 1 } ] );
	await client.listStocks( {
		filter: { offers_sku: [ 'MUG', 'SHIRT-M' ], details: true },
	} );
	await client.listStocks( { filter: { offers_id: [ shirtM?.id ?? 0 ] } } );
	for await ( const row of client.paginate( ( page ) =>
		client.listStocks( { limit: 50, page } )
	) ) {
		expect( row.id ).toBeGreaterThan( 0 );
	}
	for await ( const p of client.paginate( ( page ) =>
		client.listProducts( {
			limit: 50,
			page,
			filter: { is_archived: false },
		} )
	) ) {
		expect( p.id ).toBeGreaterThan( 0 );
	}
	await client.listProducts( {
		filter: { product_id: [ simple.id ], category_id: [ category.id ] },
		include: 'custom_fields',
	} );
	await client.listOffers( {
		filter: { product_id: variable.id, is_archived: false },
		sort: '-id',
		limit: 10,
	} );

	expect( exchanges.flatMap( problems ) ).toEqual( [] );
	// Every in-scope operation was exercised.
	expect( [ ...operationIds( exchanges ) ].sort() ).toEqual( [
		'createNewCategory',
		'createNewProduct',
		'createNewProductImport',
		'createNewProductOffers',
		'getPaginatedListOfCategories',
		'getPaginatedListOfOffers',
		'getPaginatedListOfProducts',
		'getPaginatedListOfStocks',
		'getProductById',
		'offersStocksUpdate',
		'offersUpdate',
		'updateExistingProduct',
	] );
	// Headers the spec's bearer scheme and API-NOTES §1 require.
	for ( const e of exchanges ) {
		expect( e.headers.get( 'authorization' ) ).toBe(
			`Bearer ${ KEYCRM_TEST_KEY }`
		);
		expect( e.headers.get( 'accept' ) ).toBe( 'application/json' );
	}
	const withBody = exchanges.filter( ( e ) => e.body !== undefined );
	expect( withBody.length ).toBeGreaterThan( 0 );
	expect(
		withBody.filter(
			( e ) =>
				! /^application\/json/.test(
					e.headers.get( 'content-type' ) ?? ''
				)
		)
	).toEqual( [] );
} );

it( 'limits the spec cannot express are refused by the client before sending', async () => {
	const { client, exchanges } = recordingClient();
	await expect(
		client.importProducts(
			Array.from( { length: 101 }, ( _, i ) => ( { name: `P${ i }` } ) )
		)
	).rejects.toThrow( KeyCrmLimitError );
	expect( exchanges ).toHaveLength( 0 );
} );
