/**
 * Small gettext toolkit for the plugin (wp-cli's i18n commands are not available here):
 * extract translatable strings from admin-ui/ and plugin/, parse .po files, write .mo files and
 * the JED 1.x JSON files WordPress loads for scripts (wp_set_script_translations).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export const TEXT_DOMAIN = 'keycrm-sync';

/** One translatable message. */
export interface Message {
	context?: string;
	msgid: string;
	plural?: string;
	/** Translations: one entry, or one per plural form. */
	msgstr: string[];
	/** file:line where the string is used. */
	references: string[];
	/** `translators:` comment. */
	comment?: string;
}

/**
 * Key of a message: context + EOT + msgid, as in .mo and JED files.
 * @param m
 */
export function messageKey( m: Pick< Message, 'context' | 'msgid' > ): string {
	return m.context ? `${ m.context }\u0004${ m.msgid }` : m.msgid;
}

/* -------------------------------- extraction -------------------------------- */

const STR = String.raw`('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")`;
const SEP = String.raw`\s*,\s*`;
const ARG = String.raw`[^,()]+(?:\([^()]*\))?`;
const FUNCS: Array< {
	re: RegExp;
	map: ( g: string[] ) => Omit< Message, 'msgstr' | 'references' >;
} > = [
	{
		re: new RegExp(
			String.raw`\b(?:__|_e|esc_html__|esc_html_e|esc_attr__|esc_attr_e)\(\s*${ STR }${ SEP }${ STR }\s*\)`,
			'g'
		),
		map: ( g ) => ( { msgid: g[ 0 ]!, domain: g[ 1 ] } ) as never,
	},
	{
		re: new RegExp(
			String.raw`\b(?:_x|esc_html_x|esc_attr_x)\(\s*${ STR }${ SEP }${ STR }${ SEP }${ STR }\s*\)`,
			'g'
		),
		map: ( g ) =>
			( { msgid: g[ 0 ]!, context: g[ 1 ], domain: g[ 2 ] } ) as never,
	},
	{
		re: new RegExp(
			String.raw`\b_n\(\s*${ STR }${ SEP }${ STR }${ SEP }${ ARG }${ SEP }${ STR }\s*\)`,
			'g'
		),
		map: ( g ) =>
			( { msgid: g[ 0 ]!, plural: g[ 1 ], domain: g[ 2 ] } ) as never,
	},
	{
		re: new RegExp(
			String.raw`\b_nx\(\s*${ STR }${ SEP }${ STR }${ SEP }${ ARG }${ SEP }${ STR }${ SEP }${ STR }\s*\)`,
			'g'
		),
		map: ( g ) =>
			( {
				msgid: g[ 0 ]!,
				plural: g[ 1 ],
				context: g[ 2 ],
				domain: g[ 3 ],
			} ) as never,
	},
];

/**
 * Value of a quoted JS/PHP string literal (handles the escapes used in practice).
 *
 * @param literal The literal with its quotes.
 */
export function unquote( literal: string ): string {
	const q = literal[ 0 ];
	const body = literal.slice( 1, -1 );
	return body.replace( /\\(.)/g, ( _m, c: string ) => {
		if ( c === 'n' && q === '"' ) {
			return '\n';
		}
		if ( c === 't' && q === '"' ) {
			return '\t';
		}
		return c === q || c === '\\' ? c : `\\${ c }`;
	} );
}

function translatorsComment(
	source: string,
	index: number
): string | undefined {
	const before = source.slice( Math.max( 0, index - 300 ), index );
	const m = /translators:\s*([^*\n]*?)\s*(?:\*\/|\n)[^]*$/.exec( before );
	return m?.[ 1 ]?.trim() || undefined;
}

/**
 * Translatable strings of one source file (only calls with the plugin's text domain).
 *
 * @param source File contents.
 * @param file   Path used in references.
 */
export function extractFromSource( source: string, file: string ): Message[] {
	const out: Message[] = [];
	for ( const { re, map } of FUNCS ) {
		re.lastIndex = 0;
		for ( let m = re.exec( source ); m; m = re.exec( source ) ) {
			const groups = m.slice( 1 ).map( ( g ) => unquote( g ?? '' ) );
			const found = map( groups ) as Omit<
				Message,
				'msgstr' | 'references'
			> & { domain?: string };
			if ( found.domain !== TEXT_DOMAIN ) {
				continue;
			}
			const line = source.slice( 0, m.index ).split( '\n' ).length;
			const msg: Message = {
				msgid: found.msgid,
				msgstr: [],
				references: [ `${ file }:${ line }` ],
			};
			if ( found.context ) {
				msg.context = found.context;
			}
			if ( found.plural ) {
				msg.plural = found.plural;
			}
			const comment = translatorsComment( source, m.index );
			if ( comment ) {
				msg.comment = comment;
			}
			out.push( msg );
		}
	}
	return out;
}

