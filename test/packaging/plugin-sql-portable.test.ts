/** @jest-environment node */
/*
 * The plugin's SQL runs on MySQL/MariaDB in shops and on SQLite in the demo (WordPress
 * Playground's MySQL-on-SQLite driver). That driver evaluates MySQL's IF() to its else branch
 * (its IF() function compares the condition with PHP `true`, and SQLite hands it 1), which once
 * left every acknowledged outbox row pending in the demo. CASE WHEN works on both.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { ROOT } from './env';

test( 'plugin SQL uses CASE WHEN, not IF()', () => {
	const dir = join( ROOT, 'plugin', 'includes' );
	const offenders = readdirSync( dir, { recursive: true, encoding: 'utf8' } )
		.filter( ( rel ) => rel.endsWith( '.php' ) )
		.flatMap( ( rel ) =>
			readFileSync( join( dir, rel ), 'utf8' )
				.split( '\n' )
				.map( ( line, i ) => ( { line, at: `${ rel }:${ i + 1 }` } ) )
				// Upper-case IF( in code, not in comments (PHP's own `if (` is lower case).
				.filter(
					( { line } ) =>
						/(^|[^A-Za-z_])IF\s*\(/.test( line ) &&
						! /^\s*(\*|\/\/)/.test( line )
				)
				.map( ( { at, line } ) => `${ at }: ${ line.trim() }` )
		);
	expect( offenders ).toEqual( [] );
} );
