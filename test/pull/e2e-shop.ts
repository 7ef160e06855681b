/**
 * End-to-end check of keyCRM → shop stock on a real WordPress + WooCommerce
 * shop (test/shop) and the keyCRM emulator's HTTP server with its webhook:
 *
 *   1. the initial pull brings the shop to keyCRM's stock (the webhook does not
 *      fire for balances that existed before it was set up);
 *   2. a stock change inside keyCRM reaches the shop by webhook (latency measured);
 *   3. with the webhook switched off, a change reaches the shop within one pull
 *      interval (the sender's loop calls maybeRunStockPull every few seconds);
 *   4. in WooCommerce mode the same scan lists drift.
 *
 * Usage (shop started with
 * test/shop/shop-up.sh --plugin $PWD/plugin --site /tmp/kcs-stock-shop):
 *   npx tsx test/pull/e2e-shop.ts /tmp/kcs-stock-shop/site.env [emulator-port] [products]
 * Exit code 0 when every check passed.
 */
import { readFileSync } from 'node:fs';

import {
	ClaimResponse,
	PublicSettings,
	RemoteSkusResponse,
	WebhookSecretResponse,
} from '@keycrm-sync/contract';
import { startEmulatorServer } from '../../src/emulator/server';
import { createKeyCrmClient } from '../../src/keycrm/client';
import { maybeRunStockPull, runStockPull } from '../../src/pull/run-stock-pull';
import { StockSourceClient } from '../../src/pull/stock-source-client';

const [
	envFile = '/tmp/kcs-stock-shop/site.env',
	portArg = '9460',
	countArg = '20',
] = process.argv.slice( 2 );
const site = Object.fromEntries(
	readFileSync( envFile, 'utf8' )
		.split( '\n' )
		.filter( ( l ) => l.includes( '=' ) )
		.map( ( l ) => [
			l.slice( 0, l.indexOf( '=' ) ),
			l.slice( l.indexOf( '=' ) + 1 ),
		] )
);
const SITE = String( site.SITE_URL );
const AUTH = `Basic ${ Buffer.from( `${ site.ADMIN_USER }:${ site.APP_PASS }` ).toString( 'base64' ) }`;
const COUNT = Number( countArg );
const INTERVAL_MIN = 1;
let failures = 0;

function check( ok: boolean, what: string ): void {
	failures += ok ? 0 : 1;
	process.stdout.write( `${ ok ? 'ok  ' : 'FAIL' } ${ what }\n` );
}

