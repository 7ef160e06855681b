/**
 * The plugin alone syncs a real shop: no Node sender anywhere. The zip made by `npm run
 * plugin-zip` is installed into a fresh WordPress + WooCommerce shop the way "Upload Plugin" does,
 * the API key and warehouse are saved on the Settings screen in Chromium, products are created
 * through WooCommerce's REST API, and WP-Cron runs only when an HTTP GET of wp-cron.php asks for
 * it (as a visitor's request or a system cron's curl does). Then keyCRM (the emulator, its API
 * root set by the KEYCRM_SYNC_API_URL constant in an mu-plugin) holds every product with the
 * shop's price and stock in at most 1.1× the floor number of requests, an order's stock change
 * arrives with the next cron run, and `wp keycrm-sync status --format=json` reports on that shop.
 *
 * Ports: KCS_E2E_WP_SHOP_PORT (default 8142) and KCS_E2E_WP_EMULATOR_PORT (default 9442).
 * WP-CLI: KCS_WP_CLI or ~/.cache/wp-test-env/wp-cli.phar. Whatever is missing fails the run under
 * CI=true and skips it elsewhere.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
	existsSync,
	mkdtempSync,
	openSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';

import { expect, test, type Page } from '@playwright/test';

import { cannotRun } from '../helpers/skip';
import { ShopHarness, shopMissing, type SiteEnv } from '../shop/shop';
import { E2E, waitForPort } from './e2e-state';
import { logIn } from './wp-login';

const SHOP_PORT = Number( process.env.KCS_E2E_WP_SHOP_PORT ?? 8142 );
const EMULATOR_PORT = Number( process.env.KCS_E2E_WP_EMULATOR_PORT ?? 9442 );
const EMULATOR = `http://127.0.0.1:${ EMULATOR_PORT }`;
const API_KEY = 'e2e-in-wordpress-key-41c9';
const WP_CLI =
	process.env.KCS_WP_CLI ??
	path.join( homedir(), '.cache', 'wp-test-env', 'wp-cli.phar' );
/** Products created in the shop (simple, managed stock, each its own price). */
const PRODUCTS = 40;

function hasCommand( name: string ): boolean {
	return (
		spawnSync( 'sh', [ '-c', `command -v ${ name }` ], { stdio: 'ignore' } )
			.status === 0
	);
}

function missing(): string | null {
	const shopless = shopMissing( E2E.root );
	if ( shopless !== null ) {
		return shopless;
	}
	if ( ! hasCommand( 'unzip' ) ) {
		return 'not installed: unzip (Debian: apt-get install unzip)';
	}
	if ( ! existsSync( WP_CLI ) ) {
		return `no WP-CLI phar at ${ WP_CLI } (scripts/wp-env.sh --wp-cli fetches one, or set KCS_WP_CLI)`;
	}
	return null;
}

const skip = missing();
if ( skip !== null ) {
	cannotRun( 'e2e: the plugin alone syncs a real shop', skip ); // Throws under CI=true.
}

const shop = new ShopHarness( E2E.root );
let work = '';
let siteDir = '';
let env: SiteEnv = {};
let emulatorPid = 0;

interface EmulatorState {
	offers: Array< { sku: string; price: number } >;
	stock: Array< {
		sku: string;
		warehouses: Record< string, { quantity: number } >;
	} >;
	duplicates: number;
}
interface EmulatorStats {
	total: number;
	byRoute: Record< string, number >;
}

const SCAN_ROUTE = 'GET /offers/stocks';
/** @param stats Emulator stats. */
const scan = ( stats: EmulatorStats ) => stats.byRoute[ SCAN_ROUTE ] ?? 0;
/** @param stats Emulator stats. */
const push = ( stats: EmulatorStats ) => stats.total - scan( stats );

async function emulator< T >( name: string ): Promise< T > {
	const response = await fetch( `${ EMULATOR }/__emulator/${ name }` );
	expect( response.status ).toBe( 200 );
	return ( await response.json() ) as T;
}

/** keyCRM's price and warehouse-1 stock of each SKU it holds. */
async function keycrm(): Promise<
	Map< string, { price: number; stock: number | undefined } >
> {
	const state = await emulator< EmulatorState >( 'state' );
	const stock = new Map(
		state.stock.map( ( s ) => [ s.sku, s.warehouses[ '1' ]?.quantity ] )
	);
	return new Map(
		state.offers.map( ( o ) => [
			o.sku,
			{ price: Number( o.price ), stock: stock.get( o.sku ) },
		] )
	);
}

/**
 * WooCommerce's REST API as the shop's administrator (application password).
 * @param method
 * @param route
 * @param body
 */
async function wc< T >(
	method: string,
	route: string,
	body?: unknown
): Promise< T > {
	const response = await fetch(
		`${ env.SITE_URL }/wp-json/wc/v3/${ route }`,
		{
			method,
			headers: {
				Authorization: `Basic ${ Buffer.from( `${ env.ADMIN_USER }:${ env.APP_PASS }` ).toString( 'base64' ) }`,
				'Content-Type': 'application/json',
			},
			body: body === undefined ? undefined : JSON.stringify( body ),
		}
	);
	const text = await response.text();
	expect( response.status, text ).toBeLessThan( 300 );
	return JSON.parse( text ) as T;
}

