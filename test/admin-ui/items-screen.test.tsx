/** @jest-environment jest-fixed-jsdom */
import { waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { ItemsScreen } from '../../admin-ui/src/screens/items-screen';
import { inErrorNotice, itemRow, itemsBody } from './helpers/fixtures';
import { API, http, json, server, wpError } from './helpers/server';
import { setupScreenTest } from './helpers/screen';

const { screen, renderIn } = setupScreenTest();
const renderScreen = () => {
	return renderIn( <ItemsScreen /> );
};

describe( 'Items screen', () => {
	it( 'shows a spinner while loading, then the empty state', async () => {
		let release: () => void = () => {};
		server.use(
			http.get( `${ API }/items`, async () => {
				await new Promise< void >( ( r ) => ( release = r ) );
				return json( itemsBody( [] ) );
			} )
		);
		renderScreen();
		await screen.findByLabelText( 'Loading SKUs…' );
		release();
		await screen.findByText( /No SKUs are tracked yet/ );
		expect( screen.queryByRole( 'table' ) ).toBeNull();
	} );

	it( "shows the server's message when the request fails", async () => {
		server.use(
			http.get( `${ API }/items`, () =>
				wpError(
					400,
					'rest_invalid_param',
					'Invalid parameter(s): state'
				)
			)
		);
		renderScreen();
		expect(
			inErrorNotice(
				await screen.findByText(
					/Invalid parameter\(s\): state \(HTTP 400\)/
				)
			)
		).toBe( true );
		screen.getByRole( 'button', { name: 'Try again' } );
	} );

	it( 'lists rows with product link, stock, keyCRM ids, state and last error', async () => {
		server.use(
			http.get( `${ API }/items`, () =>
				json(
					itemsBody(
						[
							itemRow( 'MUG-1' ),
							itemRow( 'BAD-2', {
								state: 'failed',
								keycrm_product_id: null,
								keycrm_offer_id: null,
								pushed_stock: null,
								shop_stock: 3,
								last_error:
									'keyCRM 422: The sku has already been taken.',
								last_error_code: 'keycrm_422',
								synced_at: null,
							} ),
						],
						2
					)
				)
			)
		);
		renderScreen();
		const table = await screen.findByRole( 'table' );
		const rows = within( table ).getAllByRole( 'row' );
		expect( rows ).toHaveLength( 3 );
		const ok = within( rows[ 1 ]! );
		expect(
			ok
				.getByRole( 'link', { name: 'Product MUG-1' } )
				.getAttribute( 'href' )
		).toBe( 'http://localhost/wp-admin/post.php?post=12&action=edit' );
		ok.getByText( 'product 501 / offer 901' );
		ok.getByText( 'Synced', { selector: 'span' } );
		expect( ok.queryByRole( 'button' ) ).toBeNull();
		const bad = within( rows[ 2 ]! );
		bad.getByText( 'Failed', { selector: 'span' } );
		bad.getByText( /The sku has already been taken/ );
		bad.getByRole( 'button', { name: 'Retry BAD-2' } );
		screen.getByText( '2 SKUs' );
	} );

	it( 'sends search, state filter and page to the server', async () => {
		const seen: string[] = [];
		server.use(
			http.get( `${ API }/items`, ( { request } ) => {
				const url = new URL( request.url );
				seen.push(
					`${ url.searchParams.get( 'search' ) }|${ url.searchParams.get( 'state' ) }|${ url.searchParams.get( 'page' ) }`
				);
				const page = Number( url.searchParams.get( 'page' ) );
				return json(
					itemsBody(
						[ itemRow( `SKU-${ page }` ) ],
						100000,
						page,
						50
					)
				);
			} )
		);
		renderScreen();
		await screen.findByText( 'Page 1 of 2000' );
		await userEvent.type(
			screen.getByLabelText( 'Search SKU or product' ),
			'mug'
		);
		await userEvent.click(
			screen.getByRole( 'button', { name: 'Search' } )
		);
		await userEvent.selectOptions(
			screen.getByLabelText( 'State' ),
			'failed'
		);
		await userEvent.click(
			screen.getByRole( 'button', { name: 'Next page' } )
		);
		await screen.findByText( 'SKU-2' );
		expect( seen ).toEqual( [
			'null|null|1',
			'mug|null|1',
			'mug|failed|1',
			'mug|failed|2',
		] );
		// Submitting the same search again refreshes the rows.
		await userEvent.click(
			screen.getByRole( 'button', { name: 'Search' } )
		);
		await screen.findByText( 'SKU-1' );
		await userEvent.click(
			screen.getByRole( 'button', { name: 'Search' } )
		);
		await waitFor( () => expect( seen ).toHaveLength( 6 ) );
		expect( seen.slice( 4 ) ).toEqual( [ 'mug|failed|1', 'mug|failed|1' ] );
		screen.getByText( `${ ( 100000 ).toLocaleString() } SKUs` );
	} );

	it( 'retries one row and reloads it', async () => {
		let state: 'failed' | 'pending' = 'failed';
		server.use(
			http.get( `${ API }/items`, () =>
				json(
					itemsBody( [
						itemRow( 'BAD-2', {
							state,
							last_error: state === 'failed' ? 'boom' : null,
						} ),
					] )
				)
			),
			http.post( `${ API }/items/retry`, async ( { request } ) => {
				expect( await request.json() ).toEqual( { skus: [ 'BAD-2' ] } );
				state = 'pending';
				return json( { retried: 1 } );
			} )
		);
		renderScreen();
		await userEvent.click(
			await screen.findByRole( 'button', { name: 'Retry BAD-2' } )
		);
		await screen.findByText( 'BAD-2 queued for retry.' );
		await screen.findByText( 'Pending', { selector: 'span' } );
		expect(
			screen.queryByRole( 'button', { name: 'Retry BAD-2' } )
		).toBeNull();
	} );

	it( "shows the server's message when a row retry fails", async () => {
		server.use(
			http.get( `${ API }/items`, () =>
				json(
					itemsBody( [
						itemRow( 'BAD-2', {
							state: 'dead',
							last_error: 'boom',
						} ),
					] )
				)
			),
			http.post( `${ API }/items/retry`, () =>
				wpError( 500, 'db_error', 'Deadlock found' )
			)
		);
		renderScreen();
		await userEvent.click(
			await screen.findByRole( 'button', { name: 'Retry BAD-2' } )
		);
		expect(
			inErrorNotice(
				await screen.findByText( /Deadlock found \(HTTP 500\)/ )
			)
		).toBe( true );
		screen.getByText( 'Gave up', { selector: 'span' } );
	} );
} );
