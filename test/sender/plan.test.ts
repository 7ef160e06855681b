/** @jest-environment node */
import type { ClaimedItem, SenderSettings } from '@keycrm-sync/contract';
import {
	DEFAULT_DESIRED_OPTIONS,
	offerHash,
	productHash,
	type DesiredOptions,
} from '../../src/sender/desired';
import { payloadHash } from '../../src/sender/desired-data';
import {
	ESTABLISHES,
	plan,
	type Plan,
	type PlannedCall,
} from '../../src/sender/plan';
import type { Knowledge, OfferIds, SkuState } from '../../src/sender/state';
import {
	asSynced,
	makeItem,
	makeSettings,
	makeVariation,
} from '../helpers/fake-shop-items';

const S = makeSettings();

/**
 * What a call carries for a SKU whose offer data it sends: the desired record
 * with that data and its hash (recorded as `pushed_offer_hash`).
 *
 * @param data Offer data sent.
 */
const offerRecord = ( data: object ) =>
	expect.objectContaining( { offer: { data, hash: payloadHash( data ) } } );

/**
 * What a call carries for a SKU whose product data it sends: the desired
 * record with that data and its hash (recorded as `pushed_product_hash`).
 *
 * @param product Product data sent (no category).
 */
const productRecord = ( product: object ) =>
	expect.objectContaining( { product, productHash: payloadHash( product ) } );

interface Case {
	name: string;
	items: ClaimedItem[];
	settings?: SenderSettings;
	options?: DesiredOptions;
	skus?: Record< string, SkuState >;
	parents?: Array< [ number, number ] >;
	census?: Array< [ string, OfferIds ] > | null;
	/** Expected call kinds with their row counts, in order. */
	calls: string[];
	done?: string[];
	blocked?: string[];
	/** SKUs the settings keep out of keyCRM. */
	notSent?: string[];
	check?: ( p: Plan ) => void;
}

/**
 * Summarise a call as `kind:rows`.
 *
 * @param c Call.
 */
function describeCall( c: PlannedCall ): string {
	switch ( c.kind ) {
		case 'stocks':
		case 'offers':
			return `${ c.kind }:${ c.rows.length }`;
		case 'lookup':
			return `lookup:${ c.skus.length }`;
		case 'import':
			return `import:${ c.products.length }`;
		case 'createParent':
			return `createParent:${ c.skus.length }`;
		case 'createOffers':
			return `createOffers@${ c.productId }:${ c.offers.length }`;
		case 'updateProduct':
			return `updateProduct@${ c.productId }`;
		case 'categories':
			return `categories:${ c.paths.length }`;
	}
}

const many = ( n: number, f: ( i: number ) => ClaimedItem ) =>
	Array.from( { length: n }, ( _, i ) => f( i ) );
const synced = ( item: ClaimedItem, id = 1 ) =>
	asSynced( item, S, { offerId: id, productId: id } );
const emptyCensus: Array< [ string, OfferIds ] > = [];

