/** @jest-environment jest-fixed-jsdom */
import { within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { ProblemsScreen } from '../../admin-ui/src/screens/problems-screen';
import { inErrorNotice, problemRow } from './helpers/fixtures';
import { API, http, json, server, wpError } from './helpers/server';
import { setupScreenTest } from './helpers/screen';

const { screen, renderIn } = setupScreenTest();
const renderScreen = () => {
	return renderIn( <ProblemsScreen /> );
};
const body = ( problems: unknown[], total = problems.length, page = 1 ) => ( {
	problems,
	total,
	page,
	per_page: 50,
} );

describe( 'Problems screen', () => {
	it( 'shows a spinner, then says when there are no problems', async () => {
		let release: () => void = () => {};
		server.use(
			http.get( `${ API }/problems`, async () => {
				await new Promise< void >( ( r ) => ( release = r ) );
				return json( body( [] ) );
			} )
		);
		renderScreen();
		await screen.findByLabelText( 'Loading SKU problems…' );
		release();
		await screen.findByText( /No SKU problems/ );
		expect( screen.queryByRole( 'table' ) ).toBeNull();
	} );

	it( "shows the server's message on failure", async () => {
		server.use(
			http.get( `${ API }/problems`, () =>
				wpError(
					401,
					'rest_forbidden',
					'Sorry, you are not allowed to do that.'
				)
			)
		);
		renderScreen();
		expect(
			inErrorNotice(
				await screen.findByText(
					/Sorry, you are not allowed to do that\. \(HTTP 401\)/
				)
			)
		).toBe( true );
	} );

	it( 'lists each kind of problem linked to its product, with pagination', async () => {
		const pages: string[] = [];
		server.use(
			http.get( `${ API }/problems`, ( { request } ) => {
				const page =
					new URL( request.url ).searchParams.get( 'page' ) ?? '';
				pages.push( page );
				return json(
					body(
						[
							problemRow(),
							problemRow( {
								kind: 'missing_sku',
								sku: '',
								product_id: 40,
								product_name: 'No-SKU hat',
								edit_url:
									'http://localhost/wp-admin/post.php?post=40&action=edit',
								detail: 'has no SKU',
							} ),
							problemRow( {
								kind: 'unusable_sku',
								sku: 'A,B',
								product_id: 41,
								product_name: 'Comma scarf',
								edit_url:
									'http://localhost/wp-admin/post.php?post=41&action=edit',
								detail: 'contains a comma',
							} ),
						],
						120,
						Number( page )
					)
				);
			} )
		);
		renderScreen();
		const table = await screen.findByRole( 'table' );
		const rows = within( table ).getAllByRole( 'row' );
		expect( rows.map( ( r ) => r.textContent ) ).toEqual( [
			'ProblemSKUProductDetails',
			'Duplicate SKUTSHIRT-1Blue T-shirtalso used by product #12',
			'No SKU—No-SKU hathas no SKU',
			'Unusable SKUA,BComma scarfcontains a comma',
		] );
		expect(
			within( table )
				.getByRole( 'link', { name: 'Comma scarf' } )
				.getAttribute( 'href' )
		).toBe( 'http://localhost/wp-admin/post.php?post=41&action=edit' );
		screen.getByText( '120 problems' );
		await userEvent.click(
			screen.getByRole( 'button', { name: 'Next page' } )
		);
		await screen.findByText( 'Page 2 of 3' );
		expect( pages ).toEqual( [ '1', '2' ] );
	} );

	it( 'shows an error when the response breaks the contract', async () => {
		server.use(
			http.get( `${ API }/problems`, () =>
				json( body( [ { kind: 'weird' } ] ) )
			)
		);
		renderScreen();
		expect(
			inErrorNotice(
				await screen.findByText(
					/Unexpected response from \/keycrm-sync\/v1\/problems/
				)
			)
		).toBe( true );
	} );
} );
