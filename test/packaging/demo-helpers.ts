/**
 * Helpers of the demo tests (`npm start`): start and stop the demo, wait on conditions, read the
 * emulator and the plugin's REST API, and record folders to prove the demo left them alone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
	existsSync,
	lstatSync,
	readdirSync,
	readFileSync,
	readlinkSync,
} from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import * as z from 'zod';

import { StatusResponse } from '@keycrm-sync/contract';
import { ROOT, wordpressMissing } from './env';

/**
 * A port from the environment, or the default.
 *
 * @param name     Variable name.
 * @param fallback Default port.
 */
export function envPort( name: string, fallback: number ): number {
	const value = Number( process.env[ name ] ?? fallback );
	if ( ! Number.isInteger( value ) || value < 1 || value > 65535 ) {
		throw new Error( `${ name }=${ process.env[ name ] }: not a port` );
	}
	return value;
}

/** What the demo writes to `<site-dir>/demo.json`. */
export const DemoInfo = z.object( {
	site_url: z.string(),
	emulator_url: z.string(),
	api_key: z.string(),
	admin_user: z.string(),
	app_password: z.string(),
	products: z.array(
		z.object( {
			id: z.number(),
			sku: z.string(),
			type: z.string(),
			stock: z.number().nullable(),
		} )
	),
	wc_version: z.string(),
	wp_version: z.string(),
} );
export type DemoInfo = z.infer< typeof DemoInfo >;

const EmulatorState = z.object( {
	products: z.array(
		z.object( { id: z.number(), has_offers: z.boolean() } )
	),
	stock: z.array(
		z.object( { sku: z.string().nullable(), quantity: z.number() } )
	),
	duplicates: z.number(),
} );
export type EmulatorState = z.infer< typeof EmulatorState >;

/** Why the demo cannot run here, or null. */
export function demoMissing(): string | null {
	if (
		! existsSync( join( ROOT, 'node_modules', '@wp-playground', 'cli' ) )
	) {
		return 'node_modules/@wp-playground/cli is not installed';
	}
	return wordpressMissing();
}

/**
 * Waits until `check()` is true; returns the milliseconds it took.
 *
 * @param what      Name for the error message.
 * @param check     Condition.
 * @param timeoutMs Time allowed.
 */
export async function eventually(
	what: string,
	check: () => Promise< boolean >,
	timeoutMs: number
): Promise< number > {
	const start = Date.now();
	while ( Date.now() - start < timeoutMs ) {
		if ( await check() ) {
			return Date.now() - start;
		}
		await sleep( 1000 );
	}
	throw new Error( `${ what }: not within ${ timeoutMs / 1000 } s` );
}

/** A running `npm start`. */
export interface Demo {
	process: ChildProcess;
	/** Everything it printed so far. */
	output: () => string;
	/** Exit code once it has exited, else undefined. */
	exitCode: () => number | null | undefined;
	/** demo.json, once ready. */
	info: DemoInfo;
}

/**
 * Starts `bash scripts/demo/run.sh` and waits for `[demo] ready`.
 *
 * @param opts              Options.
 * @param opts.port         Shop port.
 * @param opts.emulatorPort Emulator port.
 * @param opts.siteDir      Site folder.
 * @param opts.env          Extra environment.
 */
export async function startDemo( opts: {
	port: number;
	emulatorPort: number;
	siteDir: string;
	env?: NodeJS.ProcessEnv;
} ): Promise< Demo > {
	const child = spawn(
		'bash',
		[
			'scripts/demo/run.sh',
			'--port',
			String( opts.port ),
			'--emulator-port',
			String( opts.emulatorPort ),
			'--site-dir',
			opts.siteDir,
		],
		{
			cwd: ROOT,
			detached: true,
			stdio: [ 'ignore', 'pipe', 'pipe' ],
			env: { ...process.env, ...opts.env },
		}
	);
	let output = '';
	let exitCode: number | null | undefined;
	child.stdout?.on( 'data', ( d: Buffer ) => ( output += d.toString() ) );
	child.stderr?.on( 'data', ( d: Buffer ) => ( output += d.toString() ) );
	child.on( 'exit', ( code ) => ( exitCode = code ) );
	const demo: Demo = {
		process: child,
		output: () => output,
		exitCode: () => exitCode,
		info: undefined as unknown as DemoInfo,
	};
	try {
		await eventually(
			'demo ready',
			async () => {
				if ( exitCode !== undefined ) {
					throw new Error(
						`the demo exited (${ String( exitCode ) }):\n${ output }`
					);
				}
				return output.includes( '[demo] ready' );
			},
			540_000
		);
	} catch ( error ) {
		await killDemo( demo );
		throw error;
	}
	demo.info = DemoInfo.parse(
		JSON.parse( readFileSync( join( opts.siteDir, 'demo.json' ), 'utf8' ) )
	);
	return demo;
}

/**
 * Ctrl-C to the demo's process group; resolves with its exit code.
 *
 * @param demo The demo.
 */
export async function stopDemo( demo: Demo ): Promise< number | null > {
	if ( demo.exitCode() === undefined ) {
		process.kill( -( demo.process.pid ?? 0 ), 'SIGINT' );
	}
	await eventually(
		'demo exit',
		async () => demo.exitCode() !== undefined,
		60_000
	);
	return demo.exitCode() ?? null;
}

