/**
 * Starts what the e2e tests drive: a fresh WordPress + WooCommerce shop with the plugin (via the
 * shared wp-harness), seeded products, the keyCRM emulator with a 422 fault on one SKU, and
 * records how to start the sender. Writes artifacts/e2e/state.json for the tests and teardown.
 * When WordPress or WooCommerce is not on disk it records the reason and the tests skip.
 */
import { execFileSync, spawn } from 'node:child_process';
import {
	existsSync,
	mkdirSync,
	openSync,
	readFileSync,
	writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

import { E2E, type E2eState, waitForPort } from './e2e-state';

function siteEnv( siteDir: string ): Record< string, string > {
	const env: Record< string, string > = {};
	for ( const line of readFileSync(
		path.join( siteDir, 'site.env' ),
		'utf8'
	).split( '\n' ) ) {
		const m = /^(?:export\s+)?(\w+)=['"]?(.*?)['"]?$/.exec( line.trim() );
		if ( m ) {
			env[ m[ 1 ]! ] = m[ 2 ]!;
		}
	}
	return env;
}

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

/**
 * A fresh shop with the plugin and the seeded products.
 *
 * @param core WordPress core directory.
 * @param wc   Built WooCommerce directory.
 */
function startShop( core: string, wc: string ): void {
	execFileSync(
		path.join( E2E.harness, 'wp-up.sh' ),
		[
			'--core',
			core,
			'--wc',
			wc,
			'--plugin',
			path.join( E2E.root, 'plugin' ),
			'--site',
			E2E.siteDir,
			'--port',
			String( E2E.shopPort ),
			'--force',
		],
		{ stdio: [ 'ignore', 'inherit', 'inherit' ], timeout: 300_000 }
	);
	execFileSync(
		path.join( E2E.harness, 'wp-eval.sh' ),
		[ E2E.siteDir, path.join( E2E.root, 'test/e2e/seed-products.php' ) ],
		{ stdio: 'inherit', timeout: 60_000 }
	);
}

/** Playwright global setup. */
export default async function globalSetup(): Promise< void > {
	mkdirSync( E2E.artifacts, { recursive: true } );
	const core =
		process.env.WP_CORE_DIR ??
		path.join( homedir(), '.cache/wp-test-env/wordpress' );
	const wc =
		process.env.WC_DIR ??
		path.join( homedir(), '.cache/wp-test-env/woocommerce' );
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
	if (
		! existsSync( path.join( core, 'wp-settings.php' ) ) ||
		! existsSync( path.join( wc, 'woocommerce.php' ) )
	) {
		state.skip = `WordPress (${ core }) or WooCommerce (${ wc }) not found: set WP_CORE_DIR and WC_DIR to run the e2e tests`;
		writeFileSync( E2E.stateFile, JSON.stringify( state ) );
		return;
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
		startShop( core, wc );
	}
	const env = siteEnv( E2E.siteDir );
	state.siteUrl = ( env.SITE_URL ?? '' ).replace( /\/$/, '' );
	state.adminUser = env.ADMIN_USER ?? 'admin';
	state.adminPass = env.ADMIN_PASS ?? 'password';

	if ( ! existsSync( path.join( E2E.root, 'dist/cli.js' ) ) ) {
		state.senderSkip =
			'dist/cli.js is missing: run `npm run build:sender` to run the sender part';
	} else {
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
				'`node dist/cli.js worker` is not available yet (the sender command is built by another part of the project)';
		}
	}
	writeFileSync( E2E.stateFile, JSON.stringify( state, null, 2 ) );
}
