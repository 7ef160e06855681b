/**
 * Streaming XML for the CommerceML readers: the file's encoding and a saxes
 * walk that keeps the element path and the current element's text at hand,
 * so a large offers.xml is never held in memory.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';

import { SaxesParser, type SaxesTagPlain } from 'saxes';

import {
	decoderStream,
	detectEncoding,
	encodingOf,
	type Encoding,
} from './text-encoding.js';

/**
 * The encoding of an XML file: its declaration, else the byte heuristic.
 *
 * @param path File path.
 */
export async function xmlEncoding( path: string ): Promise< Encoding > {
	const handle = await open( path, 'r' );
	try {
		const head = Buffer.alloc( 4096 );
		const { bytesRead } = await handle.read( head, 0, head.length, 0 );
		const bytes = head.subarray( 0, bytesRead );
		const guess = detectEncoding( bytes );
		if ( guess.startsWith( 'utf-16' ) ) {
			return guess;
		}
		const decl = /<\?xml[^>]*encoding=["']([^"']+)["']/i.exec(
			bytes.toString( 'latin1' )
		);
		return ( decl && encodingOf( decl[ 1 ] ?? '' ) ) ?? guess;
	} finally {
		await handle.close();
	}
}

/** A streaming walk over one XML file with the element path at hand. */
export interface Walker {
	/** Element names from the root to the current element. */
	path: string[];
	/** Text of the current element so far. */
	text: string;
	line: number;
}

/**
 * Parses an XML file with saxes, calling back on open and close tags.
 *
 * @param path     File path.
 * @param encoding Encoding.
 * @param onOpen   Open tag (path includes the tag).
 * @param onClose  Close tag (path still includes the tag; `text` is its text).
 * @return The first XML error, if any.
 */
export async function walk(
	path: string,
	encoding: Encoding,
	onOpen: ( w: Walker, tag: SaxesTagPlain ) => void,
	onClose: ( w: Walker, name: string ) => void
): Promise< { line: number; message: string } | null > {
	const parser = new SaxesParser( { position: true } );
	const w: Walker = { path: [], text: '', line: 1 };
	let error: { line: number; message: string } | null = null;
	parser.on( 'error', ( e ) => {
		error ??= { line: parser.line, message: `invalid XML: ${ e.message }` };
	} );
	parser.on( 'opentag', ( tag ) => {
		w.path.push( tag.name );
		w.text = '';
		w.line = parser.line;
		onOpen( w, tag as SaxesTagPlain );
	} );
	parser.on( 'text', ( t ) => {
		w.text += t;
	} );
	parser.on( 'cdata', ( t ) => {
		w.text += t;
	} );
	parser.on( 'closetag', ( tag ) => {
		w.line = parser.line;
		onClose( w, tag.name );
		w.path.pop();
		w.text = '';
	} );
	const input = createReadStream( path ).pipe( decoderStream( encoding ) );
	for await ( const chunk of input ) {
		if ( error ) {
			break;
		}
		parser.write( String( chunk ) );
	}
	if ( ! error ) {
		parser.close();
	}
	return error;
}

/**
 * Whether the element `depth` levels up the path (2: the current element's
 * parent) is `name`.
 *
 * @param w     Walker.
 * @param name  Element name.
 * @param depth Levels from the end of the path.
 */
export const parentIs = ( w: Walker, name: string, depth = 2 ) =>
	w.path[ w.path.length - depth ] === name;