const cases: Case[] = [
	{
		name: 'nothing changed: no request',
		items: [
			synced( makeItem( 'A' ) ),
			synced( makeItem( 'B', { stock_quantity: 0 } ) ),
		],
		calls: [],
		done: [ 'A', 'B' ],
	},
	{
		name: 'stock changes of known SKUs: one PUT /offers/stocks',
		items: [
			{ ...synced( makeItem( 'A' ) ), stock_quantity: 3 },
			{ ...synced( makeItem( 'B' ) ), stock_quantity: 9 },
			synced( makeItem( 'C' ) ),
		],
		calls: [ 'stocks:2' ],
		done: [ 'C' ],
		check: ( p ) =>
			expect( p.calls[ 0 ] ).toEqual( {
				kind: 'stocks',
				warehouseId: 1,
				rows: [
					{ sku: 'A', quantity: 3, urgent: true },
					{ sku: 'B', quantity: 9, urgent: true },
				],
			} ),
	},
	{
		name: '25,000 stock changes: three requests of ≤10,000',
		items: many( 25_000, ( i ) => ( {
			...synced( makeItem( `S${ i }` ) ),
			stock_quantity: 7,
		} ) ),
		calls: [ 'stocks:10000', 'stocks:10000', 'stocks:5000' ],
	},
	{
		name: 'price changes: one PUT /offers keyed by sku, nothing else',
		items: [
			{ ...synced( makeItem( 'A' ) ), price: 12.5 },
			{ ...synced( makeItem( 'B' ) ), purchased_price: 4 },
		],
		calls: [ 'offers:2' ],
		check: ( p ) =>
			expect( p.calls[ 0 ] ).toEqual( {
				kind: 'offers',
				rows: [
					{ sku: 'A', price: 12.5 },
					{ sku: 'B', price: 10, purchased_price: 4 },
				],
				// The records whose hashes are recorded once keyCRM accepts the rows.
				[ ESTABLISHES ]: new Map( [
					[ 'A', offerRecord( { price: 12.5 } ) ],
					[ 'B', offerRecord( { price: 10, purchased_price: 4 } ) ],
				] ),
			} ),
	},
	{
		name: 'price changes with price sync off: nothing to send',
		settings: makeSettings( { sync_prices: false } ),
		items: [
			asSynced(
				{ ...makeItem( 'A' ), price: 99 },
				makeSettings( { sync_prices: false } )
			),
		],
		calls: [],
		done: [ 'A' ],
	},
	{
		name: 'new simple products, keyCRM known empty: imports of 100, no stock yet',
		census: emptyCensus,
		items: many( 250, ( i ) => makeItem( `N${ i }` ) ),
		calls: [ 'import:100', 'import:100', 'import:50' ],
		check: ( p ) =>
			expect( p.calls[ 0 ] ).toMatchObject( {
				products: expect.arrayContaining( [
					{
						name: 'Product N0',
						sku: 'N0',
						currency_code: 'UAH',
						price: 10,
						pictures: [],
					},
				] ),
			} ),
	},
	{
		name: 'SKUs nobody knows and no census: look them up, 50 per request',
		items: many( 120, ( i ) => makeItem( `U${ i }` ) ),
		calls: [ 'lookup:50', 'lookup:50', 'lookup:20' ],
	},
	{
		name: 'created in this run: stock follows (not urgent), offer data not resent',
		items: [ makeItem( 'A' ) ],
		skus: {
			A: {
				exists: 'yes',
				created: true,
				pushedStock: null,
				productId: 7,
			},
		},
		calls: [ 'stocks:1', 'offers:1', 'updateProduct@7' ],
		check: ( p ) =>
			expect( p.calls[ 0 ] ).toMatchObject( {
				rows: [ { sku: 'A', quantity: 5, urgent: false } ],
			} ),
	},
	{
		name: 'created by import in this run: only its stock is left',
		items: [ makeItem( 'A' ) ],
		skus: {
			A: {
				exists: 'yes',
				created: true,
				offerHash: offerHash( makeItem( 'A' ), S ),
				productHash: productHash( makeItem( 'A' ), S ),
			},
		},
		calls: [ 'stocks:1' ],
	},
	{
		name: 'found by lookup: push stock and data, update product with the id learned',
		items: [ makeItem( 'A', { name: 'Renamed' } ) ],
		skus: { A: { exists: 'yes', offerId: 5, productId: 6 } },
		calls: [ 'stocks:1', 'offers:1', 'updateProduct@6' ],
	},
	{
		name: 'name changed, product id unknown: stock goes now, the id is looked up lazily',
		items: [
			{
				...synced( makeItem( 'A' ) ),
				keycrm_product_id: null,
				name: 'New name',
				stock_quantity: 1,
			},
		],
		calls: [ 'stocks:1', 'lookup:1' ],
	},
	{
		name: 'name changed, product id known: one PUT /products/{id}',
		items: [ { ...synced( makeItem( 'A' ), 42 ), name: 'New name' } ],
		calls: [ 'updateProduct@42' ],
		check: ( p ) =>
			expect( p.calls[ 0 ] ).toEqual( {
				kind: 'updateProduct',
				productId: 42,
				sku: 'A',
				body: { name: 'New name', description: '', pictures: [] },
				[ ESTABLISHES ]: new Map( [
					[
						'A',
						productRecord( {
							name: 'New name',
							description: '',
							pictures: [],
						} ),
					],
				] ),
			} ),
	},
	{
		name: 'new variable product: one POST /products for its three variations',
		census: emptyCensus,
		items: [
			makeVariation( 'S', 7 ),
			makeVariation( 'M', 7 ),
			makeVariation( 'L', 7 ),
		],
		calls: [ 'createParent:3' ],
		check: ( p ) =>
			expect( p.calls[ 0 ] ).toMatchObject( {
				parentId: 7,
				body: { name: 'Shirt 7', currency_code: 'UAH' },
			} ),
	},
	{
		name: 'published only (the default setting): drafts, pending and private products are not created',
		census: emptyCensus,
		settings: makeSettings( { sync_statuses: [ 'publish' ] } ),
		items: [
			makeItem( 'PUB' ),
			makeItem( 'DRAFT', { status: 'draft' } ),
			makeItem( 'PEND', { status: 'pending' } ),
			makeItem( 'PRIV', { status: 'private' } ),
			makeVariation( 'VDRAFT', 7, { parent_status: 'draft' } ),
			makeVariation( 'VOFF', 7, { status: 'private' } ),
		],
		calls: [ 'import:1' ],
		notSent: [ 'DRAFT', 'PEND', 'PRIV', 'VDRAFT', 'VOFF' ],
		check: ( p ) =>
			expect( p.notSent[ 0 ] ).toEqual( {
				sku: 'DRAFT',
				code: 'not_sent',
				message:
					'Not sent: its status is "draft" (Settings: product statuses created in keyCRM).',
			} ),
	},
	{
		name: 'a draft keyCRM already holds is still kept up to date',
		settings: makeSettings( { sync_statuses: [ 'publish' ] } ),
		items: [
			{
				...asSynced(
					makeItem( 'D', { status: 'draft' } ),
					makeSettings( { sync_statuses: [ 'publish' ] } )
				),
				stock_quantity: 2,
			},
		],
		calls: [ 'stocks:1' ],
	},
	{
		name: 'external products are created only when the setting allows it',
		census: emptyCensus,
		settings: makeSettings( { create_external: false } ),
		items: [ makeItem( 'EXT', { type: 'external' } ), makeItem( 'SIM' ) ],
		calls: [ 'import:1' ],
		notSent: [ 'EXT' ],
	},

	{
		name: 'barcode (GTIN) on creation: simple products and variations',
		census: emptyCensus,
		parents: [ [ 7, 70 ] ],
		items: [
			makeItem( 'B1', { barcode: '4820000000011' } ),
			makeVariation( 'BV', 7, { barcode: '4820000000028' } ),
			makeItem( 'B0' ),
		],
		calls: [ 'import:2', 'createOffers@70:1' ],
		check: ( p ) => {
			expect( p.calls[ 0 ] ).toMatchObject( {
				products: [
					{ sku: 'B1', barcode: '4820000000011' },
					{ sku: 'B0' },
				],
			} );
			expect(
				( p.calls[ 0 ] as { products: object[] } ).products[ 1 ]
			).not.toHaveProperty( 'barcode' );
			expect( p.calls[ 1 ] ).toMatchObject( {
				offers: [ { sku: 'BV', barcode: '4820000000028' } ],
			} );
		},
	},
	{
		name: 'a changed barcode of a simple product: PUT /products/{id}',
		items: [
			{
				...synced( makeItem( 'B2', { barcode: '111' } ), 42 ),
				barcode: '222',
			},
		],
		calls: [ 'updateProduct@42' ],
		check: ( p ) =>
			expect( p.calls[ 0 ] ).toMatchObject( {
				body: { barcode: '222' },
			} ),
	},
	{
		name: 'variations of a parent without a SKU: one keyCRM product with the parent name and gallery',
		census: emptyCensus,
		items: [ 'S', 'M' ].map( ( sku ) =>
			makeVariation( sku, 9, {
				parent_sku: '',
				parent_name: 'Dress',
				pictures: [ 'https://shop.example/dress.jpg' ],
			} )
		),
		calls: [ 'createParent:2' ],
		check: ( p ) =>
			expect( p.calls[ 0 ] ).toEqual( {
				kind: 'createParent',
				parentId: 9,
				parentSku: '',
				skus: [ 'S', 'M' ],
				body: {
					name: 'Dress',
					currency_code: 'UAH',
					pictures: [ 'https://shop.example/dress.jpg' ],
				},
			} ),
	},
	{
		name: 'variations of a known parent: offers in chunks of 100 per product',
		census: emptyCensus,
		parents: [ [ 7, 70 ] ],
		items: many( 150, ( i ) => makeVariation( `V${ i }`, 7 ) ),
		calls: [ 'createOffers@70:100', 'createOffers@70:50' ],
	},
	{
		name: 'a new variation finds its parent through a synced sibling',
		census: emptyCensus,
		items: [
			synced( makeVariation( 'S', 8 ), 80 ),
			makeVariation( 'XL', 8 ),
		],
		calls: [ 'createOffers@80:1' ],
		done: [ 'S' ],
		check: ( p ) =>
			expect( p.calls[ 0 ] ).toMatchObject( {
				offers: [
					{
						sku: 'XL',
						price: 10,
						properties: [ { name: 'Size', value: 'XL' } ],
					},
				],
			} ),
	},
	{
		name: 'a new variation finds its parent through parent_keycrm_product_id',
		census: emptyCensus,
		items: [ makeVariation( 'XL', 9, { parent_keycrm_product_id: 90 } ) ],
		calls: [ 'createOffers@90:1' ],
	},
	{
		name: 'retired SKU keyCRM holds: stock 0; retired unknown SKU: nothing',
		items: [
			{ ...synced( makeItem( 'OLD' ) ), retired: true },
			makeItem( 'NEVER', { retired: true } ),
		],
		calls: [ 'stocks:1' ],
		done: [ 'NEVER' ],
		check: ( p ) =>
			expect( p.calls[ 0 ] ).toMatchObject( {
				rows: [ { sku: 'OLD', quantity: 0 } ],
			} ),
	},
	{
		name: 'retired SKU whose create may have landed (lease ran out): look it up before deciding',
		census: emptyCensus,
		items: [ makeItem( 'GONE', { retired: true, reclaimed: true } ) ],
		calls: [ 'lookup:1' ],
	},
	{
		name: 'reclaimed SKU: the census cannot vouch for it, look it up instead of creating',
		census: emptyCensus,
		items: [ makeItem( 'R', { reclaimed: true } ) ],
		calls: [ 'lookup:1' ],
	},
	{
		name: 'reclaimed retired SKU: its pushed_stock 0 cannot vouch for keyCRM (a killed sender may have pushed later), zero it',
		items: [
			{
				...synced( makeItem( 'KILLED', { stock_quantity: 0 } ) ),
				retired: true,
				reclaimed: true,
			},
		],
		calls: [ 'stocks:1' ],
		check: ( p ) =>
			expect( p.calls[ 0 ] ).toMatchObject( {
				rows: [ { sku: 'KILLED', quantity: 0 } ],
			} ),
	},
	{
		name: 'retired SKU retried after a failure (500 after keyCRM did the work): zero it even when pushed_stock is 0',
		items: [
			{
				...synced( makeItem( 'RETRIED', { stock_quantity: 0 } ) ),
				retired: true,
				attempts: 1,
			},
		],
		calls: [ 'stocks:1' ],
	},
	{
		name: 'a SKU reclaimed or retried sends its values again, even those the outbox says keyCRM holds',
		items: [
			{
				...synced( makeItem( 'A', { stock_quantity: 4 } ) ),
				reclaimed: true,
			},
			{
				...synced( makeItem( 'B', { stock_quantity: 4 } ) ),
				attempts: 2,
			},
			synced( makeItem( 'C', { stock_quantity: 4 } ) ),
		],
		calls: [ 'stocks:2', 'offers:2', 'updateProduct@1', 'updateProduct@1' ],
		done: [ 'C' ],
	},
	{
		name: 'retired SKU whose last attempt failed (its ack cleared reclaimed): look it up before deciding',
		census: emptyCensus,
		items: [ makeItem( 'LOST', { retired: true, attempts: 1 } ) ],
		calls: [ 'lookup:1' ],
	},
	{
		name: 'retire policy none: nothing',
		settings: makeSettings( { retire_policy: 'none' } ),
		items: [
			{
				...asSynced(
					makeItem( 'OLD' ),
					makeSettings( { retire_policy: 'none' } )
				),
				retired: true,
			},
		],
		calls: [],
		done: [ 'OLD' ],
	},
	{
		name: 'stock not managed: out of stock → 0, in stock → left alone by default',
		items: [
			{
				...synced( makeItem( 'OUT' ) ),
				manage_stock: false,
				stock_status: 'outofstock',
			},
			{
				...synced( makeItem( 'IN' ) ),
				manage_stock: false,
				stock_quantity: null,
				stock_status: 'instock',
			},
		],
		calls: [ 'stocks:1' ],
		done: [ 'IN' ],
		check: ( p ) =>
			expect( p.calls[ 0 ] ).toMatchObject( {
				rows: [ { sku: 'OUT', quantity: 0 } ],
			} ),
	},
	{
		name: 'stock not managed with untrackedStock 100: in stock → 100',
		options: { untrackedStock: 100 },
		items: [
			{
				...synced( makeItem( 'IN' ) ),
				manage_stock: false,
				stock_status: 'instock',
			},
		],
		calls: [ 'stocks:1' ],
	},
	{
		name: 'stock not managed with the setting untracked_stock 7: in stock and on backorder → 7',
		settings: makeSettings( { untracked_stock: 7 } ),
		items: [ 'instock', 'onbackorder' ].map( ( status ) => ( {
			...synced( makeItem( status ) ),
			manage_stock: false,
			stock_quantity: null,
			stock_status: status,
		} ) ),
		calls: [ 'stocks:2' ],
		check: ( p ) =>
			expect( p.calls[ 0 ] ).toMatchObject( {
				rows: [ { quantity: 7 }, { quantity: 7 } ],
			} ),
	},
	{
		name: 'the sender flag --untracked-stock overrides the setting',
		settings: makeSettings( { untracked_stock: 7 } ),
		options: { untrackedStock: 100 },
		items: [
			{
				...synced( makeItem( 'IN' ) ),
				manage_stock: false,
				stock_status: 'instock',
			},
		],
		calls: [ 'stocks:1' ],
		check: ( p ) =>
			expect( p.calls[ 0 ] ).toMatchObject( {
				rows: [ { quantity: 100 } ],
			} ),
	},
	{
		name: 'negative stock (backorders) is sent as 0',
		items: [ { ...synced( makeItem( 'B' ) ), stock_quantity: -3 } ],
		calls: [ 'stocks:1' ],
		check: ( p ) =>
			expect( p.calls[ 0 ] ).toMatchObject( {
				rows: [ { quantity: 0 } ],
			} ),
	},
	{
		name: 'keyCRM owns stock: no stock pushed',
		settings: makeSettings( { stock_source: 'keycrm' } ),
		items: [
			{
				...asSynced(
					makeItem( 'A' ),
					makeSettings( { stock_source: 'keycrm' } )
				),
				stock_quantity: 1,
			},
		],
		calls: [],
		done: [ 'A' ],
	},
	{
		name: 'no warehouse: stock changes blocked with a reason, others still go',
		settings: makeSettings( { warehouse_id: null } ),
		items: [
			{ ...synced( makeItem( 'A' ) ), stock_quantity: 1 },
			{ ...synced( makeItem( 'B' ) ), price: 1 },
		],
		calls: [ 'offers:1' ],
		blocked: [ 'A' ],
	},
	{
		name: 'creation off: unknown SKU blocked',
		settings: makeSettings( { create_products: false } ),
		census: emptyCensus,
		items: [ makeItem( 'A' ) ],
		calls: [],
		blocked: [ 'A' ],
	},
	{
		name: 'census says present: update, not create',
		census: [ [ 'A', { offerId: 3, productId: 4 } ] ],
		items: [ makeItem( 'A' ) ],
		calls: [ 'stocks:1', 'offers:1', 'updateProduct@4' ],
	},
	{
		name: 'units converted to the keyCRM account: lbs → kg, in → cm',
		items: [
			{
				...synced( makeItem( 'A' ) ),
				weight: 2,
				weight_unit: 'lbs',
				length: 10,
				dimension_unit: 'in',
			},
		],
		calls: [ 'offers:1' ],
		check: ( p ) =>
			expect( p.calls[ 0 ] ).toEqual( {
				kind: 'offers',
				rows: [ { sku: 'A', price: 10, weight: 0.9072, length: 25.4 } ],
				[ ESTABLISHES ]: new Map( [
					[
						'A',
						offerRecord( {
							price: 10,
							weight: 0.9072,
							length: 25.4,
						} ),
					],
				] ),
			} ),
	},
	{
		name: 'an unknown unit blocks only that SKU',
		items: [
			{ ...synced( makeItem( 'A' ) ), weight: 2, weight_unit: 'stone' },
			{ ...synced( makeItem( 'B' ) ), stock_quantity: 2 },
		],
		calls: [ 'stocks:1' ],
		blocked: [ 'A' ],
	},
	{
		name: 'everything at once, in order: stock, offers, lookups, imports, variations of known products, new parents, product updates',
		census: null,
		parents: [ [ 5, 50 ] ],
		items: [
			{ ...synced( makeItem( 'STOCK' ) ), stock_quantity: 1 },
			{ ...synced( makeItem( 'PRICE' ) ), price: 1 },
			makeItem( 'UNKNOWN' ),
			makeItem( 'NEW' ),
			makeVariation( 'NV', 6 ),
			makeVariation( 'KV', 5 ),
			{ ...synced( makeItem( 'NAME' ), 77 ), name: 'x' },
		],
		skus: {
			NEW: { exists: 'no' },
			NV: { exists: 'no' },
			KV: { exists: 'no' },
		},
		calls: [
			'stocks:1',
			'offers:1',
			'lookup:1',
			'import:1',
			'createOffers@50:1',
			'createParent:1',
			'updateProduct@77',
		],
	},
	{
		name: 'grouped products have no keyCRM counterpart: acknowledged with the reason',
		items: [ makeItem( 'G', { type: 'grouped' } ) ],
		calls: [],
		done: [],
		notSent: [ 'G' ],
	},
];