/**
 * Stops what is left of a demo (afterAll, also after a failed test): Ctrl-C first, because the
 * demo's children (shop, emulator, sender) run in their own process groups and only the demo
 * stops them; SIGKILL to the demo's group if it has not exited within a minute.
 *
 * @param demo The demo, if it started.
 */
export async function killDemo( demo: Demo | undefined ): Promise< void > {
	const pid = demo?.process.pid;
	if ( ! demo || ! pid || demo.exitCode() !== undefined ) {
		return;
	}
	try {
		await stopDemo( demo );
	} catch {
		try {
			process.kill( -pid, 'SIGKILL' );
		} catch {
			// Already gone.
		}
	}
}

/**
 * The emulator's whole state (control API, no rate limit).
 *
 * @param emulatorUrl Emulator origin.
 */
export async function emulatorState(
	emulatorUrl: string
): Promise< EmulatorState > {
	const response = await fetch( `${ emulatorUrl }/__emulator/state` );
	return EmulatorState.parse( await response.json() );
}

/**
 * keyCRM stock by SKU.
 *
 * @param emulatorUrl Emulator origin.
 */
export async function emulatorStock(
	emulatorUrl: string
): Promise< Map< string, number > > {
	const state = await emulatorState( emulatorUrl );
	expect( state.duplicates ).toBe( 0 );
	return new Map(
		state.stock.flatMap( ( s ) =>
			s.sku === null ? [] : [ [ s.sku, s.quantity ] ]
		)
	);
}

/**
 * Authorization header of the demo's application password.
 *
 * @param info demo.json.
 */
export function demoAuth( info: DemoInfo ): string {
	return `Basic ${ Buffer.from( `${ info.admin_user }:${ info.app_password }` ).toString( 'base64' ) }`;
}

/**
 * GET a plugin REST route with the demo's application password.
 *
 * @param info  demo.json.
 * @param route Route with query, e.g. `/keycrm-sync/v1/status`.
 */
export async function pluginGet( info: DemoInfo, route: string ) {
	const [ path, query ] = route.split( '?' );
	const response = await fetch(
		`${ info.site_url }/?rest_route=${ encodeURIComponent( path ?? '' ) }${ query ? `&${ query }` : '' }`,
		{ headers: { Authorization: demoAuth( info ) } }
	);
	expect( response.status ).toBe( 200 );
	return ( await response.json() ) as unknown;
}

/**
 * The Overview's numbers (`GET keycrm-sync/v1/status`).
 *
 * @param info demo.json.
 */
export async function pluginStatus( info: DemoInfo ) {
	return StatusResponse.parse(
		await pluginGet( info, '/keycrm-sync/v1/status' )
	);
}

/** One entry of a folder record. */
interface Entry {
	kind: 'file' | 'dir' | 'symlink' | 'other';
	size: number;
	mtimeMs: number;
	mode: number;
	/** sha1 of a file's bytes, a symlink's target. */
	content: string;
}

/**
 * Records a folder: every entry below it (not following symlinks) with kind, size, mtime, mode
 * and content (file hash or link target). A path that is itself a symlink is recorded as the
 * link plus the folder it points to.
 *
 * @param path Folder or symlink to a folder.
 */
export function recordTree( path: string ): Map< string, Entry > {
	const out = new Map< string, Entry >();
	const visit = ( full: string, rel: string ): void => {
		const st = lstatSync( full );
		const base = { size: st.size, mtimeMs: st.mtimeMs, mode: st.mode };
		if ( st.isSymbolicLink() ) {
			out.set( rel, {
				kind: 'symlink',
				...base,
				content: readlinkSync( full ),
			} );
			return;
		}
		if ( st.isDirectory() ) {
			out.set( rel, { kind: 'dir', ...base, content: '' } );
			for ( const name of readdirSync( full ).sort() ) {
				visit(
					join( full, name ),
					rel === '' ? name : `${ rel }/${ name }`
				);
			}
			return;
		}
		out.set( rel, {
			kind: st.isFile() ? 'file' : 'other',
			...base,
			content: st.isFile()
				? createHash( 'sha1' )
						.update( readFileSync( full ) )
						.digest( 'hex' )
				: '',
		} );
	};
	if ( lstatSync( path ).isSymbolicLink() ) {
		out.set( '<link>', {
			kind: 'symlink',
			size: 0,
			mtimeMs: lstatSync( path ).mtimeMs,
			mode: 0,
			content: readlinkSync( path ),
		} );
		visit( join( path, '.' ), '' );
	} else {
		visit( path, '' );
	}
	return out;
}

/**
 * Differences between two folder records, as readable lines ([] when equal).
 *
 * @param before Record before.
 * @param after  Record after.
 */
export function treeChanges(
	before: Map< string, Entry >,
	after: Map< string, Entry >
): string[] {
	const changes: string[] = [];
	for ( const [ rel, entry ] of after ) {
		const was = before.get( rel );
		if ( ! was ) {
			changes.push( `added ${ rel || '.' } (${ entry.kind })` );
		} else if ( JSON.stringify( was ) !== JSON.stringify( entry ) ) {
			changes.push(
				`changed ${ rel || '.' }: ${ JSON.stringify( was ) } -> ${ JSON.stringify( entry ) }`
			);
		}
	}
	for ( const rel of before.keys() ) {
		if ( ! after.has( rel ) ) {
			changes.push( `removed ${ rel || '.' }` );
		}
	}
	return changes;
}
