/**
 * The plugin's gettext files: .po/.pot reading and writing and .mo compiling with gettext-parser,
 * plus the JED 1.x JSON that WordPress loads for a script (wp_set_script_translations), which is a
 * plain JSON shape WordPress defines (no library writes it from a parsed .po).
 * String extraction from the sources is in extract-strings.ts.
 */
import { createHash } from 'node:crypto';

import { mo, po as poFormat } from 'gettext-parser';
import type { GetTextTranslation, GetTextTranslations } from 'gettext-parser';

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
 *
 * @param m The message.
 */
export function messageKey( m: Pick< Message, 'context' | 'msgid' > ): string {
	return m.context ? `${ m.context }\u0004${ m.msgid }` : m.msgid;
}

/** A parsed .po file: header fields and messages by key. */
export interface PoFile {
	headers: Record< string, string >;
	messages: Map< string, Message >;
	/** What gettext-parser read, for writing it back. */
	table: GetTextTranslations;
}

/**
 * Parses a .po file.
 *
 * @param text File contents.
 */
export function parsePo( text: string ): PoFile {
	const table = poFormat.parse( text, { validation: true } );
	const messages = new Map< string, Message >();
	for ( const byId of Object.values( table.translations ) ) {
		for ( const t of Object.values( byId ) ) {
			if ( t.msgid === '' ) {
				continue; // The header entry.
			}
			const msg: Message = {
				msgid: t.msgid,
				msgstr: t.msgstr,
				references: t.comments?.reference?.split( /\s+/ ) ?? [],
			};
			if ( t.msgctxt ) {
				msg.context = t.msgctxt;
			}
			if ( t.msgid_plural !== undefined ) {
				msg.plural = t.msgid_plural;
			}
			messages.set( messageKey( msg ), msg );
		}
	}
	return { headers: table.headers, messages, table };
}

/**
 * The .mo file PHP loads, from the translated messages of a .po file (untranslated ones are left
 * out, so gettext falls back to the source string).
 *
 * @param po Parsed .po file.
 */
export function buildMo( po: PoFile ): Buffer {
	const translations: GetTextTranslations[ 'translations' ] = {
		'': { '': { msgid: '', msgstr: [ headerBlock( po.headers ) ] } },
	};
	for ( const m of po.messages.values() ) {
		if ( m.msgstr.every( ( s ) => s === '' ) ) {
			continue;
		}
		const context = m.context ?? '';
		translations[ context ] ??= {};
		translations[ context ][ m.msgid ] = entry( m, m.msgstr );
	}
	return mo.compile( {
		charset: 'utf-8',
		headers: po.headers,
		translations,
	} );
}

function headerBlock( headers: Record< string, string > ): string {
	return Object.entries( headers )
		.map( ( [ k, v ] ) => `${ k }: ${ v }\n` )
		.join( '' );
}

function entry( m: Message, msgstr: string[] ): GetTextTranslation {
	const t: GetTextTranslation = { msgid: m.msgid, msgstr };
	if ( m.context ) {
		t.msgctxt = m.context;
	}
	if ( m.plural !== undefined ) {
		t.msgid_plural = m.plural;
	}
	if ( m.references.length || m.comment ) {
		t.comments = {};
		if ( m.references.length ) {
			t.comments.reference = m.references.join( '\n' );
		}
		if ( m.comment ) {
			t.comments.extracted = `translators: ${ m.comment }`;
		}
	}
	return t;
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
	const translations: GetTextTranslations[ 'translations' ] = {
		'': { '': { msgid: '', msgstr: [ '' ] } },
	};
	for ( const m of messages ) {
		const context = m.context ?? '';
		translations[ context ] ??= {};
		translations[ context ][ m.msgid ] = entry(
			m,
			m.plural !== undefined ? [ '', '', '' ] : [ '' ]
		);
	}
	return poFormat
		.compile(
			{
				charset: 'utf-8',
				headers: {
					'Content-Type': 'text/plain; charset=UTF-8',
					'X-Domain': TEXT_DOMAIN,
				},
				translations,
			},
			{ foldLength: 0 }
		)
		.toString( 'utf8' );
}

/**
 * The .po file brought up to date with a template: new strings added untranslated, references
 * and comments refreshed, strings no longer used dropped, translations kept.
 *
 * @param po       Parsed .po file.
 * @param messages Extracted messages.
 */
export function updatePo( po: PoFile, messages: Message[] ): string {
	const translations: GetTextTranslations[ 'translations' ] = {
		'': { '': { msgid: '', msgstr: [ headerBlock( po.headers ) ] } },
	};
	for ( const m of messages ) {
		const known = po.messages.get( messageKey( m ) );
		const empty = m.plural !== undefined ? [ '', '', '' ] : [ '' ];
		const context = m.context ?? '';
		translations[ context ] ??= {};
		translations[ context ][ m.msgid ] = entry( m, known?.msgstr ?? empty );
	}
	return poFormat
		.compile(
			{ charset: 'utf-8', headers: po.headers, translations },
			{ foldLength: 0 }
		)
		.toString( 'utf8' );
}
