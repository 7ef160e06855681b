/** @jest-environment node */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { compileLanguages } from '../../scripts/i18n/compile';
import {
	extractFromSource,
	extractProject,
} from '../../scripts/i18n/extract-strings';
import { messageKey, parsePo } from '../../scripts/i18n/gettext';
import { describeOrSkip } from '../helpers/skip';

const root = path.resolve( __dirname, '../..' );
const poFile = path.join( root, 'plugin/languages/keycrm-sync-uk.po' );
const po = parsePo( readFileSync( poFile, 'utf8' ) );
const placeholders = ( s: string ) =>
	( s.match( /%(?:\d+\$)?[sd]/g ) ?? [] )
		.map( ( p ) => p.replace( /^%\d+\$/, '%' ) )
		.sort()
		.join( ' ' );

describe( 'Ukrainian translation', () => {
	const messages = extractProject( root );

	it( 'finds the strings of both the admin app and the PHP plugin', () => {
		const files = new Set(
			messages.flatMap( ( m ) =>
				m.references.map( ( r ) => r.split( ':' )[ 0 ] )
			)
		);
		expect(
			[ ...files ].some( ( f ) => f?.startsWith( 'admin-ui/src/' ) )
		).toBe( true );
		expect( [ ...files ].some( ( f ) => f?.startsWith( 'plugin/' ) ) ).toBe(
			true
		);
		expect( messages.length ).toBeGreaterThan( 100 );
	} );

	it( 'translates every translatable string (run `npx tsx scripts/i18n/extract.ts` to list gaps)', () => {
		const missing = messages
			.filter( ( m ) => {
				const t = po.messages.get( messageKey( m ) );
				return (
					! t ||
					t.msgstr.length < ( m.plural !== undefined ? 3 : 1 ) ||
					t.msgstr.some( ( s ) => s.trim() === '' )
				);
			} )
			.map( ( m ) => `${ m.msgid } (${ m.references[ 0 ] })` );
		expect( missing ).toEqual( [] );
	} );

	it( 'keeps the placeholders of every string', () => {
		const broken = [ ...po.messages.values() ]
			.filter( ( m ) =>
				m.msgstr.some(
					( s ) => placeholders( s ) !== placeholders( m.msgid )
				)
			)
			.map( ( m ) => m.msgid );
		expect( broken ).toEqual( [] );
	} );

	it( 'ships .mo and JSON files built from the current .po', () => {
		for ( const [ name, data ] of compileLanguages( root ) ) {
			const file = path.join( root, 'plugin/languages', name );
			expect(
				existsSync( file )
					? readFileSync( file ).equals( data )
					: `${ name } missing`
			).toBe( true );
		}
	} );

	it( 'writes a JED file WordPress finds for build/admin.js with the plural rule', () => {
		const files = compileLanguages( root );
		// md5( 'build/admin.js' ), the name load_script_textdomain() looks for.
		const jed = JSON.parse(
			files
				.get( 'keycrm-sync-uk-aa377c165c6b87664fc2deacf28cbe53.json' )!
				.toString()
		);
		const data = jed.locale_data.messages;
		expect( data[ '' ].lang ).toBe( 'uk' );
		expect( data[ '' ][ 'plural-forms' ] ).toContain( 'nplurals=3' );
		expect( data[ 'Resync all' ] ).toEqual( [ 'Синхронізувати все' ] );
		expect( data[ '%d minute' ] ).toHaveLength( 3 );
		expect( data[ 'This page needs JavaScript.' ] ).toBeUndefined();
	} );
} );

const msgunfmt = [ '/usr/bin/msgunfmt', '/usr/local/bin/msgunfmt' ].find(
	( p ) => existsSync( p )
);
// Skipped (loudly; a failure under CI=true) where GNU gettext is not installed.
describeOrSkip(
	'.mo file check',
	msgunfmt
		? null
		: 'not installed: msgunfmt (Debian: apt-get install gettext)'
)( 'the .mo file, read back by GNU gettext', () => {
	it( 'holds every translation', () => {
		const mo = path.join( root, 'plugin/languages/keycrm-sync-uk.mo' );
		const text = execFileSync( msgunfmt!, [ mo ], {
			encoding: 'utf8',
		} );
		const back = parsePo( text );
		expect( back.messages.get( 'Not tracked' )?.msgstr ).toEqual( [
			'Не відстежується',
		] );
		expect( back.messages.get( '%d SKU' )?.msgstr ).toHaveLength( 3 );
		expect( back.messages.size ).toBe( po.messages.size );
	} );
} );

describe( 'string extraction', () => {
	it( 'reads __, _n, _x and esc_html__ calls of our text domain only, across lines', () => {
		const source = `<?php
			__( 'One', 'keycrm-sync' );
			__( 'Other domain', 'woocommerce' );
			esc_html__( "Two \\"quoted\\"", 'keycrm-sync' );
			_n(
				'%d item',
				'%d items',
				count( $x ),
				'keycrm-sync'
			);
			_x( 'Post', 'verb', 'keycrm-sync' );
			__( 'It\\'s', 'keycrm-sync' );`;
		const found = extractFromSource( source, 'f.php' ).map( ( m ) => [
			m.msgid,
			m.plural ?? null,
			m.context ?? null,
		] );
		expect( found ).toEqual( [
			[ 'One', null, null ],
			[ 'Two "quoted"', null, null ],
			[ '%d item', '%d items', null ],
			[ 'Post', null, 'verb' ],
			[ "It's", null, null ],
		] );
	} );

	it( 'reads TypeScript and JSX by its syntax: nested calls, split arguments, translators comments', () => {
		const source = `
			const a = sprintf(
				/* translators: %d: number of SKUs. */
				_n( '%d SKU', '%d SKUs', count, 'keycrm-sync' ),
				count
			);
			const b = <p>{ __( 'In JSX (with parentheses)', 'keycrm-sync' ) }</p>;
			const c = __( 'Other domain', 'default' );
			const d = __( \`Template \${ x }\`, 'keycrm-sync' );
			// translators: %s: a SKU.
			const e = sprintf( __( 'SKU %s', 'keycrm-sync' ), sku );`;
		const found = extractFromSource( source, 'f.tsx' );
		expect(
			found.map( ( m ) => [
				m.msgid,
				m.plural ?? null,
				m.comment ?? null,
			] )
		).toEqual( [
			[ '%d SKU', '%d SKUs', '%d: number of SKUs.' ],
			[ 'In JSX (with parentheses)', null, null ],
			[ 'SKU %s', null, '%s: a SKU.' ],
		] );
		expect( found[ 1 ]?.references ).toEqual( [ 'f.tsx:7' ] );
	} );

	it( 'keeps a PHP translators comment with its call only', () => {
		const source = `<?php
			$a = sprintf(
				/* translators: %d: maximum SKU length. */
				__( 'Longer than %d characters', 'keycrm-sync' ),
				255
			);
			$b = __( 'No comment', 'keycrm-sync' );`;
		expect(
			extractFromSource( source, 'f.php' ).map( ( m ) => [
				m.msgid,
				m.comment ?? null,
			] )
		).toEqual( [
			[ 'Longer than %d characters', '%d: maximum SKU length.' ],
			[ 'No comment', null ],
		] );
	} );
} );