async function wp(
	method: string,
	route: string,
	body?: unknown
): Promise< unknown > {
	const res = await fetch( `${ SITE }/?rest_route=${ route }`, {
		method,
		headers: { Authorization: AUTH, 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify( body ),
	} );
	if ( ! res.ok ) {
		throw new Error(
			`${ method } ${ route }: ${ res.status } ${ await res.text() }`
		);
	}
	return res.json();
}

async function shopStock( sku: string ): Promise< number | null > {
	const list = await wp(
		'GET',
		`/wc/v3/products&sku=${ encodeURIComponent( sku ) }`
	);
	const first: unknown = Array.isArray( list ) ? list[ 0 ] : undefined;
	if (
		typeof first === 'object' &&
		first !== null &&
		'stock_quantity' in first
	) {
		const q = first.stock_quantity;
		return typeof q === 'number' ? q : null;
	}
	return null;
}

async function waitFor(
	sku: string,
	want: number,
	timeoutMs: number,
	tick?: () => Promise< unknown >
): Promise< number | null > {
	const start = Date.now();
	while ( Date.now() - start < timeoutMs ) {
		await tick?.();
		if ( ( await shopStock( sku ) ) === want ) {
			return Date.now() - start;
		}
		await new Promise( ( r ) => setTimeout( r, 250 ) );
	}
	return null;
}

async function main(): Promise< void > {
	PublicSettings.parse(
		await wp( 'PUT', '/keycrm-sync/v1/settings', {
			stock_source: 'keycrm',
			stock_apply: 'available',
			warehouse_id: 1,
			pull_interval_minutes: INTERVAL_MIN,
			api_key: 'test',
		} )
	);
	const skus = Array.from(
		{ length: COUNT },
		( _, i ) => `E2E-${ Date.now() }-${ i }`
	);
	for ( let i = 0; i < skus.length; i += 100 ) {
		await wp( 'POST', '/wc/v3/products/batch', {
			create: skus.slice( i, i + 100 ).map( ( sku ) => ( {
				name: sku,
				sku,
				regular_price: '10',
				manage_stock: true,
				stock_quantity: 0,
			} ) ),
		} );
	}
	const server = await startEmulatorServer( {
		port: Number( portArg ),
		apiKeys: [ 'test' ],
		webhookUrl: WebhookSecretResponse.parse(
			await wp( 'POST', '/keycrm-sync/v1/settings/webhook-secret' )
		).webhook_url,
	} );
	try {
		await run( server.url, skus );
	} finally {
		await server.close();
	}
}

async function run( emuUrl: string, skus: string[] ): Promise< void > {
	const control = ( name: string, body: unknown ) =>
		fetch( `${ emuUrl }/__emulator/${ name }`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify( body ),
		} ).then( ( r ) => r.json() );
	await control( 'seed', {
		products: skus.map( ( sku, i ) => ( {
			name: sku,
			sku,
			price: 10,
			stock: i + 1,
		} ) ),
	} );
	const keycrm = createKeyCrmClient( {
		baseUrl: `${ emuUrl }/v1`,
		apiKey: 'test',
		ratePerMinute: 60,
	} );
	const plugin = new StockSourceClient( {
		siteUrl: SITE,
		user: String( site.ADMIN_USER ),
		appPassword: String( site.APP_PASS ),
	} );
	const deps = {
		keycrm,
		plugin,
		warehouseId: 1,
		log: ( m: string ) => process.stdout.write( `     ${ m }\n` ),
	};

	let t = Date.now();
	const first = await runStockPull( deps );
	const last = skus.at( -1 ) as string;
	check(
		first.complete && ( await shopStock( last ) ) === skus.length,
		`initial pull: ${ first.scanned } SKUs in ${ Date.now() - t } ms, shop ${ last } = ${ skus.length }`
	);

	const a = skus[ 2 ] as string;
	t = Date.now();
	await control( 'stock', { sku: a, quantity: 42, reserve: 2 } );
	const byHook = await waitFor( a, 40, 15_000 );
	check(
		byHook !== null,
		`webhook: keyCRM change reached the shop in ${ byHook } ms (available 42 − 2 = 40)`
	);

	await control( 'webhook', { url: null } );
	const b = skus[ 4 ] as string;
	await control( 'stock', { sku: b, quantity: 17 } );
	// The sender's loop asks every ~250 ms whether a pull is due. A change the webhook missed lands
	// within the interval (counted from the end of the last pull) plus one scan.
	let scanMs = 0;
	const tick = async () => {
		const started = Date.now();
		if ( await maybeRunStockPull( deps ) ) {
			scanMs = Date.now() - started;
		}
	};
	const byPull = await waitFor(
		b,
		17,
		( INTERVAL_MIN * 60 + 300 ) * 1000,
		tick
	);
	const bound = INTERVAL_MIN * 60_000 + scanMs + 5000;
	check(
		byPull !== null && byPull <= bound,
		`webhook off: change reached the shop by pull in ${ byPull } ms (interval ${ INTERVAL_MIN } min + scan ${ scanMs } ms)`
	);
	check(
		( await shopStock( a ) ) === 40,
		'the pull keeps the webhook-applied value'
	);

	// What the shop → keyCRM sender does: claim the outbox and acknowledge it, so no shop change
	// is still on its way (drift is only reported for SKUs without one).
	const claim = ClaimResponse.parse(
		await wp( 'POST', '/keycrm-sync/v1/worker/claim', { limit: 10000 } )
	);
	if ( claim.lease_token !== null ) {
		const results = claim.items.map( ( i ) => ( {
			sku: i.sku,
			version: i.version,
			outcome: 'synced' as const,
		} ) );
		await wp( 'POST', '/keycrm-sync/v1/worker/ack', {
			lease_token: claim.lease_token,
			results,
		} );
	}
	await wp( 'PUT', '/keycrm-sync/v1/settings', {
		stock_source: 'woocommerce',
	} );
	const c = skus[ 6 ] as string;
	await control( 'stock', { sku: c, quantity: 99 } );
	await wp( 'POST', '/keycrm-sync/v1/stock-source/pull-now' );
	const drift = await maybeRunStockPull( deps );
	const listed = RemoteSkusResponse.parse(
		await wp( 'GET', '/keycrm-sync/v1/stock-source/drift&per_page=100' )
	);
	check(
		drift !== null &&
			listed.items.some(
				( i ) =>
					i.sku === c &&
					i.keycrm_in_stock === 99 &&
					i.shop_stock === 7
			),
		`WooCommerce mode: drift listed (${ listed.total } SKU(s)), shop stock untouched: ${ await shopStock( c ) }`
	);
	await wp( 'PUT', '/keycrm-sync/v1/settings', { stock_source: 'keycrm' } );
	process.stdout.write(
		`${ failures === 0 ? 'all checks passed' : `${ failures } check(s) failed` }\n`
	);
	process.exitCode = failures === 0 ? 0 : 1;
}

main().catch( ( e: unknown ) => {
	process.stderr.write(
		`${ e instanceof Error ? ( e.stack ?? e.message ) : String( e ) }\n`
	);
	process.exitCode = 1;
} );
