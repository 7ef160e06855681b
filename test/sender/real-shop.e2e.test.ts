/** @jest-environment node */
/**
 * End to end on a real WordPress + WooCommerce with the plugin (test/shop)
 * and the keyCRM emulator as an HTTP server: the CLI worker (a real child
 * process) syncs 30 new products (simple and variable), an order's stock
 * reduction reaches keyCRM within 15 s, and a worker killed with SIGKILL in
 * the middle of a batch and restarted converges with no duplicates.
 *
 * Needs WordPress and WooCommerce (WP_CORE_DIR / WC_DIR, or scripts/wp-env.sh);
 * without them it fails under CI=true and is skipped, loudly, elsewhere.
 * Ports: KCS_REAL_SHOP_PORT (default 8122), KCS_REAL_SHOP_EMULATOR_PORT (9422).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

import {
	startEmulatorServer,
	type EmulatorServer,
} from '../../src/emulator/server';
import { describeOrSkip } from '../helpers/skip';
import { ShopHarness, shopMissing } from '../shop/shop';

const ROOT = join( __dirname, '../..' );
const SHOP_PORT = Number(
	process.env.KCS_REAL_SHOP_PORT ??
		process.env.KCS_SENDER_E2E_SHOP_PORT ??
		8122
);
const EMU_PORT = Number(
	process.env.KCS_REAL_SHOP_EMULATOR_PORT ??
		process.env.KCS_SENDER_E2E_EMULATOR_PORT ??
		9422
);
const SITE_DIR = `/tmp/kcs-sender-e2e-shop-${ SHOP_PORT }`;
const KEY = 'e2e-key';
const shop = new ShopHarness( ROOT );
const maybe = describeOrSkip( 'real-shop e2e (sender)', shopMissing( ROOT ) );

let site = '';
let auth = '';
let emu: EmulatorServer;

/**
 * Call the shop's REST API as the admin.
 *
 * @param method HTTP method.
 * @param path   Path under /wp-json/.
 * @param body   JSON body.
 */
