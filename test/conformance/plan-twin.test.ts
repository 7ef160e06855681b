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

import type {
	ClaimedItem,
	SenderSettings,
} from '../../src/contract/plugin-rest';
import {
	DEFAULT_DESIRED_OPTIONS,
	desiredStock,
	offerHash,
	productHash,
} from '../../src/sender/desired';
import { plan } from '../../src/sender/plan';
import type { Knowledge, OfferIds, SkuState } from '../../src/sender/state';
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

describe( 'the planner inside WordPress agrees with the Node sender', () => {
	it.each( table )( '$name', ( sc ) => {
		const knowledge: Knowledge = {
			skus: new Map( Object.entries( sc.skus ?? {} ) ),
			parents: new Map( sc.parents ?? [] ),
			census: sc.census ? new Map( sc.census ) : null,
		};
		const node = plan( {
			items: sc.items,
			settings: sc.settings,
			options: DEFAULT_DESIRED_OPTIONS,
			knowledge,
		} );
		const twin = php( {
			items: sc.items,
			settings: sc.settings,
			knowledge: {
				skus: sc.skus ?? {},
				parents: sc.parents ?? [],
				...( sc.census ? { census: sc.census } : {} ),
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
