/**
 * A small RFC 4180 CSV reader that keeps physical line numbers.
 *
 * ERP exports come as `;`- or `,`-separated text, sometimes with a UTF-8 BOM,
 * Windows line ends, quoted fields (with `""` escapes, separators and even
 * line breaks inside quotes) and blank lines. Every record carries the line it
 * starts on so validation errors can point at it.
 */

/** One record of a CSV file. */
export interface CsvRecord {
	/** 1-based physical line on which the record starts. */
	line: number;
	fields: string[];
}

/** A structural CSV problem (unterminated quote, text after a closing quote). */
export interface CsvSyntaxError {
	line: number;
	message: string;
}

export interface CsvReadResult {
	separator: string;
	records: CsvRecord[];
	errors: CsvSyntaxError[];
}

const SEPARATORS = [ ';', ',', '\t' ] as const;

/**
 * Picks the separator from the first non-blank line: the candidate that
 * occurs most often outside quotes (`,` on a tie or when none occurs).
 *
 * @param text File content without BOM.
 */
export function detectSeparator( text: string ): string {
	const firstLine =
		text.split( /\r?\n/ ).find( ( l ) => l.trim() !== '' ) ?? '';
	const counts = new Map< string, number >();
	let inQuotes = false;
	for ( const ch of firstLine ) {
		if ( ch === '"' ) {
			inQuotes = ! inQuotes;
		} else if (
			! inQuotes &&
			( SEPARATORS as readonly string[] ).includes( ch )
		) {
			counts.set( ch, ( counts.get( ch ) ?? 0 ) + 1 );
		}
	}
	let best = ',';
	let bestCount = counts.get( ',' ) ?? 0;
	for ( const sep of SEPARATORS ) {
		const n = counts.get( sep ) ?? 0;
		if ( n > bestCount ) {
			best = sep;
			bestCount = n;
		}
	}
	return best;
}

/** Mutable state of one pass over the text. */
interface ReaderState {
	line: number;
	recordLine: number;
	field: string;
	fields: string[];
	inQuotes: boolean;
	quoteLine: number;
	/** The current field was quoted and its closing quote has been read. */
	closed: boolean;
	badAfterQuote: boolean;
}

function endField( s: ReaderState ): void {
	s.fields.push( s.field );
	s.field = '';
	s.closed = false;
}

function endRecord( s: ReaderState, out: CsvReadResult ): void {
	endField( s );
	const blank =
		s.fields.length === 1 && s.fields[ 0 ] === '' && ! s.badAfterQuote;
	if ( s.badAfterQuote ) {
		out.errors.push( {
			line: s.recordLine,
			message: 'text after a closing quote',
		} );
	} else if ( ! blank ) {
		out.records.push( { line: s.recordLine, fields: s.fields } );
	}
	s.fields = [];
	s.badAfterQuote = false;
}

/**
 * Reads CSV text into records.
 *
 * @param input     File content (a leading BOM is removed).
 * @param separator Field separator; detected from the first line when omitted.
 */
export function readCsv( input: string, separator?: string ): CsvReadResult {
	const text = input.charCodeAt( 0 ) === 0xfeff ? input.slice( 1 ) : input;
	const sep = separator ?? detectSeparator( text );
	const out: CsvReadResult = { separator: sep, records: [], errors: [] };
	const s: ReaderState = {
		line: 1,
		recordLine: 1,
		field: '',
		fields: [],
		inQuotes: false,
		quoteLine: 1,
		closed: false,
		badAfterQuote: false,
	};
	for ( let i = 0; i < text.length; i++ ) {
		const ch = text[ i ] as string;
		if ( s.inQuotes ) {
			if ( ch === '"' && text[ i + 1 ] === '"' ) {
				s.field += '"';
				i++;
			} else if ( ch === '"' ) {
				s.inQuotes = false;
				s.closed = true;
			} else {
				if ( ch === '\n' ) {
					s.line++;
				}
				s.field += ch;
			}
			continue;
		}
		if ( ch === '"' && s.field.trim() === '' && ! s.closed ) {
			s.field = '';
			s.inQuotes = true;
			s.quoteLine = s.line;
		} else if ( ch === sep ) {
			endField( s );
		} else if ( ch === '\n' || ch === '\r' ) {
			if ( ch === '\r' && text[ i + 1 ] === '\n' ) {
				i++;
			}
			endRecord( s, out );
			s.line++;
			s.recordLine = s.line;
		} else if ( s.closed ) {
			if ( ch !== ' ' && ch !== '\t' ) {
				s.badAfterQuote = true;
			}
		} else {
			s.field += ch;
		}
	}
	if ( s.inQuotes ) {
		out.errors.push( {
			line: s.quoteLine,
			message: 'quoted field is never closed',
		} );
		return out;
	}
	if ( s.field !== '' || s.fields.length > 0 || s.closed ) {
		endRecord( s, out );
	}
	return out;
}
