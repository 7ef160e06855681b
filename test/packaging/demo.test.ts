/** @jest-environment node */
/*
 * `npm start` (scripts/demo/run.sh), one start shared by every test here: the demo comes up
 * (Playground shop, keyCRM emulator, sender) with WP_CORE_DIR a symlink and WC_DIR a folder (both
 * copies made by this test, so it cannot damage the real ones); the seeded products reach the
 * emulator; the Overview's numbers match what the emulator holds; a product edit and a storefront
 * order reach the emulator; Ctrl-C stops everything; and WP_CORE_DIR and WC_DIR are unchanged,
 * byte for byte, mtimes included.
 *
 * Ports: KCS_DEMO_PORT (default 8182), KCS_DEMO_EMULATOR_PORT (default 9482).
 */
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as z from 'zod';

import { describeOrSkip } from '../helpers/skip';
import { ItemsResponse } from '@keycrm-sync/contract';
import {
	demoAuth,
	demoMissing,
	emulatorState,
	emulatorStock,
	envPort,
	eventually,
	killDemo,
	pluginGet,
	pluginStatus,
	recordTree,
	startDemo,
	stopDemo,
	treeChanges,
	type Demo,
} from './demo-helpers';
import { portOpen, WC_DIR, WP_CORE_DIR } from './env';

const SHOP_PORT = envPort( 'KCS_DEMO_PORT', 8182 );
const EMULATOR_PORT = envPort( 'KCS_DEMO_EMULATOR_PORT', 9482 );
/** Longest wait for a change to reach keyCRM (PHP in WebAssembly on a busy machine is slow). */
const SYNC_WAIT_MS = 300_000;

/**
 * A storefront order through WooCommerce's Store API, as the block checkout places it: add to
 * cart, then checkout with cash on delivery. Keeps the session cookie between the requests.
 *
 * @param siteUrl Shop URL.
 * @param items   Product ids and quantities.
 * @return The order as the checkout answers it.
 */
async function placeOrder(
	siteUrl: string,
	items: Array< { id: number; quantity: number } >
): Promise< { order_id: number; status: string } > {
	const cookies = new Map< string, string >();
	let nonce = '';
	const call = async ( route: string, body?: object ): Promise< unknown > => {
		const response = await fetch(
			`${ siteUrl }/?rest_route=${ encodeURIComponent( route ) }`,
			{
				method: body ? 'POST' : 'GET',
				headers: {
					'Content-Type': 'application/json',
					Nonce: nonce,
					Cookie: [ ...cookies ]
						.map( ( [ k, v ] ) => `${ k }=${ v }` )
						.join( '; ' ),
				},
				body: body ? JSON.stringify( body ) : undefined,
				signal: AbortSignal.timeout( 120_000 ),
			}
		);
		for ( const cookie of response.headers.getSetCookie() ) {
			const [ pair = '' ] = cookie.split( ';' );
			const at = pair.indexOf( '=' );
			cookies.set( pair.slice( 0, at ), pair.slice( at + 1 ) );
		}
		nonce = response.headers.get( 'Nonce' ) ?? nonce;
		const json: unknown = await response.json();
		if ( ! response.ok ) {
			throw new Error(
				`${ route }: HTTP ${ response.status } ${ JSON.stringify( json ) }`
			);
		}
		return json;
	};
	await call( '/wc/store/v1/cart' );
	for ( const item of items ) {
		await call( '/wc/store/v1/cart/add-item', item );
	}
	const address = {
		first_name: 'Demo',
		last_name: 'Buyer',
		address_1: '1 Khreshchatyk St',
		city: 'Kyiv',
		state: 'UA30',
		postcode: '01001',
		country: 'UA',
		phone: '+380441234567',
	};
	const order = await call( '/wc/store/v1/checkout', {
		billing_address: { ...address, email: 'buyer@example.com' },
		shipping_address: address,
		payment_method: 'cod',
	} );
	return z
		.object( { order_id: z.number(), status: z.string() } )
		.parse( order );
}

const skip = demoMissing();
const describeDemo = describeOrSkip( 'npm start demo', skip );

