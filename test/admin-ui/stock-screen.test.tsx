/** @jest-environment jest-fixed-jsdom */
import { waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { StockScreen } from '../../admin-ui/src/screens/stock-screen';
import {
	inErrorNotice,
	pullState,
	remoteSku,
	remoteSkusBody,
	stockStatusBody,
} from './helpers/fixtures';
import { API, http, json, server, wpError } from './helpers/server';
import { setupScreenTest } from './helpers/screen';

const { screen, renderIn } = setupScreenTest();
const renderScreen = ( pollMs = 60000 ) => {
	return renderIn( <StockScreen pollMs={ pollMs } /> );
};
const section = async ( name: string ) =>
	within( await screen.findByRole( 'region', { name } ) );

/**
 * The query string of a request without api-fetch's `_locale`.
 *
 * @param url Request URL.
 */
function query( url: string ): string {
	const params = new URL( url ).searchParams;
	params.delete( '_locale' );
	return params.toString();
}

/**
 * Empty unknown / unmanaged / drift lists; records every list query.
 * @param seen
 */
function emptyLists( seen: string[] = [] ) {
	return [
		http.get( `${ API }/stock-source/unknown`, ( { request } ) => {
			seen.push( query( request.url ) );
			return json( remoteSkusBody( [] ) );
		} ),
		http.get( `${ API }/stock-source/drift`, ( { request } ) => {
			seen.push( `drift?${ query( request.url ) }` );
			return json( remoteSkusBody( [] ) );
		} ),
	];
}

describe( 'Stock from keyCRM screen', () => {
	it( 'shows a spinner, then the pull state and empty lists (keyCRM mode: no drift list)', async () => {
		let release: () => void = () => {};
		const seen: string[] = [];
		server.use(
			http.get( `${ API }/stock-source/status`, async () => {
				await new Promise< void >( ( r ) => ( release = r ) );
				return json( stockStatusBody() );
			} ),
			...emptyLists( seen )
		);
		renderScreen();
		await screen.findByLabelText( 'Loading stock pull status…' );
		release();
		await screen.findByText( 'keyCRM (its stock is applied to the shop)' );
		screen.getByText( /^finished .* ago/ );
		screen.getByText( /every 60 minutes/ );
		screen.getByText(
			'Complete. SKUs read: 1,234, pages: 3. applied: 10, unchanged: 1,220, unknown SKU: 4'
		);
		screen.getByText( '1 waiting, 42 applied, 0 failed' );
		await (
			await section( 'Unknown SKUs (0)' )
		).findByText( 'No unknown SKUs.' );
		await (
			await section( 'SKUs without managed stock (0)' )
		).findByText( 'No SKUs without managed stock.' );
		expect(
			screen.queryByRole( 'region', { name: /Stock drift/ } )
		).toBeNull();
		expect( seen.sort() ).toEqual( [
			'kind=unknown&page=1&per_page=50',
			'kind=unmanaged&page=1&per_page=50',
		] );
	} );

	it( 'shows the oldest waiting batch, marked when it is stuck, with its last error', async () => {
		server.use(
			http.get( `${ API }/stock-source/status`, () =>
				json(
					stockStatusBody(
						{},
						{
							inbox: {
								pending: 1,
								applied: 0,
								failed: 0,
								oldest_pending: {
									id: 7,
									received_at: new Date(
										Date.now() - 3 * 3600_000
									)
										.toISOString()
										.replace( /\.\d+Z$/, 'Z' ),
									items: 3000,
									applied_items: 1200,
									attempts: 2,
									last_error: 'Lock wait timeout exceeded',
									stuck: true,
								},
							},
						}
					)
				)
			),
			...emptyLists()
		);
		renderScreen();
		const row = await screen.findByTestId( 'oldest-pending' );
		expect( row.textContent ).toMatch(
			/^1,200 of 3,000 items applied, received 3 hours ago; stuck: WP-Cron has not finished it.*; attempt 2 failed: Lock wait timeout exceeded$/
		);
		expect( row.className ).toContain( 'keycrm-sync-error' );
	} );

	it( "shows the server's message when the status fails, and recovers on Try again", async () => {
		let fail = true;
		server.use(
			http.get( `${ API }/stock-source/status`, () =>
				fail
					? wpError(
							403,
							'rest_forbidden',
							'Sorry, you are not allowed to do that.'
						)
					: json( stockStatusBody() )
			),
			...emptyLists()
		);
		renderScreen();
		const message = await screen.findByText(
			/Sorry, you are not allowed to do that\. \(HTTP 403\)/
		);
		expect( inErrorNotice( message ) ).toBe( true );
		expect(
			(
				screen.getByRole( 'button', {
					name: 'Pull stock now',
				} ) as HTMLButtonElement
			 ).disabled
		).toBe( true );
		fail = false;
		await userEvent.click(
			screen.getByRole( 'button', { name: 'Try again' } )
		);
		await screen.findByText( 'keyCRM (its stock is applied to the shop)' );
		expect( screen.queryByText( /not allowed/ ) ).toBeNull();
	} );

	it( 'shows the last pull error and an error when a list breaks the contract', async () => {
		server.use(
			http.get( `${ API }/stock-source/status`, () =>
				json(
					stockStatusBody( {
						last_result: {
							complete: false,
							pages: 1,
							scanned: 100,
							counts: {},
							error: 'keyCRM answered 429 three times',
						},
					} )
				)
			),
			http.get( `${ API }/stock-source/unknown`, () =>
				json( { items: [ { sku: 1 } ], total: 1 } )
			)
		);
		renderScreen();
		await screen.findByText( 'Incomplete. SKUs read: 100, pages: 1.' );
		screen.getByText( 'keyCRM answered 429 three times' );
		const errors = await screen.findAllByText(
			/Unexpected response from \/keycrm-sync\/v1\/stock-source\/unknown/
		);
		expect( errors ).toHaveLength( 2 );
		expect( errors.every( inErrorNotice ) ).toBe( true );
	} );

	it( 'lists unknown and unmanaged SKUs, searches and pages', async () => {
		const queries: string[] = [];
		server.use(
			http.get( `${ API }/stock-source/status`, () =>
				json( stockStatusBody() )
			),
			http.get( `${ API }/stock-source/unknown`, ( { request } ) => {
				const params = new URL( request.url ).searchParams;
				if ( params.get( 'kind' ) === 'unmanaged' ) {
					return json(
						remoteSkusBody( [
							remoteSku( 'HAT-1', {
								kind: 'unmanaged',
								product_id: 40,
								edit_url:
									'http://localhost/wp-admin/post.php?post=40&action=edit',
								keycrm_in_stock: 3,
								keycrm_in_reserve: 0,
							} ),
						] )
					);
				}
				queries.push( query( request.url ) );
				const page = Number( params.get( 'page' ) );
				const search = params.get( 'search' ) ?? '';
				return json(
					remoteSkusBody(
						[ remoteSku( `${ search || 'MUG' }-${ page }` ) ],
						search ? 1 : 120,
						page
					)
				);
			} )
		);
		renderScreen();
		const unknown = await section( 'Unknown SKUs (120)' );
		const table = unknown.getByRole( 'table' );
		expect(
			within( table )
				.getAllByRole( 'row' )
				.map( ( r ) => r.textContent )
		).toEqual( [
			'SKUkeyCRM offerkeyCRM in stockkeyCRM reservedLast seen',
			expect.stringMatching( /^MUG-190151\d+ \w+ ago$/ ),
		] );
		const unmanaged = await section( 'SKUs without managed stock (1)' );
		expect(
			unmanaged
				.getByRole( 'link', { name: 'Product #40' } )
				.getAttribute( 'href' )
		).toBe( 'http://localhost/wp-admin/post.php?post=40&action=edit' );

		await userEvent.click(
			unknown.getByRole( 'button', { name: 'Next page' } )
		);
		await unknown.findByText( 'MUG-2' );
		unknown.getByText( 'Page 2 of 3' );

		await userEvent.type(
			unknown.getByLabelText( 'Search unknown SKUs' ),
			'CUP{Enter}'
		);
		await unknown.findByText( 'CUP-1' );
		expect( queries ).toEqual( [
			'kind=unknown&page=1&per_page=50',
			'kind=unknown&page=2&per_page=50',
			'kind=unknown&search=CUP&page=1&per_page=50',
		] );
	} );

	it( 'requests a pull, says so, and follows it until the sender has done it', async () => {
		let pulls = 0;
		let statusCalls = 0;
		server.use(
			http.get( `${ API }/stock-source/status`, () => {
				statusCalls++;
				if ( pulls === 0 ) {
					return json( stockStatusBody() );
				}
				// First poll: the sender is running it; then it has finished.
				return json(
					statusCalls <= 2
						? stockStatusBody( {
								reason: 'running',
								last_started_at: new Date().toISOString(),
							} )
						: stockStatusBody( {
								last_finished_at: new Date().toISOString(),
								last_result: {
									complete: true,
									pages: 1,
									scanned: 7,
									counts: { applied: 7 },
									error: null,
								},
							} )
				);
			} ),
			http.post( `${ API }/stock-source/pull-now`, () => {
				pulls++;
				return json(
					pullState( {
						due: true,
						reason: 'requested',
						requested_at: new Date().toISOString(),
					} )
				);
			} ),
			...emptyLists()
		);
		renderScreen( 200 );
		await userEvent.click(
			await screen.findByRole( 'button', { name: 'Pull stock now' } )
		);
		const live = ( await screen.findByText( /Pull requested\./ ) ).closest(
			'[aria-live]'
		);
		expect( live ).not.toBeNull();
		screen.getByText(
			/^Requested \d+ seconds? ago; the sender starts it when it next checks in\.$/
		);
		expect( pulls ).toBe( 1 );
		await screen.findByText( /^Running now \(started/ );
		await screen.findByText(
			'Complete. SKUs read: 7, pages: 1. applied: 7'
		);
		expect( statusCalls ).toBe( 3 );
	} );

	it( "shows the server's message when the pull request fails", async () => {
		server.use(
			http.get( `${ API }/stock-source/status`, () =>
				json( stockStatusBody() )
			),
			http.post( `${ API }/stock-source/pull-now`, () =>
				wpError( 500, 'internal_error', 'Database went away' )
			),
			...emptyLists()
		);
		renderScreen();
		await userEvent.click(
			await screen.findByRole( 'button', { name: 'Pull stock now' } )
		);
		const message = await screen.findByText(
			/Database went away \(HTTP 500\)/
		);
		expect( inErrorNotice( message ) ).toBe( true );
		screen.getByText( 'Could not request a pull.' );
		expect( screen.queryByText( /Pull requested/ ) ).toBeNull();
	} );

	describe( 'WooCommerce mode', () => {
		const drifted = [
			remoteSku( 'TEE-S', {
				kind: 'drift',
				product_id: 12,
				edit_url:
					'http://localhost/wp-admin/post.php?post=12&action=edit',
				keycrm_in_stock: 4,
				keycrm_in_reserve: 0,
				shop_stock: 6,
			} ),
			remoteSku( 'TEE-M', {
				kind: 'drift',
				product_id: 13,
				keycrm_in_stock: 0,
				shop_stock: 2,
			} ),
		];

		function driftServer( requeued: unknown[] ) {
			let remaining = [ ...drifted ];
			server.use(
				http.get( `${ API }/stock-source/status`, () =>
					json(
						stockStatusBody(
							{ stock_source: 'woocommerce' },
							{
								counts: {
									unknown: 0,
									unmanaged: 0,
									drift: remaining.length,
								},
							}
						)
					)
				),
				http.get( `${ API }/stock-source/drift`, () =>
					json( remoteSkusBody( remaining ) )
				),
				http.post(
					`${ API }/stock-source/drift/requeue`,
					async ( { request } ) => {
						const body = ( await request.json() ) as {
							skus?: string[];
						};
						requeued.push( body );
						const before = remaining.length;
						remaining = body.skus
							? remaining.filter(
									( r ) => ! body.skus?.includes( r.sku )
								)
							: [];
						return json( { requeued: before - remaining.length } );
					}
				),
				...emptyLists().slice( 0, 1 )
			);
		}

		it( 'lists drift and re-queues one SKU', async () => {
			const requeued: unknown[] = [];
			driftServer( requeued );
			renderScreen();
			await screen.findByText(
				'WooCommerce (the pull only looks for drift)'
			);
			const drift = await section( 'Stock drift (2)' );
			const rows = within( drift.getByRole( 'table' ) ).getAllByRole(
				'row'
			);
			expect( rows[ 0 ]?.textContent ).toBe(
				'SKUProductkeyCRM in stockShop stockLast seenActions'
			);
			expect( rows[ 1 ]?.textContent ).toMatch(
				/^TEE-SProduct #1246\d+ \w+ agoRe-queue$/
			);
			await userEvent.click(
				drift.getByRole( 'button', { name: 'Re-queue TEE-S' } )
			);
			const notice = await drift.findByText(
				'1 SKU re-queued: the sender pushes the shop’s stock to keyCRM again.'
			);
			expect( notice.closest( '[aria-live]' ) ).not.toBeNull();
			expect( requeued ).toEqual( [ { skus: [ 'TEE-S' ] } ] );
			await ( await section( 'Stock drift (1)' ) ).findByText( 'TEE-M' );
			expect( drift.queryByText( 'TEE-S' ) ).toBeNull();
		} );

		it( 're-queues every drifted SKU', async () => {
			const requeued: unknown[] = [];
			driftServer( requeued );
			renderScreen();
			const drift = await section( 'Stock drift (2)' );
			await userEvent.click(
				drift.getByRole( 'button', {
					name: 'Re-queue all drifted SKUs',
				} )
			);
			await drift.findByText(
				'2 SKUs re-queued: the sender pushes the shop’s stock to keyCRM again.'
			);
			expect( requeued ).toEqual( [ {} ] );
			await drift.findByText(
				'No drift: keyCRM’s stock matches the shop.'
			);
		} );

		it( "shows the server's message when re-queueing fails", async () => {
			driftServer( [] );
			server.use(
				http.post( `${ API }/stock-source/drift/requeue`, () =>
					wpError(
						500,
						'keycrm_sync_requeue_failed',
						'Could not write the outbox'
					)
				)
			);
			renderScreen();
			const drift = await section( 'Stock drift (2)' );
			await userEvent.click(
				drift.getByRole( 'button', { name: 'Re-queue TEE-M' } )
			);
			const message = await drift.findByText(
				/Could not write the outbox \(HTTP 500\)/
			);
			expect( inErrorNotice( message ) ).toBe( true );
			await waitFor( () =>
				expect(
					(
						drift.getByRole( 'button', {
							name: 'Re-queue TEE-M',
						} ) as HTMLButtonElement
					 ).disabled
				).toBe( false )
			);
			drift.getByText( 'TEE-S' );
		} );
	} );
} );
