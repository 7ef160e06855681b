/**
 * The shared sync scenarios (test/scenarios/*.json): one file = a shop's products, keyCRM's
 * starting state, optional scripted faults → keyCRM's expected end state and request count.
 * Run against the Node sender (test/scenarios/node-sender.test.ts) and the runner inside
 * WordPress (test/php/Runner/ScenarioTest.php); both must meet every file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { z } from 'zod';

import { ScriptedFault } from '../../src/emulator/faults';
import { SeedData } from '../../src/emulator/seed';

const Sku = z.string().regex( /^[A-Za-z0-9-]{1,40}$/ );
const Money = z.number().min( 0 );

/** A simple product as the shop has it (managed stock, published). */
const SimpleProduct = z.strictObject( {
	sku: Sku,
	name: z.string().min( 1 ),
	price: Money,
	stock: z.number().int(),
} );

/** A variable product: its SKU is optional (keyCRM gets one product, the sizes as its offers). */
const VariableProduct = z.strictObject( {
	type: z.literal( 'variable' ),
	sku: Sku.optional(),
	name: z.string().min( 1 ),
	variations: z
		.array(
			z.strictObject( {
				sku: Sku,
				size: z.string().min( 1 ),
				price: Money,
				stock: z.number().int(),
			} )
		)
		.min( 1 ),
} );

export const ShopProduct = z.union( [ SimpleProduct, VariableProduct ] );
export type ShopProduct = z.infer< typeof ShopProduct >;

/** A change made in the shop after the first sync: new price and/or stock of a SKU. */
const Change = z
	.strictObject( {
		sku: Sku,
		price: Money.optional(),
		stock: z.number().int().optional(),
	} )
	.refine( ( c ) => c.price !== undefined || c.stock !== undefined, {
		message: 'a change sets price or stock',
	} );

/** The request count of the measured phase. */
const Requests = z.union( [
	/** Exactly this many API requests (faults included). */
	z.strictObject( { exact: z.number().int().min( 0 ) } ),
	/** Where the order is free: at most floor × 1.1 requests. */
	z.strictObject( { floor: z.number().int().min( 1 ) } ),
] );

export const Scenario = z.strictObject( {
	/** What the scenario shows, in a sentence. */
	description: z.string().min( 1 ),
	/** keyCRM's catalogue before anything is sent (emulator seed, warehouse 1). */
	keycrm: SeedData.optional(),
	/** The shop's products; each SKU is in the outbox, waiting (a new shop or "Resync all"). */
	shop: z.array( ShopProduct ).min( 1 ),
	/**
	 * When set, the shop is first synced (not measured), then these changes are made, and the
	 * second sync is the measured one.
	 */
	changes: z.array( Change ).optional(),
	/** keyCRM faults during the measured sync (emulator `POST /__emulator/faults`). */
	faults: z
		.strictObject( {
			script: z.array( ScriptedFault ).optional(),
			rejectSkus: z.array( Sku ).optional(),
		} )
		.optional(),
	expect: z.strictObject( {
		requests: Requests,
		/** Exact requests per route (`"METHOD /template"`) of the measured sync, when given. */
		routes: z.record( z.string(), z.number().int().min( 0 ) ).optional(),
		/**
		 * Every offer keyCRM holds afterwards, by SKU (no other offer may exist): price, stock in
		 * warehouse 1, and `product`, a label: offers with the same label share one keyCRM
		 * product, different labels are different products.
		 */
		offers: z.record(
			Sku,
			z.strictObject( {
				price: Money,
				stock: z.number(),
				product: z.string().min( 1 ),
			} )
		),
		/** keyCRM's products by label: their names. */
		products: z.record(
			z.string(),
			z.strictObject( { name: z.string().min( 1 ) } )
		),
		/** SKUs the runner must leave failed (refused by keyCRM) rather than synced. */
		failed: z.array( Sku ).optional(),
	} ),
} );
export type Scenario = z.infer< typeof Scenario >;

/**
 * Every scenario file of this folder, parsed (a bad file throws with its name).
 */
export function loadScenarios(): Array< { name: string; scenario: Scenario } > {
	return readdirSync( __dirname )
		.filter( ( f ) => f.endsWith( '.json' ) )
		.sort()
		.map( ( f ) => {
			const parsed = Scenario.safeParse(
				JSON.parse( readFileSync( join( __dirname, f ), 'utf8' ) )
			);
			if ( ! parsed.success ) {
				throw new Error(
					`${ f }: ${ z.prettifyError( parsed.error ) }`
				);
			}
			return { name: f.replace( /\.json$/, '' ), scenario: parsed.data };
		} );
}

/**
 * The most requests a scenario allows.
 *
 * @param requests The scenario's `expect.requests`.
 */
export function maxRequests(
	requests: Scenario[ 'expect' ][ 'requests' ]
): number {
	return 'exact' in requests
		? requests.exact
		: Math.floor( requests.floor * 1.1 );
}