describe( 'plan', () => {
	it.each( cases )( '$name', ( c ) => {
		const knowledge: Knowledge = {
			skus: new Map( Object.entries( c.skus ?? {} ) ),
			parents: new Map( c.parents ?? [] ),
			census: c.census ? new Map( c.census ) : null,
		};
		const p = plan( {
			items: c.items,
			settings: c.settings ?? S,
			options: c.options ?? DEFAULT_DESIRED_OPTIONS,
			knowledge,
		} );
		expect( p.calls.map( describeCall ) ).toEqual( c.calls );
		expect( c.done === undefined ? undefined : p.done ).toEqual( c.done );
		expect( p.blocked.map( ( b ) => b.sku ) ).toEqual( c.blocked ?? [] );
		expect( p.notSent.map( ( b ) => b.sku ) ).toEqual( c.notSent ?? [] );
		c.check?.( p );
	} );

	it( 'explains blocked SKUs in plain words', () => {
		const p = plan( {
			items: [ { ...synced( makeItem( 'A' ) ), stock_quantity: 1 } ],
			settings: makeSettings( { warehouse_id: null } ),
			options: DEFAULT_DESIRED_OPTIONS,
			knowledge: { skus: new Map(), parents: new Map(), census: null },
		} );
		expect( p.blocked ).toEqual( [
			{
				sku: 'A',
				code: 'warehouse_not_set',
				message: 'No keyCRM warehouse is set, so stock cannot be sent.',
			},
		] );
	} );
} );
