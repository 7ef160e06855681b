/**
 * Shared helpers of the packaging tests: paths, what this machine has, and running commands.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { wordpressDirs } from '../shop/shop';

export const ROOT = resolve( __dirname, '..', '..' );

/**
 * Whether an executable is on PATH.
 *
 * @param name Program name.
 */
export function hasCommand( name: string ): boolean {
	return (
		spawnSync( 'sh', [ '-c', `command -v ${ name }` ], { stdio: 'ignore' } )
			.status === 0
	);
}

const dirs = wordpressDirs( ROOT );
/** WordPress core folder the tests use ('' when there is none: see wordpressMissing()). */
export const WP_CORE_DIR = typeof dirs === 'string' ? '' : dirs.core;
/** Built WooCommerce folder the tests use ('' when there is none). */
export const WC_DIR = typeof dirs === 'string' ? '' : dirs.wc;

/** Why WordPress + WooCommerce directories cannot be used here, or null when they can. */
export function wordpressMissing(): string | null {
	return typeof dirs === 'string' ? dirs : null;
}

/** Result of a finished command. */
export interface RunResult {
	status: number | null;
	stdout: string;
	stderr: string;
}

/**
 * Runs a command to completion.
 *
 * @param cmd       Program.
 * @param args      Arguments.
 * @param timeoutMs Time allowed.
 * @param env       Extra environment.
 */
export function run(
	cmd: string,
	args: string[],
	timeoutMs: number,
	env: NodeJS.ProcessEnv = {}
): RunResult {
	const result = spawnSync( cmd, args, {
		cwd: ROOT,
		encoding: 'utf8',
		timeout: timeoutMs,
		env: { ...process.env, ...env },
		maxBuffer: 64 * 1024 * 1024,
	} );
	return {
		status: result.status,
		stdout: result.stdout ?? '',
		stderr: result.stderr ?? '',
	};
}

/**
 * Builds the admin UI into plugin/build when it is not there yet (the zip ships it).
 */
export function ensureAdminBuild(): void {
	if ( existsSync( join( ROOT, 'plugin', 'build', 'admin.asset.php' ) ) ) {
		return;
	}
	const built = run( 'npm', [ 'run', '--silent', 'build:admin' ], 600_000 );
	if ( built.status !== 0 ) {
		throw new Error(
			`npm run build:admin failed:\n${ built.stdout }\n${ built.stderr }`
		);
	}
}

/**
 * Makes the plugin zip with the project's script.
 *
 * @param outDir    Output folder.
 * @param pluginDir Plugin folder (default plugin/).
 * @return The zip's path, or the failed run.
 */
export function makeZip( outDir: string, pluginDir?: string ): RunResult {
	const args = [
		'--import',
		'tsx',
		'scripts/plugin-zip.ts',
		'--out',
		outDir,
	];
	return run(
		process.execPath,
		pluginDir ? [ ...args, '--plugin', pluginDir ] : args,
		120_000
	);
}

/**
 * Lists a zip's entries (`unzip -Z1`).
 *
 * @param zip Zip path.
 */
export function zipEntries( zip: string ): string[] {
	const listed = run( 'unzip', [ '-Z1', zip ], 30_000 );
	if ( listed.status !== 0 ) {
		throw new Error( `unzip -Z1 ${ zip }: ${ listed.stderr }` );
	}
	return listed.stdout.split( '\n' ).filter( Boolean ).sort();
}

/**
 * Whether something accepts TCP connections on 127.0.0.1:port.
 *
 * @param port Port.
 */
export async function portOpen( port: number ): Promise< boolean > {
	try {
		const response = await fetch( `http://127.0.0.1:${ port }/`, {
			signal: AbortSignal.timeout( 3000 ),
		} );
		await response.body?.cancel();
		return true;
	} catch {
		return false;
	}
}
