/**
 * Text encodings of ERP exports: detection from the first bytes, and a
 * streaming decoder.
 *
 * Decoding uses the WHATWG Encoding API (`TextDecoder`, backed by ICU in
 * Node), which knows UTF-8, UTF-16 and Windows-1251, rather than iconv-lite:
 * same result, and none of iconv-lite's tables for hundreds of encodings in
 * the one-file sender.
 *
 * Detection is a documented heuristic, not a statistical guess: a BOM decides;
 * else many NUL bytes mean UTF-16 (ASCII text in UTF-16 has a NUL in every
 * other byte); else text that is valid UTF-8 is UTF-8; else Windows-1251.
 * This is reliable for what 1C, BAS, Excel and MoySklad write: Cyrillic in
 * Windows-1251 is a run of bytes 0xC0–0xFF, which is almost never a valid
 * UTF-8 sequence, while statistical detectors (jschardet, chardet) confuse
 * Windows-1251 with KOI8-R or MacCyrillic on short samples such as a header
 * and a few rows. `--encoding` overrides the guess.
 */
import { Transform } from 'node:stream';

/** Encodings the reader accepts (`--encoding`). */
export const ENCODINGS = [
	'utf-8',
	'utf-16le',
	'utf-16be',
	'windows-1251',
] as const;
export type Encoding = ( typeof ENCODINGS )[ number ];

/** Aliases accepted by `--encoding` (case-insensitive). */
const ALIASES: Record< string, Encoding > = {
	'utf-8': 'utf-8',
	utf8: 'utf-8',
	'utf-16': 'utf-16le',
	utf16: 'utf-16le',
	'utf-16le': 'utf-16le',
	'utf-16be': 'utf-16be',
	'windows-1251': 'windows-1251',
	cp1251: 'windows-1251',
	win1251: 'windows-1251',
	'win-1251': 'windows-1251',
};

/**
 * The encoding an `--encoding` value names, or null.
 *
 * @param name Value of the option.
 */
export function encodingOf( name: string ): Encoding | null {
	return ALIASES[ name.trim().toLowerCase() ] ?? null;
}

/**
 * Guesses the encoding of a file from its first bytes (see the file comment).
 *
 * @param head The first bytes of the file (64 KiB is plenty).
 */
export function detectEncoding( head: Uint8Array ): Encoding {
	if ( head[ 0 ] === 0xef && head[ 1 ] === 0xbb && head[ 2 ] === 0xbf ) {
		return 'utf-8';
	}
	if ( head[ 0 ] === 0xff && head[ 1 ] === 0xfe ) {
		return 'utf-16le';
	}
	if ( head[ 0 ] === 0xfe && head[ 1 ] === 0xff ) {
		return 'utf-16be';
	}
	let evenNul = 0;
	let oddNul = 0;
	for ( let i = 0; i < head.length; i++ ) {
		if ( head[ i ] === 0 ) {
			if ( i % 2 === 0 ) {
				evenNul++;
			} else {
				oddNul++;
			}
		}
	}
	if ( oddNul > head.length / 8 ) {
		return 'utf-16le';
	}
	if ( evenNul > head.length / 8 ) {
		return 'utf-16be';
	}
	try {
		// `stream: true`: a multi-byte character cut at the end of the sample is not an error.
		new TextDecoder( 'utf-8', { fatal: true } ).decode( head, {
			stream: true,
		} );
		return 'utf-8';
	} catch {
		return 'windows-1251';
	}
}

/** Text that is not valid in the encoding it is read in (UTF-8 only: every byte is Windows-1251). */
export class InvalidTextError extends Error {
	override name = 'InvalidTextError';
}

/**
 * A stream that decodes bytes in `encoding` to text (BOM removed). UTF-8 and
 * UTF-16 are decoded strictly: bytes that are not valid in them (a Windows-1251
 * file read as UTF-8, guessed from a plain-ASCII start or given by
 * `--encoding`; a UTF-16 file cut in the middle of a character) fail the read
 * with an InvalidTextError naming the byte, never become U+FFFD in keyCRM.
 *
 * @param encoding Encoding.
 */
export function decoderStream( encoding: Encoding ): Transform {
	const decoder = new TextDecoder( encoding, {
		fatal: encoding !== 'windows-1251',
	} );
	let offset = 0;
	const fail = ( error: unknown, length: number ) =>
		new InvalidTextError(
			`the file is not valid ${ encoding } text (bytes ${ offset }–${
				offset + length
			}); give --encoding with the file's real encoding (e.g. --encoding windows-1251)`,
			{ cause: error }
		);
	return new Transform( {
		readableObjectMode: false,
		decodeStrings: true,
		transform( chunk: Buffer, _enc, done ) {
			let text: string;
			try {
				text = decoder.decode( chunk, { stream: true } );
			} catch ( error ) {
				done( fail( error, chunk.byteLength ) );
				return;
			}
			offset += chunk.byteLength;
			done( null, text );
		},
		flush( done ) {
			try {
				done( null, decoder.decode() );
			} catch ( error ) {
				done( fail( error, 0 ) );
			}
		},
	} );
}