/**
 * One cron interval passes: Action Scheduler's WP-Cron event (every minute) is due now, as it is
 * a minute after its last run, and no earlier cron request holds WP-Cron's lock.
 */
function cronIntervalPasses(): void {
	const done = shop.eval( siteDir, [
		'-r',
		"wp_clear_scheduled_hook( 'action_scheduler_run_queue', array( 'WP Cron' ) ); wp_schedule_event( time() - 1, 'every_minute', 'action_scheduler_run_queue', array( 'WP Cron' ) ); delete_transient( 'doing_cron' );",
	] );
	expect( done.status, done.stderr ).toBe( 0 );
}

/** What a visitor's request or a system cron's curl does: GET wp-cron.php over HTTP. */
async function cronRequest(): Promise< void > {
	const response = await fetch( `${ env.SITE_URL }/wp-cron.php` );
	await response.body?.cancel();
	expect( response.status ).toBe( 200 );
}

/**
 * The real WP-CLI on that shop.
 *
 * @param args WP-CLI arguments.
 */
function wpCli( args: string[] ): { status: number | null; out: string } {
	const result = spawnSync(
		'php',
		[ WP_CLI, `--path=${ env.DOCROOT }`, '--allow-root', ...args ],
		{ encoding: 'utf8', timeout: 120_000 }
	);
	return {
		status: result.status,
		out: `${ result.stdout ?? '' }${ result.stderr ?? '' }`,
	};
}

test.describe.configure( { mode: 'serial' } );

test.beforeAll( async () => {
	test.skip( skip !== null, skip ?? '' );
	test.setTimeout( 900_000 );
	work = mkdtempSync( path.join( tmpdir(), 'kcs-e2e-wp-' ) );
	siteDir = path.join( work, 'site' );

	const log = openSync( path.join( work, 'emulator.log' ), 'w' );
	const child = spawn(
		process.execPath,
		[
			'--import',
			'tsx',
			path.join( E2E.root, 'src', 'cli.ts' ),
			'emulator',
			'--port',
			String( EMULATOR_PORT ),
			'--api-key',
			API_KEY,
			'--warehouse',
			'1',
		],
		{ cwd: E2E.root, detached: true, stdio: [ 'ignore', log, log ] }
	);
	child.unref();
	emulatorPid = child.pid ?? 0;

	// The zip, as `npm run plugin-zip` makes it (with the built admin screen).
	if ( ! existsSync( path.join( E2E.root, 'plugin/build/admin.js' ) ) ) {
		const built = spawnSync( 'npx', [ 'wp-scripts', 'build' ], {
			cwd: E2E.root,
			encoding: 'utf8',
			timeout: 300_000,
		} );
		expect( built.status, built.stderr ).toBe( 0 );
	}
	const zip = spawnSync(
		process.execPath,
		[ '--import', 'tsx', 'scripts/plugin-zip.ts', '--out', work ],
		{ cwd: E2E.root, encoding: 'utf8', timeout: 120_000 }
	);
	expect( zip.status, zip.stderr ).toBe( 0 );

	// A shop with WooCommerce only; an mu-plugin points the plugin at the emulator, as a shop
	// owner's wp-config.php or mu-plugin would set KEYCRM_SYNC_API_URL.
	const mu = path.join( work, 'keycrm-api-root.php' );
	writeFileSync(
		mu,
		`<?php\ndefine( 'KEYCRM_SYNC_API_URL', '${ EMULATOR }/v1' );\n`
	);
	env = shop.start( { siteDir, port: SHOP_PORT, mu: [ mu ] } );
	const installed = shop.eval( siteDir, [
		path.join( E2E.root, 'test', 'packaging', 'php', 'install-zip.php' ),
		zip.stdout.trim(),
	] );
	expect( installed.status, installed.stderr ).toBe( 0 );
	const report = JSON.parse(
		installed.stdout.slice( installed.stdout.indexOf( '{' ) )
	) as { active: boolean; errors: string[] };
	expect( report.errors ).toEqual( [] );
	expect( report.active ).toBe( true );
	await waitForPort( EMULATOR_PORT, 30_000 );
} );

test.afterAll( () => {
	if ( emulatorPid > 0 ) {
		try {
			process.kill( -emulatorPid, 'SIGTERM' );
		} catch {
			// Already gone.
		}
	}
	if ( siteDir !== '' && process.env.KCS_E2E_KEEP !== '1' ) {
		shop.stop( siteDir );
	}
	if ( work !== '' && process.env.KCS_E2E_KEEP !== '1' ) {
		rmSync( work, { recursive: true, force: true } );
	}
} );

