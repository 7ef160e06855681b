/**
 * `push --watch DIR`: pushes every export that appears in DIR once it is
 * fully written (its size and modification time unchanged over one poll),
 * then moves it to DIR/done/ or DIR/failed/ with a report next to it, and
 * keeps watching until stopped (SIGINT/SIGTERM).
 *
 * A CommerceML pair (`import….xml` + `offers….xml` with the same suffix) is
 * pushed as one export; an `import….xml` alone waits two more polls for its
 * `offers….xml` (1C writes import first) before it is pushed alone.
 * Polling, not fs.watch: it works the same on network shares, where ERPs
 * usually drop their exports, and a half-written file is never picked.
 */
import { mkdir, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

import type { Clock } from '../util/clock.js';

export interface WatchOptions {
	dir: string;
	pollMs: number;
	clock: Clock;
	signal: AbortSignal;
	/** Pushes one export; `log` collects the report's lines. Resolves with the exit code. */
	push: (
		files: string[],
		log: ( line: string ) => void
	) => Promise< number >;
	/** Progress lines (stdout). */
	print: ( line: string ) => void;
	/** Called after every poll (tests). */
	onPoll?: () => void | Promise< void >;
}

/** Names that are never exports: hidden, Office lock files, partial downloads, reports. */
const IGNORED = /^(\.|~\$)|\.(tmp|part|partial|crdownload|swp|report\.txt)$/i;

const PAIR = /^(import|offers)(.*)\.xml$/i;

interface Seen {
	size: number;
	mtimeMs: number;
	stablePolls: number;
}

/** Exit codes that count as done (3: pushed with skipped rows). */
const DONE_CODES = new Set( [ 0, 3 ] );

const MEANING: Record< number, string > = {
	0: 'done',
	1: 'keyCRM error',
	2: 'invalid file: nothing was sent',
	3: 'done; some rows were skipped',
};

/**
 * Watches a folder until `signal` aborts.
 *
 * @param opts Options.
 */
export async function watchFolder( opts: WatchOptions ): Promise< void > {
	const seen = new Map< string, Seen >();
	await mkdir( join( opts.dir, 'done' ), { recursive: true } );
	await mkdir( join( opts.dir, 'failed' ), { recursive: true } );
	opts.print(
		`Watching ${ opts.dir } (every ${ opts.pollMs / 1000 } s); pushed files go to done/ or failed/.`
	);
	while ( ! opts.signal.aborted ) {
		await poll( opts, seen );
		await opts.onPoll?.();
		try {
			await opts.clock.sleep( opts.pollMs, opts.signal );
		} catch {
			break;
		}
	}
	opts.print( `Stopped watching ${ opts.dir }.` );
}

/**
 * One poll: update what is seen, push what is ready.
 *
 * @param opts Options.
 * @param seen State per file name.
 */
async function poll(
	opts: WatchOptions,
	seen: Map< string, Seen >
): Promise< void > {
	const names: string[] = [];
	for ( const entry of await readdir( opts.dir, { withFileTypes: true } ) ) {
		if ( ! entry.isFile() || IGNORED.test( entry.name ) ) {
			continue;
		}
		names.push( entry.name );
		let s;
		try {
			s = await stat( join( opts.dir, entry.name ) );
		} catch {
			continue; // Moved away meanwhile.
		}
		const before = seen.get( entry.name );
		const same =
			before && before.size === s.size && before.mtimeMs === s.mtimeMs;
		seen.set( entry.name, {
			size: s.size,
			mtimeMs: s.mtimeMs,
			stablePolls: same ? before.stablePolls + 1 : 0,
		} );
	}
	for ( const name of [ ...seen.keys() ] ) {
		if ( ! names.includes( name ) ) {
			seen.delete( name );
		}
	}
	for ( const group of exports( names.sort() ) ) {
		const ready = group.every(
			( n ) => ( seen.get( n )?.stablePolls ?? 0 ) >= 1
		);
		const lonelyImport =
			group.length === 1 &&
			/^import/i.test( group[ 0 ] as string ) &&
			PAIR.test( group[ 0 ] as string );
		if (
			! ready ||
			( lonelyImport &&
				( seen.get( group[ 0 ] as string )?.stablePolls ?? 0 ) < 3 )
		) {
			continue;
		}
		await pushGroup( opts, group );
		group.forEach( ( n ) => seen.delete( n ) );
		if ( opts.signal.aborted ) {
			return;
		}
	}
}

/**
 * Groups file names into exports (CommerceML pairs by suffix, every other file alone).
 *
 * @param names File names.
 */
function exports( names: string[] ): string[][] {
	const pairs = new Map< string, string[] >();
	const out: string[][] = [];
	for ( const n of names ) {
		const m = PAIR.exec( n );
		if ( ! m ) {
			out.push( [ n ] );
			continue;
		}
		const key = ( m[ 2 ] ?? '' ).toLowerCase();
		pairs.set( key, [ ...( pairs.get( key ) ?? [] ), n ] );
	}
	return [ ...out, ...pairs.values() ];
}

/**
 * Pushes one export and files it under done/ or failed/ with its report.
 *
 * @param opts  Options.
 * @param group File names.
 */
async function pushGroup(
	opts: WatchOptions,
	group: string[]
): Promise< void > {
	const paths = group.map( ( n ) => join( opts.dir, n ) );
	const report: string[] = [
		`keycrm-sync push: ${ group.join( ' + ' ) }`,
		`started ${ new Date( opts.clock.now() ).toISOString() }`,
	];
	opts.print( `Pushing ${ group.join( ' + ' ) }` );
	let code: number;
	try {
		code = await opts.push( paths, ( line ) => report.push( line ) );
	} catch ( error ) {
		report.push(
			`error: ${ error instanceof Error ? error.message : String( error ) }`
		);
		code = 1;
	}
	report.push( `exit ${ code }: ${ MEANING[ code ] ?? 'error' }` );
	const target = join( opts.dir, DONE_CODES.has( code ) ? 'done' : 'failed' );
	const stamp = new Date( opts.clock.now() )
		.toISOString()
		.replace( /[:.]/g, '-' );
	const existing = new Set( await readdir( target ) );
	for ( const p of paths ) {
		const name = basename( p );
		await rename(
			p,
			join( target, existing.has( name ) ? `${ stamp }-${ name }` : name )
		);
	}
	const first = group[ 0 ] as string;
	const reportName = existing.has( first ) ? `${ stamp }-${ first }` : first;
	await writeFile(
		join( target, `${ reportName }.report.txt` ),
		`${ report.join( '\n' ) }\n`
	);
	opts.print(
		`${ group.join( ' + ' ) } → ${ basename( target ) }/ (exit ${ code }: ${ MEANING[ code ] ?? 'error' })`
	);
}
