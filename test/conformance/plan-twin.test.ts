/** @jest-environment node */
/**
 * One behaviour, two runners: the planner inside WordPress (plugin/includes/Runner/Planner.php,
 * Desired.php) must plan exactly what the Node sender's planner (src/sender/plan.ts, desired.ts)
 * plans for the same SKUs in hand, and compute the same desired stock and payload hashes, so
 * either runner trusts what the other recorded in the outbox. Each scenario runs through both;
 * the PHP side runs in the PHP CLI (test/conformance/plan-twin.php, no WordPress needed).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

import type { ClaimedItem, SenderSettings } from '@keycrm-sync/contract';
import {
	DEFAULT_DESIRED_OPTIONS,
	desiredStock,
	offerHash,
	productHash,
} from '../../src/sender/desired';
import { plan } from '../../src/sender/plan';
import { categoryPathKey } from '../../src/sender/plan-categories';
import type { OfferIds, SkuState } from '../../src/sender/state';
import { UnknownUnitError } from '../../src/sender/units';
import {
	asSynced,
	makeItem,
	makeSettings,
	makeVariation,
} from '../helpers/fake-shop-items';

const SCRIPT = join( __dirname, 'plan-twin.php' );

interface Scenario {
	name: string;
	items: ClaimedItem[];
	settings?: SenderSettings;
	skus?: Record< string, SkuState >;
	parents?: Array< [ number, number ] >;
	census?: Array< [ string, OfferIds ] > | null;
	/** Category paths (level names) whose keyCRM id this run learnt. */
	categories?: Array< [ string[], number ] >;
}

const S = makeSettings();
const many = ( n: number, f: ( i: number ) => ClaimedItem ) =>
	Array.from( { length: n }, ( _, i ) => f( i ) );
const rich = ( sku: string, over: Partial< ClaimedItem > = {} ) =>
	makeItem( sku, {
		name: '  Сорочка “Лляна” / 100% ',
		description: 'Опис <b>жирний</b>\nрядок 2 \u2028 \\ "лапки"',
		price: 1234.5,
		regular_price: 1500,
		sale_price: 1234.5,
		purchased_price: 700.25,
		weight: 350,
		weight_unit: 'g',
		length: 12.7,
		width: 0.333333,
		height: 0,
		dimension_unit: 'in',
		image_url: 'https://shop.example/a.jpg',
		pictures: [
			'https://shop.example/a.jpg',
			'ftp://nope/b.jpg',
			'http://shop.example/c.png',
			'https://shop.example/d.png',
			'https://shop.example/e.png',
			'https://shop.example/f.png',
			'https://shop.example/g.png',
			'https://shop.example/h.png',
		],
		...over,
	} );

/**
 * A category path, root first.
 *
 * @param levels [term id, name, remembered keyCRM id] per level.
 */
const catPath = ( ...levels: Array< [ number, string, number | null ] > ) =>
	levels.map( ( [ termId, name, keycrmId ] ) => ( {
		term_id: termId,
		name,
		keycrm_id: keycrmId,
	} ) );
const SHIRTS = catPath( [ 11, 'Одяг', 101 ], [ 12, 'Футболки', null ] );
const SHOES = catPath( [ 13, 'Взуття', 103 ] );
const BAGS = catPath( [ 14, 'Сумки & рюкзаки', 104 ], [ 15, 'Шкіра', 105 ] );

