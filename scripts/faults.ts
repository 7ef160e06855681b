/**
 * `npm run faults`: the bad-input and fault suite, reported as figures. Runs the jest fault
 * suites (test/faults, the convergence run under faults) and the PHP ones on a real shop
 * (test/php/Faults, `--filter Faults`), each recording every input it tried in a JSON-lines file
 * (test/faults/figures.ts, test/php/Faults/FaultFigures.php), then prints one row per boundary:
 * inputs tried, how they were answered, good items lost.
 *
 * Usage: node --import tsx scripts/faults.ts [--no-php]
 * Env: KCS_TEST_PORT / KCS_TEST_EMULATOR_PORT for the PHP suites (see test/php/run.sh).
 * Exit: 0 when every suite passed and nothing was lost; 1 otherwise; 77 when the PHP suites could
 * not run (no WordPress) and CI is not set.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { Figure } from '../test/faults/figures';

const ROOT = resolve( dirname( fileURLToPath( import.meta.url ) ), '..' );
const dir = mkdtempSync( join( tmpdir(), 'kcs-faults-' ) );
const out = join( dir, 'figures.jsonl' );
const env = { ...process.env, KCS_FAULTS_OUT: out };

/**
 * Runs one stage, output passed through; returns its exit code.
 *
 * @param name Stage name.
 * @param cmd  Program.
 * @param args Arguments.
 */
function stage( name: string, cmd: string, args: string[] ): number {
	process.stdout.write( `\n==> ${ name }: ${ cmd } ${ args.join( ' ' ) }\n` );
	const r = spawnSync( cmd, args, { cwd: ROOT, env, stdio: 'inherit' } );
	return r.status ?? 1;
}

const codes: Record< string, number > = {};
codes.jest = stage( 'jest fault suites', 'npx', [
	'wp-scripts',
	'test-unit-js',
	'--config',
	'jest.config.cjs',
	'test/faults',
	'test/sender/convergence.test.ts',
] );
if ( ! process.argv.includes( '--no-php' ) ) {
	codes.php = stage( 'PHP fault suites (real shop)', 'bash', [
		'test/php/run.sh',
		'--filter',
		'Faults',
	] );
}

let figures: Figure[] = [];
try {
	figures = readFileSync( out, 'utf8' )
		.split( '\n' )
		.filter( ( l ) => l.trim() !== '' )
		.map( ( l ) => JSON.parse( l ) as Figure );
} catch {
	// Nothing recorded: every suite failed before its first input.
}
rmSync( dir, { recursive: true, force: true } );

interface Row {
	inputs: number;
	error: number;
	skip: number;
	accepted: number;
	recovered: number;
	lost: number;
}
const rows = new Map< string, Row >();
for ( const f of figures ) {
	const row = rows.get( f.boundary ) ?? {
		inputs: 0,
		error: 0,
		skip: 0,
		accepted: 0,
		recovered: 0,
		lost: 0,
	};
	row.inputs++;
	row[ f.answer ]++;
	row.lost += f.lost;
	rows.set( f.boundary, row );
}
const total: Row = {
	inputs: 0,
	error: 0,
	skip: 0,
	accepted: 0,
	recovered: 0,
	lost: 0,
};
const lines = [
	'| boundary | inputs tried | refused with a clear error | bad part skipped, rest applied | valid edge case, applied as meant | keyCRM fault met, retried or waited | items lost |',
	'| --- | --- | --- | --- | --- | --- | --- |',
];
for ( const [ boundary, r ] of rows ) {
	lines.push(
		`| ${ boundary } | ${ r.inputs } | ${ r.error } | ${ r.skip } | ${ r.accepted } | ${ r.recovered } | ${ r.lost } |`
	);
	for ( const k of Object.keys( total ) as ( keyof Row )[] ) {
		total[ k ] += r[ k ];
	}
}
lines.push(
	`| **all** | ${ total.inputs } | ${ total.error } | ${ total.skip } | ${ total.accepted } | ${ total.recovered } | ${ total.lost } |`
);
process.stdout.write( `\n${ lines.join( '\n' ) }\n\n` );
/**
 * A stage's exit code in words.
 *
 * @param code Exit code.
 */
function verdict( code: number ): string {
	if ( code === 0 ) {
		return 'passed';
	}
	return code === 77 ? 'skipped' : 'FAILED';
}
const failed = Object.entries( codes ).filter(
	( [ , c ] ) => c !== 0 && c !== 77
);
const skipped = Object.entries( codes ).filter( ( [ , c ] ) => c === 77 );
process.stdout.write(
	`suites: ${ Object.entries( codes )
		.map( ( [ n, c ] ) => `${ n } ${ verdict( c ) }` )
		.join( ', ' ) }; items lost: ${ total.lost }\n`
);
if ( failed.length > 0 || total.lost > 0 ) {
	process.exit( 1 );
}
if ( skipped.length > 0 ) {
	const ci = process.env.CI ?? '';
	process.exit( ci !== '' && ci !== '0' && ci !== 'false' ? 1 : 77 );
}