function walk( dir: string, exts: string[], skip: string[] ): string[] {
	const files: string[] = [];
	for ( const name of readdirSync( dir ) ) {
		const full = path.join( dir, name );
		if ( skip.includes( name ) ) {
			continue;
		}
		if ( statSync( full ).isDirectory() ) {
			files.push( ...walk( full, exts, skip ) );
		} else if (
			exts.some( ( e ) => name.endsWith( e ) ) &&
			! name.endsWith( '.d.ts' )
		) {
			files.push( full );
		}
	}
	return files.sort();
}

/**
 * All translatable strings of a folder, merged by key.
 *
 * @param root Repository root.
 * @param dir  Folder relative to root (admin-ui/src or plugin).
 * @param exts File extensions to read.
 */
export function extractFolder(
	root: string,
	dir: string,
	exts: string[]
): Message[] {
	const merged = new Map< string, Message >();
	for ( const file of walk( path.join( root, dir ), exts, [
		'node_modules',
		'build',
		'vendor',
		'languages',
	] ) ) {
		const rel = path.relative( root, file );
		for ( const msg of extractFromSource(
			readFileSync( file, 'utf8' ),
			rel
		) ) {
			const key = messageKey( msg );
			const prev = merged.get( key );
			if ( prev ) {
				prev.references.push( ...msg.references );
				prev.plural ??= msg.plural;
				prev.comment ??= msg.comment;
			} else {
				merged.set( key, msg );
			}
		}
	}
	return [ ...merged.values() ];
}

/* -------------------------------- .po parsing -------------------------------- */

/** A parsed .po file: header fields and messages by key. */
export interface PoFile {
	headers: Record< string, string >;
	messages: Map< string, Message >;
}