const scenarios: Scenario[] = [
	{
		name: 'new SKUs, nothing known: lookups, a variable product created',
		items: [
			makeItem( 'A' ),
			rich( 'B' ),
			{ ...makeItem( 'P7' ), type: 'variable', product_id: 7 },
			makeVariation( 'S', 7 ),
			makeVariation( 'M', 7, {
				image_url: 'https://shop.example/m.jpg',
			} ),
		],
	},
	{
		name: 'new SKUs after an empty census: imports in hundreds, parents, no lookups',
		items: [
			...many( 130, ( i ) => makeItem( `N${ i }`, { price: i + 0.1 } ) ),
			makeVariation( 'S', 7 ),
			makeVariation( 'L', 8 ),
			rich( 'R' ),
		],
		census: [],
	},
	{
		name: 'variations of a known product: one create per product',
		items: many( 120, ( i ) => makeVariation( `V${ i }`, 9 ) ),
		census: [],
		parents: [ [ 9, 900 ] ],
	},
	{
		name: 'known SKUs with changed stock, prices and product data',
		items: [
			{ ...asSynced( makeItem( 'A' ), S ), stock_quantity: 3 },
			{ ...asSynced( rich( 'B' ), S ), price: 99 },
			{ ...asSynced( makeItem( 'C' ), S ), name: 'Renamed' },
			{ ...asSynced( makeItem( 'D' ), S ), stock_quantity: -4 },
			{
				...asSynced( makeItem( 'E' ), S ),
				manage_stock: false,
				stock_quantity: null,
				stock_status: 'outofstock',
			},
			asSynced( makeItem( 'F' ), S ),
			{
				...asSynced( makeItem( 'G' ), S, {
					offerId: 5,
					productId: 6,
				} ),
				keycrm_product_id: null,
				description: 'new text',
			},
		],
	},
	{
		name: 'doubt: reclaimed and failed rows are looked up and their values sent again',
		items: [
			{ ...asSynced( makeItem( 'A' ), S ), reclaimed: true },
			{ ...makeItem( 'B' ), attempts: 2 },
			{ ...makeItem( 'C' ), retired: true, attempts: 1 },
			{ ...asSynced( makeItem( 'D' ), S ), retired: true },
			{ ...makeItem( 'E' ), retired: true },
		],
		census: [ [ 'B', { offerId: 2, productId: 2 } ] ],
	},
	{
		name: 'blocked SKUs: bad unit, unusable SKU, no parent',
		items: [
			makeItem( 'U', { weight: 1, weight_unit: 'stone' } ),
			makeItem( 'a,b' ),
			makeItem( ' pad' ),
			makeVariation( 'O', 4, { parent_id: null } ),
			makeItem( 'OK' ),
		],
		census: [],
	},
	{
		name: 'this run already pushed, created and looked up',
		items: [
			makeItem( 'A', { stock_quantity: 8 } ),
			makeItem( 'B' ),
			makeVariation( 'C', 3 ),
			makeItem( 'D' ),
		],
		skus: {
			A: { exists: 'yes', created: true },
			B: { exists: 'yes', pushedStock: 5 },
			C: { exists: 'no' },
			D: { exists: 'unknown' },
		},
	},
	{
		name: 'a variable product without a SKU: one keyCRM product for its variations',
		items: [
			makeVariation( 'NS-S', 21, {
				parent_sku: '',
				parent_name: 'Сукня без артикула',
				pictures: [
					'https://shop.example/p1.jpg',
					'ftp://nope/p2.jpg',
					...Array.from(
						{ length: 7 },
						( _, i ) => `https://shop.example/g${ i }.jpg`
					),
				],
				barcode: '4820000000035',
			} ),
			makeVariation( 'NS-M', 21, {
				parent_sku: '',
				parent_name: 'Сукня без артикула',
			} ),
			makeVariation( 'NS-X', 22, {
				parent_sku: '',
				name: '',
				pictures: [ 'https://shop.example/x.jpg' ],
			} ),
			makeVariation( 'NS-K', 23, {
				parent_sku: '',
				parent_keycrm_product_id: 2300,
			} ),
			makeVariation( 'NS-L', 24, {
				parent_sku: '',
				name: 'Кофта - NS-L',
			} ),
		],
		census: [],
	},
	{
		name: 'kept out by the settings: grouped, drafts, a draft parent, external products',
		items: [
			makeItem( 'GR', { type: 'grouped' } ),
			makeItem( 'GR-OLD', { type: 'grouped', retired: true } ),
			makeItem( 'DRAFT', { status: 'draft' } ),
			makeItem( 'PRIV', { status: 'private' } ),
			makeVariation( 'DV', 31, { parent_status: 'draft' } ),
			makeVariation( 'PV', 32, { parent_status: 'publish' } ),
			makeItem( 'EXT', { type: 'external' } ),
			{
				...asSynced(
					makeItem( 'DRAFT-KNOWN', { status: 'draft' } ),
					S
				),
				stock_quantity: 1,
			},
			{
				...asSynced( makeItem( 'EXT-KNOWN', { type: 'external' } ), S ),
				price: 11,
			},
			{
				...makeItem( 'VAR-DRAFT', { status: 'draft' } ),
				type: 'variable',
				product_id: 33,
			},
		],
		census: [],
	},
	{
		name: 'barcodes: on creation, and a simple product’s change',
		items: [
			makeItem( 'B1', { barcode: '4820000000011' } ),
			makeVariation( 'BV', 7, { barcode: '4820000000028' } ),
			makeVariation( 'BZ', 7, { barcode: '0' } ),
			makeItem( 'B-EMPTY', { barcode: '' } ),
			{
				...asSynced( makeItem( 'B2', { barcode: '111' } ), S ),
				barcode: '222',
			},
			{ ...asSynced( makeItem( 'B3' ), S ), barcode: '333' },
			asSynced( makeItem( 'B4', { barcode: '444' } ), S ),
			{
				...asSynced( makeVariation( 'BV2', 8, { barcode: '555' } ), S ),
				barcode: '556',
			},
			{
				...makeItem( 'P9', { barcode: '999' } ),
				type: 'variable',
				product_id: 9,
			},
		],
		census: [],
		parents: [
			[ 7, 700 ],
			[ 8, 800 ],
		],
	},
	{
		name: 'stock not managed: in stock, on backorder, out of stock',
		items: [
			{
				...asSynced( makeItem( 'IN' ), S ),
				manage_stock: false,
				stock_quantity: null,
				stock_status: 'instock',
			},
			{
				...asSynced( makeItem( 'BACK' ), S ),
				manage_stock: false,
				stock_quantity: null,
				stock_status: 'onbackorder',
			},
			{
				...asSynced( makeItem( 'OUT' ), S ),
				manage_stock: false,
				stock_quantity: 3,
				stock_status: 'outofstock',
			},
			{
				...asSynced( makeVariation( 'SHARED', 5 ), S ),
				stock_quantity: 9,
			},
			makeItem( 'NEW-IN', {
				manage_stock: false,
				stock_quantity: null,
			} ),
		],
	},
	{
		name: 'categories: remembered, learnt, unknown (held back for one categories call), renamed',
		items: [
			makeItem( 'C-KNOWN', { category_path: SHOES } ),
			makeItem( 'C-NEW', { category_path: SHIRTS } ),
			makeItem( 'C-NEW2', { category_path: SHIRTS } ),
			makeItem( 'C-LEARNT', {
				category_path: catPath( [ 16, 'Знижки', null ] ),
			} ),
			makeItem( 'C-NONE', { category_path: null } ),
			makeItem( 'C-BAG', { category_path: BAGS } ),
			{
				...makeItem( 'CP', { category_path: SHIRTS } ),
				type: 'variable',
				product_id: 41,
			},
			makeVariation( 'CP-S', 41, { category_path: SHIRTS } ),
			makeVariation( 'CNS-S', 42, {
				parent_sku: '',
				category_path: SHOES,
			} ),
			makeVariation( 'CNS2-S', 43, {
				parent_sku: '',
				category_path: catPath( [ 17, 'Нове', null ] ),
			} ),
			{
				...asSynced(
					makeItem( 'C-MOVED', { category_path: SHOES } ),
					S
				),
				category_path: BAGS,
			},
			{
				...asSynced(
					makeItem( 'C-RENAMED', { category_path: SHOES } ),
					S
				),
				category_path: catPath( [ 13, 'Черевики', null ] ),
			},
			asSynced( makeItem( 'C-SAME', { category_path: SHOES } ), S ),
			{
				...asSynced(
					makeVariation( 'CV-OLD', 44, { category_path: SHOES } ),
					S
				),
				category_path: BAGS,
			},
		],
		census: [],
		categories: [ [ [ 'Знижки' ], 116 ] ],
	},
	{
		name: 'categories learnt in this run: creations and updates carry their ids',
		items: [
			makeItem( 'C-NEW', { category_path: SHIRTS } ),
			{
				...asSynced(
					makeItem( 'C-RENAMED', { category_path: SHOES } ),
					S
				),
				category_path: catPath( [ 13, 'Черевики', null ] ),
			},
			makeVariation( 'CNS2-S', 43, {
				parent_sku: '',
				category_path: catPath( [ 17, 'Нове', null ] ),
			} ),
		],
		census: [],
		categories: [
			[ [ 'Одяг', 'Футболки' ], 112 ],
			[ [ 'Черевики' ], 113 ],
			[ [ 'Нове' ], 117 ],
		],
	},
	{
		name: 'a SKU-less parent changed later: one product update for its variations in hand',
		items: [
			{
				...asSynced(
					makeVariation( 'SL-S', 51, {
						parent_sku: '',
						parent_name: 'Сукня',
						parent_description: 'Стара',
					} ),
					S,
					{ offerId: 11, productId: 5100 }
				),
				parent_name: 'Сукня нова',
				parent_description: 'Нова <b>опис</b>',
				pictures: [ 'https://shop.example/n1.jpg' ],
			},
			{
				...asSynced(
					makeVariation( 'SL-M', 51, {
						parent_sku: '',
						parent_name: 'Сукня',
						parent_description: 'Стара',
					} ),
					S,
					{ offerId: 12, productId: 5100 }
				),
				parent_name: 'Сукня нова',
				parent_description: 'Нова <b>опис</b>',
				pictures: [ 'https://shop.example/n1.jpg' ],
			},
			{
				...asSynced(
					makeVariation( 'SL-C', 52, {
						parent_sku: '',
						category_path: SHOES,
					} ),
					S,
					{ offerId: 13, productId: 5200 }
				),
				category_path: BAGS,
			},
			asSynced( makeVariation( 'SL-SAME', 53, { parent_sku: '' } ), S, {
				offerId: 14,
				productId: 5300,
			} ),
			{
				...asSynced(
					makeVariation( 'SL-NOID', 54, { parent_sku: '' } ),
					S,
					{ offerId: 15, productId: 5400 }
				),
				keycrm_product_id: null,
				parent_name: 'Інша назва',
			},
			{
				...asSynced( makeVariation( 'WITH-SKU', 55 ), S ),
				parent_name: 'Renamed parent with a SKU',
			},
		],
	},
	{
		name: 'the one SKU rule: Unicode edge spaces, length in characters',
		items: [
			makeItem( '\u00a0NBSP' ),
			makeItem( 'ZW\u200b' ),
			makeItem( '\ufeffBOM' ),
			makeItem( 'Я'.repeat( 255 ) ),
			makeItem( 'Я'.repeat( 256 ) ),
			makeItem( '😀'.repeat( 255 ) ),
			makeItem( 'x'.repeat( 256 ) ),
			makeItem( 'mid\u00a0dle' ),
		],
		census: [],
	},
];