async function saveSettings( page: Page ): Promise< void > {
	await logIn(
		page,
		env.SITE_URL ?? '',
		env.ADMIN_USER ?? '',
		env.ADMIN_PASS ?? ''
	);
	await page.goto(
		`${ env.SITE_URL }/wp-admin/admin.php?page=keycrm-sync#settings`
	);
	const ui = page.locator( '#keycrm-sync-root' );
	await ui.getByLabel( 'keyCRM API key' ).fill( API_KEY );
	await ui.getByLabel( 'Warehouse ID' ).fill( '1' );
	await ui.getByRole( 'button', { name: 'Save settings' } ).click();
	await expect( ui.getByText( 'Settings saved.' ) ).toBeVisible();
}

test( 'with the plugin alone, WP-Cron syncs the shop, then an order, in the floor number of requests', async ( {
	page,
} ) => {
	test.setTimeout( 600_000 );

	await test.step( 'settings saved on the Settings screen', () =>
		saveSettings( page ) );

	const before = await emulator< EmulatorStats >( 'stats' );
	const wanted = new Map< string, { price: number; stock: number } >();
	const ids = new Map< string, number >();

	await test.step( `${ PRODUCTS } products created through WooCommerce`, async () => {
		const create = Array.from( { length: PRODUCTS }, ( _, i ) => {
			const sku = `E2E-WP-${ String( i + 1 ).padStart( 3, '0' ) }`;
			wanted.set( sku, { price: 10 + i, stock: 5 + ( i % 7 ) } );
			return {
				name: `In-WordPress product ${ i + 1 }`,
				type: 'simple',
				status: 'publish',
				sku,
				regular_price: String( 10 + i ),
				manage_stock: true,
				stock_quantity: 5 + ( i % 7 ),
			};
		} );
		const made = await wc< {
			create: Array< { id: number; sku: string } >;
		} >( 'POST', 'products/batch', { create } );
		for ( const p of made.create ) {
			ids.set( p.sku, p.id );
		}
		expect( ids.size ).toBe( PRODUCTS );
	} );

	await test.step( 'WP-Cron requests sync every product with its price and stock', async () => {
		await expect
			.poll(
				async () => {
					const held = await keycrm();
					const wrong = [ ...wanted ].filter(
						( [ sku, w ] ) =>
							held.get( sku )?.price !== w.price ||
							held.get( sku )?.stock !== w.stock
					);
					if ( wrong.length > 0 ) {
						cronIntervalPasses();
						await cronRequest();
					}
					return wrong.length;
				},
				{ timeout: 300_000, intervals: [ 500, 1000, 2000 ] }
			)
			.toBe( 0 );
	} );

	const synced = await emulator< EmulatorStats >( 'stats' );
	// The floor: one read of keyCRM's offers, one import per 100 products, one stock request per
	// 10,000 SKUs (README, "Syncing without Node.js"). The periodic stock scan (GET /offers/stocks,
	// due at once on a new shop, then every pull interval) reads keyCRM's stock and sends nothing:
	// counted apart, one page for this catalogue.
	const floor =
		1 + Math.ceil( PRODUCTS / 100 ) + Math.ceil( PRODUCTS / 10_000 );
	const routes = JSON.stringify( synced.byRoute );
	expect( push( synced ) - push( before ), routes ).toBeLessThanOrEqual(
		floor * 1.1
	);
	expect( scan( synced ) - scan( before ), routes ).toBeLessThanOrEqual( 1 );
	expect( ( await emulator< EmulatorState >( 'state' ) ).duplicates ).toBe(
		0
	);

	await test.step( "an order's stock change arrives with the next cron run", async () => {
		const sku = 'E2E-WP-003';
		const left = ( wanted.get( sku )?.stock ?? 0 ) - 2;
		await wc( 'POST', 'orders', {
			status: 'processing',
			set_paid: true,
			line_items: [ { product_id: ids.get( sku ), quantity: 2 } ],
		} );
		const product = await wc< { stock_quantity: number } >(
			'GET',
			`products/${ ids.get( sku ) }`
		);
		expect( product.stock_quantity ).toBe( left );
		cronIntervalPasses();
		await cronRequest();
		// Only the cron run just triggered (or one a concurrent request started) may deliver it:
		// the next interval is a minute away in real time.
		await expect
			.poll( async () => ( await keycrm() ).get( sku )?.stock, {
				timeout: 45_000,
			} )
			.toBe( left );
		const after = await emulator< EmulatorStats >( 'stats' );
		expect(
			push( after ) - push( synced ),
			JSON.stringify( after.byRoute )
		).toBe( 1 );
	} );

	await test.step( '`wp keycrm-sync status --format=json` on that shop', () => {
		const status = wpCli( [ 'keycrm-sync', 'status', '--format=json' ] );
		expect( status.status, status.out ).toBe( 0 );
		const report = JSON.parse(
			status.out.slice( status.out.indexOf( '{' ) )
		) as { runner?: { runner?: string }; sender?: unknown };
		expect( report.runner?.runner ).toBe( 'wordpress' );
		expect( report.sender ).toBeNull();
	} );
} );
