/**
 * Starts what the e2e tests drive: a fresh WordPress + WooCommerce shop with the plugin (the
 * project's shop harness, test/shop), seeded products, the keyCRM emulator with a 422 fault on one
 * SKU, and records how to start the sender. Writes artifacts/e2e/state.json for the tests and
 * teardown. Without WordPress or WooCommerce it fails under CI=true; elsewhere it records the
 * reason (one loud line) and the tests skip.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { cannotRun } from '../helpers/skip';
import { readSiteEnv, ShopHarness, shopMissing } from '../shop/shop';
import { E2E, type E2eState, waitForPort } from './e2e-state';
import globalTeardown from './global-teardown';

function senderHelp(): string | null {
	try {
		return execFileSync(
			process.execPath,
			[ path.join( E2E.root, 'dist/cli.js' ), 'worker', '--help' ],
			{
				encoding: 'utf8',
				timeout: 20_000,
				stdio: [ 'ignore', 'pipe', 'pipe' ],
			}
		);
	} catch {
		return null;
	}
}

function startEmulator(): number {
	const log = openSync( path.join( E2E.artifacts, 'emulator.log' ), 'w' );
	const child = spawn(
		process.execPath,
		[
			path.join( E2E.root, 'dist/cli.js' ),
			'emulator',
			'--port',
			String( E2E.emulatorPort ),
			'--api-key',
			E2E.apiKey,
			'--warehouse',
			'1',
		],
		{ detached: true, stdio: [ 'ignore', log, log ] }
	);
	child.unref();
	return child.pid ?? 0;
}

/** A fresh shop with the plugin and the seeded products. */
function startShop(): void {
	const shop = new ShopHarness( E2E.root );
	shop.start( {
		siteDir: E2E.siteDir,
		port: E2E.shopPort,
		plugins: [ path.join( E2E.root, 'plugin' ) ],
		// These screens are driven by the Node sender: the runner inside WordPress stays off.
		mu: [ path.join( E2E.root, 'test/helpers/mu-node-sender-only.php' ) ],
	} );
	const seeded = shop.eval( E2E.siteDir, [
		path.join( E2E.root, 'test/e2e/seed-products.php' ),
	] );
	if ( seeded.status !== 0 ) {
		throw new Error(
			`seed-products.php failed:\n${ seeded.stdout }\n${ seeded.stderr }`
		);
	}
}

/** Playwright global setup. */
export default async function globalSetup(): Promise< void > {
	mkdirSync( E2E.artifacts, { recursive: true } );
	const state: E2eState = {
		skip: null,
		senderSkip: null,
		siteDir: E2E.siteDir,
		siteUrl: '',
		adminUser: '',
		adminPass: '',
		emulatorUrl: '',
		emulatorPid: 0,
		workerPid: 0,
		senderHelp: '',
	};
	const missing = shopMissing( E2E.root );
	if ( missing !== null ) {
		cannotRun( 'e2e (Playwright)', missing ); // Throws under CI=true.
		state.skip = missing;
		writeFileSync( E2E.stateFile, JSON.stringify( state ) );
		return;
	}
	if ( ! existsSync( path.join( E2E.root, 'dist/cli.js' ) ) ) {
		state.senderSkip =
			'dist/cli.js is missing: run `npm run build:sender` to run the sender part';
	}
	if ( ! existsSync( path.join( E2E.root, 'plugin/build/admin.js' ) ) ) {
		execFileSync( 'npx', [ 'wp-scripts', 'build' ], {
			cwd: E2E.root,
			stdio: 'inherit',
			timeout: 300_000,
		} );
	}
	// KCS_E2E_REUSE=1 (with KCS_E2E_KEEP=1 on the previous run) reuses a running shop as it is.
	const reuse =
		process.env.KCS_E2E_REUSE === '1' &&
		existsSync( path.join( E2E.siteDir, 'site.env' ) );
	if ( ! reuse ) {
		startShop();
	}
	const env = readSiteEnv( E2E.siteDir );
	state.siteUrl = ( env.SITE_URL ?? '' ).replace( /\/$/, '' );
	state.adminUser = env.ADMIN_USER ?? 'admin';
	state.adminPass = env.ADMIN_PASS ?? 'password';

	if ( state.senderSkip === null ) {
		state.emulatorPid = startEmulator();
		state.emulatorUrl = `http://127.0.0.1:${ E2E.emulatorPort }`;
		await waitForPort( E2E.emulatorPort, 20_000 );
		await fetch( `${ state.emulatorUrl }/__emulator/faults`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify( { rejectSkus: [ 'E2E-BAD' ] } ),
		} ).then( ( r ) => {
			if ( ! r.ok ) {
				throw new Error( `emulator faults: HTTP ${ r.status }` );
			}
		} );
		const help = senderHelp();
		state.senderHelp = help ?? '';
		if ( help === null ) {
			state.senderSkip =
				'`node dist/cli.js worker --help` failed: the sender command does not run';
		}
	}
	writeFileSync( E2E.stateFile, JSON.stringify( state, null, 2 ) );
	if ( state.senderSkip !== null ) {
		try {
			cannotRun( 'e2e sender part (Playwright)', state.senderSkip );
		} catch ( error ) {
			// CI=true: nothing is left running when the setup fails.
			await globalTeardown();
			throw error;
		}
	}
}