const settingsVariants: Array< [ string, SenderSettings ] > = [
	[ 'default settings', S ],
	[
		'prices and data off, keyCRM owns stock, no retirement zeroing',
		makeSettings( {
			sync_prices: false,
			sync_product_data: false,
			stock_source: 'keycrm',
			retire_policy: 'none',
		} ),
	],
	[
		'no warehouse, no creating, other units',
		makeSettings( {
			warehouse_id: null,
			create_products: false,
			keycrm_weight_unit: 'g',
			keycrm_dimension_unit: 'mm',
			currency_code: '',
		} ),
	],
	[
		'published only, no external products, untracked stock 7',
		makeSettings( {
			sync_statuses: [ 'publish' ],
			create_external: false,
			untracked_stock: 7,
		} ),
	],
	[
		'every status, untracked stock 0',
		makeSettings( {
			sync_statuses: [
				'publish',
				'private',
				'draft',
				'pending',
				'future',
			],
			create_external: true,
			untracked_stock: 0,
		} ),
	],
];

/**
 * The PHP twin's answer.
 *
 * @param input Items, settings, knowledge.
 */
function php( input: unknown ): {
	plan: unknown;
	desired: Record< string, unknown >;
} {
	return JSON.parse(
		execFileSync( 'php', [ SCRIPT ], {
			input: JSON.stringify( input ),
			encoding: 'utf8',
		} )
	) as { plan: unknown; desired: Record< string, unknown > };
}

