/**
 * The one definition of a SKU keyCRM can use, as the plugin applies it
 * (plugin/includes/Sku/SkuRules.php: PHP capture, and the SQL of "Resync
 * all" and the Problems screen). Same characters, same limit; lengths are
 * Unicode characters (code points), never UTF-16 units or bytes.
 * test/fixtures/sku-rules.json holds awkward SKUs that every implementation
 * must judge alike.
 */

/** Longest SKU keyCRM stores, in characters (Laravel's default string column length). */
export const SKU_MAX_LENGTH = 255;

/**
 * Characters a usable SKU may not start or end with: Unicode White_Space plus
 * the zero-width space and zero-width no-break space (BOM).
 */
export const SKU_EDGE_SPACES: readonly number[] = [
	0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001,
	0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a,
	0x200b, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff,
];

const EDGE = new Set( SKU_EDGE_SPACES );

/** Why keyCRM cannot use a SKU (the plugin's problem kinds' wording). */
export type SkuProblem = 'empty' | 'comma' | 'edge_space' | 'too_long';

/**
 * Why keyCRM cannot use this SKU, or null when it can.
 *
 * @param sku SKU exactly as stored in WooCommerce.
 */
export function skuProblem( sku: string ): SkuProblem | null {
	if ( sku === '' ) {
		return 'empty';
	}
	if ( sku.includes( ',' ) ) {
		return 'comma';
	}
	const first = sku.codePointAt( 0 ) as number;
	const lastUnit = sku.charCodeAt( sku.length - 1 );
	if ( EDGE.has( first ) || EDGE.has( lastUnit ) ) {
		return 'edge_space';
	}
	return codePoints( sku ) > SKU_MAX_LENGTH ? 'too_long' : null;
}

/**
 * Whether keyCRM can use this SKU.
 *
 * @param sku SKU.
 */
export function isUsableSku( sku: string ): boolean {
	return skuProblem( sku ) === null;
}

/**
 * Length in Unicode characters (a surrogate pair is one character).
 *
 * @param s String.
 */
function codePoints( s: string ): number {
	let n = 0;
	for ( let i = 0; i < s.length; i++ ) {
		const unit = s.charCodeAt( i );
		if ( unit < 0xdc00 || unit > 0xdfff ) {
			n++;
		}
	}
	return n;
}