function poString( line: string ): string {
	const m = /^"(.*)"\s*$/.exec( line.trim() );
	if ( ! m ) {
		throw new Error( `Bad .po string line: ${ line }` );
	}
	return m[ 1 ]!.replace(
		/\\(["\\nt])/g,
		( _x, c: string ) => ( { n: '\n', t: '\t' } )[ c ] ?? c
	);
}

/**
 * Parses a .po file.
 *
 * @param text File contents.
 */
export function parsePo( text: string ): PoFile {
	const messages = new Map< string, Message >();
	let headers: Record< string, string > = {};
	const blocks = text.replace( /\r\n/g, '\n' ).split( /\n\s*\n/ );
	for ( const block of blocks ) {
		const entry: Record< string, string > = {};
		let current = '';
		for ( const raw of block.split( '\n' ) ) {
			const line = raw.trim();
			if ( line === '' || line.startsWith( '#' ) ) {
				continue;
			}
			const m =
				/^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")$/.exec(
					line
				);
			if ( m ) {
				current = m[ 1 ]!;
				entry[ current ] = poString( m[ 2 ]! );
			} else if ( current ) {
				entry[ current ] += poString( line );
			}
		}
		if ( entry.msgid === undefined ) {
			continue;
		}
		const msgstr =
			entry.msgid_plural !== undefined
				? Object.keys( entry )
						.filter( ( k ) => k.startsWith( 'msgstr[' ) )
						.sort()
						.map( ( k ) => entry[ k ]! )
				: [ entry.msgstr ?? '' ];
		if ( entry.msgid === '' && ! entry.msgctxt ) {
			headers = Object.fromEntries(
				( msgstr[ 0 ] ?? '' )
					.split( '\n' )
					.filter( Boolean )
					.map( ( l ) => {
						const i = l.indexOf( ':' );
						return [
							l.slice( 0, i ).trim(),
							l.slice( i + 1 ).trim(),
						];
					} )
			);
			continue;
		}
		const msg: Message = { msgid: entry.msgid, msgstr, references: [] };
		if ( entry.msgctxt !== undefined ) {
			msg.context = entry.msgctxt;
		}
		if ( entry.msgid_plural !== undefined ) {
			msg.plural = entry.msgid_plural;
		}
		messages.set( messageKey( msg ), msg );
	}
	return { headers, messages };
}

/* -------------------------------- output -------------------------------- */

/**
 * A binary .mo file (little endian, no hash table) from translated messages.
 *
 * @param po Parsed .po file; untranslated messages are left out.
 */
export function buildMo( po: PoFile ): Buffer {
	const header = Object.entries( po.headers )
		.map( ( [ k, v ] ) => `${ k }: ${ v }\n` )
		.join( '' );
	const entries: Array< [ string, string ] > = [ [ '', header ] ];
	for ( const m of po.messages.values() ) {
		if ( m.msgstr.every( ( s ) => s === '' ) ) {
			continue;
		}
		const key =
			messageKey( m ) +
			( m.plural !== undefined ? `\0${ m.plural }` : '' );
		entries.push( [ key, m.msgstr.join( '\0' ) ] );
	}
	entries.sort( ( a, b ) =>
		Buffer.compare( Buffer.from( a[ 0 ] ), Buffer.from( b[ 0 ] ) )
	);
	const n = entries.length;
	const origTable = 28;
	const transTable = origTable + n * 8;
	let offset = transTable + n * 8;
	const head = Buffer.alloc( offset );
	head.writeUInt32LE( 0x950412de, 0 );
	head.writeUInt32LE( 0, 4 );
	head.writeUInt32LE( n, 8 );
	head.writeUInt32LE( origTable, 12 );
	head.writeUInt32LE( transTable, 16 );
	head.writeUInt32LE( 0, 20 );
	head.writeUInt32LE( offset, 24 );
	const chunks: Buffer[] = [];
	const place = ( s: string, table: number, i: number ) => {
		const bytes = Buffer.from( s, 'utf8' );
		head.writeUInt32LE( bytes.length, table + i * 8 );
		head.writeUInt32LE( offset, table + i * 8 + 4 );
		chunks.push( bytes, Buffer.from( [ 0 ] ) );
		offset += bytes.length + 1;
	};
	entries.forEach( ( [ k ], i ) => place( k, origTable, i ) );
	entries.forEach( ( [ , v ], i ) => place( v, transTable, i ) );
	return Buffer.concat( [ head, ...chunks ] );
}

/**
 * The JED 1.x JSON WordPress reads for a script, holding only the given messages.
 *
 * @param po     Parsed .po file.
 * @param keys   Keys of the messages the script uses.
 * @param source Script path relative to the plugin root (e.g. build/admin.js).
 */
export function buildJed(
	po: PoFile,
	keys: Set< string >,
	source: string
): string {
	const data: Record< string, unknown > = {
		'': {
			domain: 'messages',
			lang: po.headers.Language ?? '',
			'plural-forms': po.headers[ 'Plural-Forms' ] ?? '',
		},
	};
	for ( const [ key, m ] of [ ...po.messages.entries() ].sort( ( a, b ) =>
		a[ 0 ].localeCompare( b[ 0 ] )
	) ) {
		if ( keys.has( key ) && m.msgstr.some( ( s ) => s !== '' ) ) {
			data[ key ] = m.msgstr;
		}
	}
	return `${ JSON.stringify( {
		'translation-revision-date': po.headers[ 'PO-Revision-Date' ] ?? '',
		generator: 'keycrm-sync scripts/i18n',
		source,
		domain: 'messages',
		locale_data: { messages: data },
	} ) }\n`;
}

/**
 * File name WordPress looks for: {domain}-{locale}-{md5(script path relative to the plugin)}.json.
 *
 * @param locale Locale, e.g. uk.
 * @param source Script path relative to the plugin root.
 */
export function jedFileName( locale: string, source: string ): string {
	return `${ TEXT_DOMAIN }-${ locale }-${ createHash( 'md5' ).update( source ).digest( 'hex' ) }.json`;
}

/**
 * A .pot template of the given messages.
 *
 * @param messages Extracted messages.
 */
export function buildPot( messages: Message[] ): string {
	const q = ( s: string ) =>
		`"${ s.replace( /\\/g, '\\\\' ).replace( /"/g, '\\"' ).replace( /\n/g, '\\n' ) }"`;
	const out = [
		'msgid ""',
		'msgstr ""',
		q( 'Content-Type: text/plain; charset=UTF-8\n' ),
		q( `X-Domain: ${ TEXT_DOMAIN }\n` ),
		'',
	];
	for ( const m of messages ) {
		if ( m.comment ) {
			out.push( `#. translators: ${ m.comment }` );
		}
		out.push( `#: ${ m.references.join( ' ' ) }` );
		if ( m.context ) {
			out.push( `msgctxt ${ q( m.context ) }` );
		}
		out.push( `msgid ${ q( m.msgid ) }` );
		if ( m.plural !== undefined ) {
			out.push(
				`msgid_plural ${ q( m.plural ) }`,
				'msgstr[0] ""',
				'msgstr[1] ""',
				'msgstr[2] ""',
				''
			);
		} else {
			out.push( 'msgstr ""', '' );
		}
	}
	return out.join( '\n' );
}

/**
 * Every translatable string of the project (admin-ui/src and plugin/), merged by key.
 *
 * @param root Repository root.
 */
export function extractProject( root: string ): Message[] {
	const merged = new Map< string, Message >();
	const all = [
		...extractFolder( root, 'admin-ui/src', [ '.ts', '.tsx' ] ),
		...extractFolder( root, 'plugin', [ '.php' ] ),
	];
	for ( const msg of all ) {
		const prev = merged.get( messageKey( msg ) );
		if ( prev ) {
			prev.references.push( ...msg.references );
			prev.plural ??= msg.plural;
			prev.comment ??= msg.comment;
		} else {
			merged.set( messageKey( msg ), {
				...msg,
				references: [ ...msg.references ],
			} );
		}
	}
	return [ ...merged.values() ];
}
