/**
 * Shared constants and state of the e2e run (written by global-setup, read by tests/teardown).
 */
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(
	path.dirname( fileURLToPath( import.meta.url ) ),
	'../..'
);

const shopPort = Number( process.env.KCS_E2E_SHOP_PORT ?? 8140 );

export const E2E = {
	root,
	artifacts: path.join( root, 'artifacts/e2e' ),
	stateFile: path.join( root, 'artifacts/e2e/state.json' ),
	siteDir: process.env.KCS_E2E_SITE ?? `/tmp/kcs-ui-shop-${ shopPort }`,
	shopPort,
	emulatorPort: Number( process.env.KCS_E2E_EMULATOR_PORT ?? 9440 ),
	/** The key the emulator accepts (a test value, not a secret). */
	apiKey: 'e2e-test-key-7f3a',
};

export interface E2eState {
	/** Why the whole suite is skipped, or null. */
	skip: string | null;
	/** Why the sender part is skipped, or null. */
	senderSkip: string | null;
	siteDir: string;
	siteUrl: string;
	adminUser: string;
	adminPass: string;
	emulatorUrl: string;
	emulatorPid: number;
	workerPid: number;
	senderHelp: string;
}

/** Reads the state global-setup wrote. */
export function readState(): E2eState {
	if ( ! existsSync( E2E.stateFile ) ) {
		throw new Error(
			`${ E2E.stateFile } is missing: run the tests through playwright.config.ts`
		);
	}
	return JSON.parse( readFileSync( E2E.stateFile, 'utf8' ) ) as E2eState;
}

/**
 * Resolves when 127.0.0.1:port accepts connections.
 *
 * @param port      TCP port.
 * @param timeoutMs Give up after this long.
 */
export async function waitForPort(
	port: number,
	timeoutMs: number
): Promise< void > {
	const until = Date.now() + timeoutMs;
	while ( Date.now() < until ) {
		const open = await new Promise< boolean >( ( resolve ) => {
			const socket = connect( port, '127.0.0.1' );
			socket.once( 'connect', () => {
				socket.end();
				resolve( true );
			} );
			socket.once( 'error', () => resolve( false ) );
		} );
		if ( open ) {
			return;
		}
		await new Promise( ( r ) => setTimeout( r, 200 ) );
	}
	throw new Error(
		`nothing listens on 127.0.0.1:${ port } after ${ timeoutMs } ms`
	);
}