/**
 * Desired values as the Node sender computes them.
 *
 * @param item     Item.
 * @param settings Settings.
 */
function nodeDesired( item: ClaimedItem, settings: SenderSettings ) {
	try {
		return {
			stock: desiredStock( item, settings, DEFAULT_DESIRED_OPTIONS ),
			offerHash: offerHash( item, settings ),
			productHash: productHash( item, settings ),
		};
	} catch ( error ) {
		if ( error instanceof UnknownUnitError ) {
			return { error: 'bad_unit' };
		}
		throw error;
	}
}

const table = scenarios.flatMap( ( sc ) =>
	settingsVariants.map( ( [ label, settings ] ) => ( {
		...sc,
		settings: sc.settings ?? settings,
		name: `${ sc.name } (${ label })`,
	} ) )
);

/**
 * The Node plan of a scenario.
 *
 * @param sc Scenario (settings set).
 */
function nodePlan( sc: Scenario & { settings: SenderSettings } ) {
	return plan( {
		items: sc.items,
		settings: sc.settings,
		options: DEFAULT_DESIRED_OPTIONS,
		knowledge: {
			skus: new Map( Object.entries( sc.skus ?? {} ) ),
			parents: new Map( sc.parents ?? [] ),
			census: sc.census ? new Map( sc.census ) : null,
			categories: new Map(
				( sc.categories ?? [] ).map( ( [ names, id ] ) => [
					categoryPathKey( names ),
					id,
				] )
			),
		},
	} );
}

