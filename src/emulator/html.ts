/**
 * The emulator's read-only HTML page (`GET /`): products, offers and stock
 * per warehouse. Every value is HTML-escaped.
 */
import type { EmulatorStore } from './store.js';

const MAX_ROWS = 500;

/**
 * Escape text for HTML element content and attribute values.
 *
 * @param value Any value.
 */
export function escapeHtml( value: unknown ): string {
	return String( value ?? '' ).replace(
		/[&<>"']/g,
		( c ) => `&#${ c.charCodeAt( 0 ) };`
	);
}

/**
 * A table with escaped cells.
 *
 * @param head Column titles.
 * @param rows Cell values.
 */
function table( head: string[], rows: unknown[][] ): string {
	const th = head.map( ( h ) => `<th>${ escapeHtml( h ) }</th>` ).join( '' );
	const body = rows
		.map(
			( r ) =>
				`<tr>${ r.map( ( c ) => `<td>${ escapeHtml( c ) }</td>` ).join( '' ) }</tr>`
		)
		.join( '\n' );
	return `<table><thead><tr>${ th }</tr></thead><tbody>\n${ body }\n</tbody></table>`;
}

/**
 * Render the page.
 *
 * @param store The store.
 */
export function renderPage( store: EmulatorStore ): string {
	const products = [ ...store.products.values() ].slice( 0, MAX_ROWS );
	const offers = [ ...store.offers.values() ].slice( 0, MAX_ROWS );
	const productRows = products.map( ( p ) => [
		p.id,
		p.name,
		p.has_offers ? 'yes' : 'no',
		p.category_id ?? '',
		p.updated_at,
	] );
	const offerRows = offers.map( ( o ) => {
		const t = store.totals( o.id );
		const perWarehouse = store.warehouses.map(
			( w ) => store.cell( o.id, w.id ).quantity
		);
		return [
			o.id,
			o.product_id,
			o.sku ?? '',
			o.price ?? '',
			o.is_default ? 'yes' : 'no',
			...perWarehouse,
			t.quantity,
			t.reserve,
		];
	} );
	const more = ( n: number ) =>
		n > MAX_ROWS ? `<p>Showing the first ${ MAX_ROWS } of ${ n }.</p>` : '';
	return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>keyCRM emulator</title>
<style>body{font:14px system-ui,sans-serif;margin:1.5em}table{border-collapse:collapse;margin-bottom:2em}td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}</style>
</head><body>
<h1>keyCRM emulator</h1>
<p>${ escapeHtml( store.products.size ) } products, ${ escapeHtml( store.offers.size ) } offers, warehouses: ${ escapeHtml( store.warehouses.map( ( w ) => `${ w.id } (${ w.name })` ).join( ', ' ) ) }; duplicate SKUs created: ${ escapeHtml( store.counters.duplicateSkusCreated ) }.</p>
<h2>Products</h2>
${ table( [ 'id', 'name', 'has offers', 'category', 'updated' ], productRows ) }${ more( store.products.size ) }
<h2>Offers and stock</h2>
${ table( [ 'id', 'product', 'sku', 'price', 'default', ...store.warehouses.map( ( w ) => `stock @${ w.id }` ), 'total', 'reserve' ], offerRows ) }${ more( store.offers.size ) }
</body></html>
`;
}
