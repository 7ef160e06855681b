/**
 * Cutting text that goes into JSON for the plugin (ack errors, heartbeat, pull summary).
 *
 * `String.prototype.slice` counts UTF-16 code units: a cut between the two halves of a
 * surrogate pair (an emoji, any character outside the Basic Multilingual Plane) leaves a lone
 * surrogate, which `JSON.stringify` writes as `\udXXX` and PHP's `json_decode` refuses. The
 * plugin's `maxLength` rules count characters (code points), so lengths are counted the same
 * way here.
 */

/** Replacement for a lone surrogate already present in the input. */
const REPLACEMENT = '\uFFFD';

/**
 * At most `max` characters (code points) of `text`, never ending inside a surrogate pair, with
 * any lone surrogate replaced by U+FFFD (so the result always survives JSON in PHP).
 *
 * @param text Text.
 * @param max  Most characters.
 */
export function cutChars( text: string, max: number ): string {
	let out = '';
	let count = 0;
	for ( const ch of text ) {
		if ( count >= max ) {
			break;
		}
		const code = ch.codePointAt( 0 ) ?? 0;
		out +=
			ch.length === 1 && code >= 0xd800 && code <= 0xdfff
				? REPLACEMENT
				: ch;
		count++;
	}
	return out;
}

/**
 * Length of `text` in characters (code points), the unit of every length rule of the plugin.
 *
 * @param text Text.
 */
export function charLength( text: string ): number {
	return Array.from( text ).length;
}