describe( 'the planner inside WordPress agrees with the Node sender', () => {
	it( 'the scenarios reach every shape the twins must agree on', () => {
		const plans = table.map( nodePlan );
		const calls = plans.flatMap( ( p ) => p.calls );
		const json = JSON.stringify( calls );
		const notSent = plans.flatMap( ( p ) => p.notSent );
		const unusable = plans
			.flatMap( ( p ) => p.blocked )
			.filter( ( b ) => b.code === 'unusable_sku' )
			.map( ( b ) => b.sku );
		// A SKU-less parent created, and one whose recorded id gets new offers.
		expect(
			calls.some(
				( c ) => c.kind === 'createParent' && c.parentSku === ''
			)
		).toBe( true );
		expect(
			calls.some(
				( c ) => c.kind === 'createOffers' && c.productId === 2300
			)
		).toBe( true );
		// Held back by the settings: grouped, a status, a parent's status, external.
		for ( const words of [
			'grouped product',
			'its status is "draft"',
			'variable product\'s status is "draft"',
			'external/affiliate',
		] ) {
			expect( notSent.some( ( n ) => n.message.includes( words ) ) ).toBe(
				true
			);
		}
		// Barcodes on creation (import and offers) and on a simple product's change.
		expect( json ).toContain( '"barcode":"4820000000011"' );
		expect( json ).toContain( '"barcode":"4820000000028"' );
		expect(
			calls.some(
				( c ) =>
					c.kind === 'updateProduct' &&
					c.sku === 'B2' &&
					c.body.barcode === '222'
			)
		).toBe( true );
		// Untracked stock from the setting.
		expect(
			calls.some(
				( c ) =>
					c.kind === 'stocks' &&
					c.rows.some( ( r ) => r.sku === 'BACK' && r.quantity === 7 )
			)
		).toBe( true );
		// The SKU rule: too long in characters, Unicode edge spaces.
		expect( unusable ).toEqual(
			expect.arrayContaining( [
				'\u00a0NBSP',
				'ZW\u200b',
				'\ufeffBOM',
				'Я'.repeat( 256 ),
				'x'.repeat( 256 ),
			] )
		);
		expect( unusable ).not.toContain( '😀'.repeat( 255 ) );
		// A SKU-less parent's later changes: one update for its variations in hand.
		expect(
			calls.some(
				( c ) =>
					c.kind === 'updateProduct' &&
					c.productId === 5100 &&
					c.body.name === 'Сукня нова' &&
					c.also?.join() === 'SL-M'
			)
		).toBe( true );
		// Categories: one call for the unknown paths; ids on creations and updates.
		expect( json ).toContain( '"kind":"categories"' );
		for ( const id of [ 103, 105, 112, 113, 116, 117 ] ) {
			expect( json ).toContain( `"category_id":${ id }` );
		}
	} );

	it.each( table )( '$name', ( sc ) => {
		const node = nodePlan( sc );
		const twin = php( {
			items: sc.items,
			settings: sc.settings,
			knowledge: {
				skus: sc.skus ?? {},
				parents: sc.parents ?? [],
				...( sc.census ? { census: sc.census } : {} ),
				categories: sc.categories ?? [],
			},
		} );
		expect( twin.plan ).toEqual( JSON.parse( JSON.stringify( node ) ) );
		for ( const item of sc.items ) {
			expect( [ item.sku, twin.desired[ item.sku ] ] ).toEqual( [
				item.sku,
				nodeDesired( item, sc.settings ),
			] );
		}
	} );
} );
