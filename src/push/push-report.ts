/**
 * What `keycrm-sync push` prints: the planned changes, one line each, and the
 * closing summary line.
 */
import type { ErpRow } from './erp-row.js';
import type { Change } from './plan-push.js';
import type { ErpPlan, FieldChange } from './plan-erp.js';
import type { PushSummary } from './run-push.js';

const fmt = ( n: number | string | null ): string => {
	if ( n === null ) {
		return '—';
	}
	return typeof n === 'string'
		? `"${ n }"`
		: String( Math.round( n * 10000 ) / 10000 );
};

/**
 * Formats one change line.
 *
 * @param kind   What changes ('stock', 'price', …, or 'stock in warehouse N').
 * @param change The change.
 */
export function changeLine( kind: string, change: Change ): string {
	return `  line ${ change.line }: ${ change.sku }  ${ kind } ${ fmt( change.from ) } → ${ fmt( change.to ) }`;
}

/**
 * Where a row comes from: `file:line`, or `line N` for a single file.
 *
 * @param row      Row.
 * @param row.line Line number.
 * @param row.file File name, when the push reads several.
 */
export const where = ( row: { line: number; file?: string } ) =>
	row.file ? `${ row.file }:${ row.line }` : `line ${ row.line }`;

const fieldLine = ( row: ErpRow, c: FieldChange ) =>
	`  ${ where( row ) }: ${ row.sku }  ${ c.field } ${ fmt( c.from ) } → ${ fmt( c.to ) }`;

/**
 * Prints a plan: every change (unless `listChanges` is off), then the notes
 * and the SKUs keyCRM does not know.
 *
 * @param plan        The plan.
 * @param print       Writes one line.
 * @param listChanges Whether to print every change.
 */
export function printPlan(
	plan: ErpPlan,
	print: ( line: string ) => void,
	listChanges: boolean
): void {
	if ( listChanges ) {
		printChanges( plan, print );
	}
	for ( const n of plan.notes ) {
		print( `  ${ where( n.row ) }: ${ n.message }` );
	}
	for ( const r of plan.unknown ) {
		print( `  ${ where( r ) }: ${ r.sku }  not in keyCRM (skipped)` );
	}
	if ( plan.unknown.length > 0 ) {
		print(
			`  (${ plan.unknown.length } SKU(s) not in keyCRM: --create creates them)`
		);
	}
}

/**
 * Prints every change of a plan: creates, stock, offers, product data.
 *
 * @param plan  The plan.
 * @param print Writes one line.
 */
function printChanges( plan: ErpPlan, print: ( line: string ) => void ): void {
	const many = plan.stock.length > 1;
	for ( const r of plan.creates ) {
		print(
			`  ${ where( r ) }: ${ r.sku }  new: ${ fmt( r.name ) }${ r.price === null ? '' : `, price ${ fmt( r.price ) }` }`
		);
	}
	for ( const w of plan.stock ) {
		const kind = many ? `stock in warehouse ${ w.warehouseId }` : 'stock';
		for ( const c of w.changes ) {
			print(
				c.file
					? `  ${ c.file }:${ c.line }: ${ c.sku }  ${ kind } ${ fmt( c.from ) } → ${ fmt( c.to ) }`
					: changeLine( kind, c )
			);
		}
	}
	for ( const o of plan.offers ) {
		o.changes.forEach( ( c ) => print( fieldLine( o.row, c ) ) );
	}
	for ( const p of plan.products ) {
		p.changes.forEach( ( c ) => print( fieldLine( p.row, c ) ) );
	}
}

/**
 * The closing summary line.
 *
 * @param s  Summary.
 * @param ms Elapsed milliseconds.
 */
export function summaryLine( s: PushSummary, ms: number ): string {
	const verb = s.dryRun ? 'would change' : 'changed';
	const extra =
		s.created || s.productChanges
			? `${ s.dryRun ? 'would create' : 'created' } ${ s.created }; product data of ${ s.productChanges }; `
			: '';
	return (
		`${ s.dryRun ? 'Dry run' : 'Done' }: ${ s.rows } rows; ${ verb } stock of ${ s.stockChanges } and price of ${ s.priceChanges } SKUs; ` +
		`${ s.unchanged } unchanged; ${ s.unknown } not in keyCRM; ${ extra }keyCRM requests: ${ s.readRequests } read (${ s.readStrategy }) + ` +
		`${ s.writeRequests } write${ s.dryRun ? ' (none sent)' : '' }; ${ ( ms / 1000 ).toFixed( 1 ) } s`
	);
}