describeDemo(
	skip ? `npm start demo — skipped: ${ skip }` : 'npm start demo',
	() => {
		let demo: Demo | undefined;
		let work: string;
		let wpCoreLink: string;
		let wcCopy: string;
		let wpBefore: ReturnType< typeof recordTree >;
		let wcBefore: ReturnType< typeof recordTree >;

		const info = () => {
			if ( ! demo ) {
				throw new Error( 'the demo did not start' );
			}
			return demo.info;
		};

		/** Waits until the plugin has nothing left to send. */
		const allSent = async () => {
			let last = {};
			try {
				await eventually(
					'outbox drained',
					async () => {
						const status = await pluginStatus( info() );
						last = { counts: status.counts, dirty: status.dirty };
						return (
							status.dirty === 0 && status.counts.pending === 0
						);
					},
					SYNC_WAIT_MS
				);
			} catch ( error ) {
				throw new Error(
					`${ String( error ) }; last status: ${ JSON.stringify( last ) }`
				);
			}
		};

		beforeAll( async () => {
			work = mkdtempSync( join( tmpdir(), 'keycrm-demo-test-' ) );
			// WP_CORE_DIR as a symlink to a WordPress folder; WC_DIR a plain folder.
			cpSync( WP_CORE_DIR, join( work, 'wordpress' ), {
				recursive: true,
				dereference: true,
			} );
			wpCoreLink = join( work, 'wordpress-link' );
			symlinkSync( join( work, 'wordpress' ), wpCoreLink );
			wcCopy = join( work, 'woocommerce' );
			cpSync( WC_DIR, wcCopy, { recursive: true, dereference: true } );
			wpBefore = recordTree( wpCoreLink );
			wcBefore = recordTree( wcCopy );
			demo = await startDemo( {
				port: SHOP_PORT,
				emulatorPort: EMULATOR_PORT,
				siteDir: join( work, 'site' ),
				env: { WP_CORE_DIR: wpCoreLink, WC_DIR: wcCopy },
			} );
		}, 660_000 );

		afterAll( async () => {
			await killDemo( demo );
			rmSync( work, { recursive: true, force: true } );
		}, 90_000 );

		test( 'prints the wp-admin URL and login and the emulator page URL', () => {
			const output = demo?.output() ?? '';
			expect( output ).toContain(
				`http://127.0.0.1:${ SHOP_PORT }/wp-admin/  (login admin / password)`
			);
			expect( output ).toContain(
				`http://127.0.0.1:${ EMULATOR_PORT }/  (emulator`
			);
			expect( output ).toContain(
				`WordPress from ${ wpCoreLink }, WooCommerce from ${ wcCopy }`
			);
			expect(
				info().products.filter( ( p ) => p.type === 'variation' ).length
			).toBeGreaterThan( 0 );
		} );

		test(
			'the seeded products reach the emulator with their stock',
			async () => {
				const seeded = info().products.filter(
					( p ) => p.sku !== '' && p.stock !== null
				);
				const ms = await eventually(
					'seeded stock in the emulator',
					async () => {
						const stock = await emulatorStock(
							info().emulator_url
						);
						return seeded.every(
							( p ) => stock.get( p.sku ) === p.stock
						);
					},
					SYNC_WAIT_MS
				);
				expect( ms ).toBeLessThan( SYNC_WAIT_MS );
			},
			SYNC_WAIT_MS + 10_000
		);

		test(
			"the Overview's counts match the emulator: all synced, none pending",
			async () => {
				await allSent();
				const status = await pluginStatus( info() );
				const items = ItemsResponse.parse(
					await pluginGet(
						info(),
						'/keycrm-sync/v1/items?per_page=100'
					)
				);
				const keycrm = await emulatorState( info().emulator_url );
				const offerSkus = keycrm.stock.flatMap( ( s ) =>
					s.sku === null ? [] : [ s.sku ]
				);
				const productsWithOffers = keycrm.products
					.filter( ( p ) => p.has_offers )
					.map( ( p ) => p.id );
				const synced = items.items.filter(
					( i ) => i.state === 'synced'
				);
				// Every row is synced: the Overview says "Synced N, Pending 0".
				expect( status.counts ).toEqual( {
					pending: 0,
					synced: items.total,
					failed: 0,
					dead: 0,
					skipped: 0,
				} );
				expect( status.dirty ).toBe( 0 );
				expect( synced ).toHaveLength( items.total );
				expect(
					synced.every( ( i ) => ! i.dirty && i.synced_at )
				).toBe( true );
				// The synced rows are exactly keyCRM's offers plus the variable product that owns
				// variations (a product in keyCRM, no offer of its own).
				const seededOffers = info()
					.products.filter(
						( p ) => p.sku !== '' && p.stock !== null
					)
					.map( ( p ) => p.sku );
				expect( [ ...offerSkus ].sort() ).toEqual(
					[ ...seededOffers ].sort()
				);
				const parents = synced.filter(
					( i ) => ! offerSkus.includes( i.sku )
				);
				expect(
					parents.map( ( i ) =>
						productsWithOffers.includes( i.keycrm_product_id ?? 0 )
					)
				).toEqual( parents.map( () => true ) );
				expect( status.counts.synced ).toBe(
					offerSkus.length + parents.length
				);
				// And what the shop says it pushed is what keyCRM holds.
				const stock = await emulatorStock( info().emulator_url );
				for ( const item of synced.filter( ( i ) =>
					offerSkus.includes( i.sku )
				) ) {
					expect( [ item.sku, item.pushed_stock ] ).toEqual( [
						item.sku,
						stock.get( item.sku ),
					] );
				}
			},
			SYNC_WAIT_MS + 30_000
		);

		test(
			'a product edit in the shop reaches the emulator',
			async () => {
				const mug = info().products.find(
					( p ) => p.sku === 'DEMO-MUG'
				);
				expect( mug ).toBeDefined();
				const edit = await fetch(
					`${ info().site_url }/?rest_route=/wc/v3/products/${ mug?.id }`,
					{
						method: 'PUT',
						headers: {
							Authorization: demoAuth( info() ),
							'Content-Type': 'application/json',
						},
						body: JSON.stringify( { stock_quantity: 17 } ),
					}
				);
				expect( edit.status ).toBe( 200 );
				await eventually(
					'edited stock in the emulator',
					async () =>
						( await emulatorStock( info().emulator_url ) ).get(
							'DEMO-MUG'
						) === 17,
					SYNC_WAIT_MS
				);
			},
			SYNC_WAIT_MS + 30_000
		);

		test(
			'a storefront order (Store API checkout) lowers the stock in the emulator',
			async () => {
				const cap = info().products.find(
					( p ) => p.sku === 'DEMO-CAP'
				);
				const hoodieM = info().products.find(
					( p ) => p.sku === 'DEMO-HOODIE-M'
				);
				expect( cap?.stock ).toBeGreaterThanOrEqual( 2 );
				expect( hoodieM?.stock ).toBeGreaterThanOrEqual( 1 );
				const order = await placeOrder( info().site_url, [
					{ id: cap?.id ?? 0, quantity: 2 },
					{ id: hoodieM?.id ?? 0, quantity: 1 },
				] );
				expect( order.status ).toBe( 'processing' );
				await eventually(
					'ordered stock in the emulator',
					async () => {
						const stock = await emulatorStock(
							info().emulator_url
						);
						return (
							stock.get( 'DEMO-CAP' ) ===
								( cap?.stock ?? 0 ) - 2 &&
							stock.get( 'DEMO-HOODIE-M' ) ===
								( hoodieM?.stock ?? 0 ) - 1
						);
					},
					SYNC_WAIT_MS
				);
				await allSent();
			},
			2 * SYNC_WAIT_MS + 60_000
		);

		test( 'Ctrl-C stops the shop, the emulator and the sender', async () => {
			if ( ! demo ) {
				throw new Error( 'the demo did not start' );
			}
			expect( await stopDemo( demo ) ).toBe( 0 );
			expect( await portOpen( SHOP_PORT ) ).toBe( false );
			expect( await portOpen( EMULATOR_PORT ) ).toBe( false );
		}, 70_000 );

		test( 'WP_CORE_DIR (a symlink) and WC_DIR are unchanged: files, sizes, mtimes, bytes', () => {
			expect( demo?.exitCode() ).not.toBeUndefined();
			expect( treeChanges( wpBefore, recordTree( wpCoreLink ) ) ).toEqual(
				[]
			);
			expect( treeChanges( wcBefore, recordTree( wcCopy ) ) ).toEqual(
				[]
			);
		}, 60_000 );
	}
);
