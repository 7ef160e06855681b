/**
 * WooCommerce → keyCRM unit conversion. WooCommerce stores weights in kg, g,
 * lbs or oz and dimensions in m, cm, mm, in or yd (a shop-wide setting);
 * keyCRM expects the units configured in the keyCRM account (settings
 * `keycrm_weight_unit`, `keycrm_dimension_unit`).
 */

/** Grams per WooCommerce weight unit. */
const GRAMS: Readonly< Record< string, number > > = {
	kg: 1000,
	g: 1,
	lbs: 453.59237,
	oz: 28.349523125,
};
/** Millimetres per WooCommerce dimension unit. */
const MILLIMETRES: Readonly< Record< string, number > > = {
	m: 1000,
	cm: 10,
	mm: 1,
	in: 25.4,
	yd: 914.4,
};

/** A unit neither table knows. */
export class UnknownUnitError extends Error {
	override readonly name = 'UnknownUnitError';
}

/**
 * Round to `digits` decimals, dropping float noise (0.30000000000000004 → 0.3).
 *
 * @param value  Number.
 * @param digits Decimals kept.
 */
export function roundTo( value: number, digits: number ): number {
	const f = 10 ** digits;
	return Math.round( value * f ) / f;
}

/**
 * Convert between two units of one table.
 *
 * @param value Value in `from` units (null passes through).
 * @param from  Source unit.
 * @param to    Target unit.
 * @param table Factors to a common base unit.
 */
function convert(
	value: number | null,
	from: string,
	to: string,
	table: Readonly< Record< string, number > >
): number | null {
	if ( value === null ) {
		return null;
	}
	const a = table[ from.toLowerCase() ];
	const b = table[ to.toLowerCase() ];
	if ( a === undefined || b === undefined ) {
		throw new UnknownUnitError( `cannot convert "${ from }" to "${ to }"` );
	}
	return roundTo( ( value * a ) / b, 4 );
}

/**
 * A WooCommerce weight in the keyCRM account's unit.
 *
 * @param value Weight (null when unset).
 * @param from  WooCommerce weight unit (kg, g, lbs, oz).
 * @param to    keyCRM unit (kg, g).
 */
export function convertWeight(
	value: number | null,
	from: string,
	to: string
): number | null {
	return convert( value, from, to, GRAMS );
}

/**
 * A WooCommerce length in the keyCRM account's unit.
 *
 * @param value Length (null when unset).
 * @param from  WooCommerce dimension unit (m, cm, mm, in, yd).
 * @param to    keyCRM unit (cm, mm, m).
 */
export function convertDimension(
	value: number | null,
	from: string,
	to: string
): number | null {
	return convert( value, from, to, MILLIMETRES );
}