async function rest< T = unknown >(
	method: string,
	path: string,
	body?: unknown
): Promise< T > {
	const res = await fetch( `${ site }/wp-json/${ path }`, {
		method,
		headers: { Authorization: auth, 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify( body ),
	} );
	const text = await res.text();
	if ( ! res.ok ) {
		throw new Error(
			`${ method } ${ path }: ${ res.status } ${ text.slice( 0, 300 ) }`
		);
	}
	return JSON.parse( text ) as T;
}

/**
 * Start the CLI worker.
 *
 * @param user Login.
 * @param pass Application password.
 */
function startWorker( user: string, pass: string ): ChildProcess {
	return spawn(
		process.execPath,
		[
			'--import',
			'tsx',
			join( __dirname, '../../src/cli.ts' ),
			'worker',
			'--lease-seconds',
			'30',
		],
		{
			env: {
				...process.env,
				KEYCRM_SYNC_SITE: site,
				KEYCRM_SYNC_USER: user,
				KEYCRM_SYNC_APP_PASSWORD: pass,
				KEYCRM_API_URL: `${ emu.url }/v1`,
			},
			stdio: [ 'ignore', 'ignore', 'pipe' ],
		}
	);
}

/**
 * Poll until `check` holds or `ms` pass.
 *
 * @param check Condition.
 * @param ms    Timeout.
 */
async function until(
	check: () => boolean | Promise< boolean >,
	ms: number
): Promise< boolean > {
	const end = Date.now() + ms;
	while ( Date.now() < end ) {
		if ( await check() ) {
			return true;
		}
		await new Promise( ( r ) => setTimeout( r, 200 ) );
	}
	return check();
}

interface WcProduct {
	id: number;
	sku: string;
	type: string;
	status: string;
	stock_quantity: number | null;
	variations: number[];
}

/** Every SKU the default settings send (published, not external) with its stock (variations included). */
async function shopStock(): Promise< Map< string, number > > {
	const out = new Map< string, number >();
	const products = await rest< WcProduct[] >(
		'GET',
		'wc/v3/products?per_page=100'
	);
	for ( const p of products ) {
		if ( p.status !== 'publish' || p.type === 'external' ) {
			continue;
		}
		if ( p.type === 'variable' ) {
			const vars = await rest< WcProduct[] >(
				'GET',
				`wc/v3/products/${ p.id }/variations?per_page=100`
			);
			vars.forEach( ( v ) => out.set( v.sku, v.stock_quantity ?? 0 ) );
		} else {
			out.set( p.sku, p.stock_quantity ?? 0 );
		}
	}
	return out;
}

/**
 * SKUs whose keyCRM stock differs from the shop, or that exist more than once.
 *
 * @param want Shop stock by SKU.
 */
function differences( want: Map< string, number > ): string[] {
	const store = emu.emulator.store;
	const bad: string[] = [];
	for ( const [ sku, qty ] of want ) {
		const offers = store.findBySku( sku );
		const offer = offers[ 0 ];
		if (
			offers.length !== 1 ||
			! offer ||
			store.cell( offer.id, 1 ).quantity !== Math.max( 0, qty )
		) {
			bad.push( sku );
		}
	}
	return bad;
}

/**
 * Create `n` simple products and `v` variable products of 5 variations; the
 * first `skuless` variable products have no SKU of their own (only their
 * variations have one).
 *
 * @param prefix  SKU prefix.
 * @param n       Simple products.
 * @param v       Variable products.
 * @param skuless Variable products without a parent SKU.
 */
async function createProducts(
	prefix: string,
	n: number,
	v: number,
	skuless = 0
): Promise< void > {
	for ( let i = 0; i < n; i++ ) {
		await rest( 'POST', 'wc/v3/products', {
			name: `${ prefix } simple ${ i }`,
			sku: `${ prefix }-S${ i }`,
			regular_price: `${ 10 + i }`,
			manage_stock: true,
			stock_quantity: 20 + i,
		} );
	}
	for ( let p = 0; p < v; p++ ) {
		const sizes = [ 'XS', 'S', 'M', 'L', 'XL' ];
		const parent = await rest< WcProduct >( 'POST', 'wc/v3/products', {
			name: `${ prefix } shirt ${ p }`,
			type: 'variable',
			sku: p < skuless ? '' : `${ prefix }-P${ p }`,
			attributes: [
				{
					name: 'Size',
					options: sizes,
					variation: true,
					visible: true,
				},
			],
		} );
		await rest( 'POST', `wc/v3/products/${ parent.id }/variations/batch`, {
			create: sizes.map( ( s, i ) => ( {
				sku: `${ prefix }-P${ p }-${ s }`,
				regular_price: '30',
				manage_stock: true,
				stock_quantity: 5 + i,
				attributes: [ { name: 'Size', option: s } ],
			} ) ),
		} );
	}
}

maybe( 'worker end to end on a real WooCommerce', () => {
	let worker: ChildProcess | null = null;

	beforeAll( async () => {
		const env = shop.start( {
			siteDir: SITE_DIR,
			port: SHOP_PORT,
			plugins: [ join( ROOT, 'plugin' ) ],
			// Only the sender under test sends: the runner inside WordPress stays off.
			mu: [ join( __dirname, '../helpers/mu-node-sender-only.php' ) ],
		} );
		site = env.SITE_URL ?? '';
		auth = `Basic ${ Buffer.from( `${ env.ADMIN_USER }:${ env.APP_PASS }` ).toString( 'base64' ) }`;
		emu = await startEmulatorServer( { port: EMU_PORT, apiKeys: [ KEY ] } );
		await rest( 'PUT', 'keycrm-sync/v1/settings', {
			api_key: KEY,
			warehouse_id: 1,
			rate_per_minute: 60,
		} );
		process.env.E2E_USER = env.ADMIN_USER;
		process.env.E2E_PASS = env.APP_PASS;
	}, 300_000 );

	afterAll( async () => {
		worker?.kill( 'SIGKILL' );
		await emu?.close();
		shop.stop( SITE_DIR );
	}, 120_000 );

	it( 'syncs 35 products (a variable product without SKU among them; no draft, no external product), then an order’s stock change within 15 s', async () => {
		await createProducts( 'E', 20, 3, 1 );
		// What the default settings keep out of keyCRM: a draft and an external product.
		await rest( 'POST', 'wc/v3/products', {
			name: 'E draft',
			sku: 'E-DRAFT',
			status: 'draft',
			regular_price: '5',
			manage_stock: true,
			stock_quantity: 3,
		} );
		await rest( 'POST', 'wc/v3/products', {
			name: 'E affiliate',
			sku: 'E-EXT',
			type: 'external',
			external_url: 'https://example.com/e',
			regular_price: '5',
		} );
		worker = startWorker(
			process.env.E2E_USER ?? '',
			process.env.E2E_PASS ?? ''
		);
		const want = await shopStock();
		expect( want.size ).toBe( 35 );
		expect(
			await until( () => differences( want ).length === 0, 90_000 )
		).toBe( true );
		expect( emu.emulator.store.findBySku( 'E-DRAFT' ) ).toHaveLength( 0 );
		expect( emu.emulator.store.findBySku( 'E-EXT' ) ).toHaveLength( 0 );
		// The variations of a parent without a SKU share one keyCRM product, as those of a parent with one.
		for ( const family of [ 'E-P0', 'E-P1' ] ) {
			const products = new Set(
				[ 'XS', 'S', 'M', 'L', 'XL' ].map(
					( size ) =>
						emu.emulator.store.findBySku(
							`${ family }-${ size }`
						)[ 0 ]?.product_id
				)
			);
			expect( products.size ).toBe( 1 );
			expect( products.has( undefined ) ).toBe( false );
		}

		const target = await rest< WcProduct[] >(
			'GET',
			'wc/v3/products?sku=E-S3'
		);
		const before = target[ 0 ]?.stock_quantity ?? 0;
		const started = Date.now();
		await rest( 'POST', 'wc/v3/orders', {
			status: 'processing',
			set_paid: true,
			line_items: [ { product_id: target[ 0 ]?.id, quantity: 2 } ],
		} );
		const landed = await until( () => {
			const offer = emu.emulator.store.findBySku( 'E-S3' )[ 0 ];
			return (
				offer !== undefined &&
				emu.emulator.store.cell( offer.id, 1 ).quantity === before - 2
			);
		}, 15_000 );
		const seconds = ( Date.now() - started ) / 1000;
		process.stdout.write(
			`order stock change reached keyCRM in ${ seconds.toFixed( 1 ) } s\n`
		);
		expect( landed ).toBe( true );
		expect( seconds ).toBeLessThanOrEqual( 15 );
	}, 240_000 );

	it( 'a worker killed with SIGKILL mid-batch and restarted converges with no duplicates', async () => {
		worker?.kill( 'SIGTERM' );
		await new Promise( ( r ) => worker?.on( 'exit', r ) );
		await createProducts( 'K', 8, 2 );
		const all = await rest< WcProduct[] >(
			'GET',
			'wc/v3/products?per_page=100'
		);
		for ( const p of all.filter( ( x ) => x.type === 'simple' ) ) {
			await rest( 'PUT', `wc/v3/products/${ p.id }`, {
				stock_quantity: ( p.stock_quantity ?? 0 ) + 3,
			} );
		}
		const requests = emu.emulator.stats().total;
		worker = startWorker(
			process.env.E2E_USER ?? '',
			process.env.E2E_PASS ?? ''
		);
		// Kill as soon as the worker has sent its first request of the batch.
		await until( () => emu.emulator.stats().total > requests, 60_000 );
		const killed = worker;
		const exited = new Promise( ( r ) => killed.once( 'exit', r ) );
		killed.kill( 'SIGKILL' );
		await exited;
		worker = startWorker(
			process.env.E2E_USER ?? '',
			process.env.E2E_PASS ?? ''
		);
		const want = await shopStock();
		// Leases of the killed worker end after 30 s; then everything must converge.
		expect(
			await until( () => differences( want ).length === 0, 150_000 )
		).toBe( true );
		expect( emu.emulator.stats().counters.duplicateSkusCreated ).toBe( 0 );
		worker.kill( 'SIGTERM' );
		const code = await new Promise( ( r ) => worker?.on( 'exit', r ) );
		expect( code ).toBe( 0 );
		worker = null;
	}, 300_000 );
} );
