/** @jest-environment jest-fixed-jsdom */
import { waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { App } from '../../admin-ui/src/app';
import {
	inErrorNotice,
	onlineSender,
	PAGE_DATA,
	statusBody,
} from './helpers/fixtures';
import { API, http, json, server, wpError } from './helpers/server';
import { setupScreenTest } from './helpers/screen';

const { screen, renderIn } = setupScreenTest();
const button = ( name: string | RegExp ) =>
	screen.getByRole< HTMLButtonElement >( 'button', { name } );
const renderApp = () => {
	return renderIn(
		<App page={ PAGE_DATA } pollMs={ { fast: 20, slow: 60000 } } />
	);
};

beforeEach( () => window.history.replaceState( null, '', '#overview' ) );

describe( 'Overview screen', () => {
	it( 'shows a spinner while the status loads', async () => {
		let release: () => void = () => {};
		server.use(
			http.get( `${ API }/status`, async () => {
				await new Promise< void >( ( r ) => ( release = r ) );
				return json( statusBody() );
			} )
		);
		renderApp();
		await screen.findByLabelText( 'Loading status…' );
		release();
		await screen.findByText( /No SKUs are tracked yet/ );
		expect( screen.queryByLabelText( 'Loading status…' ) ).toBeNull();
	} );

	it( 'explains an empty shop with no sender and shows the command that fixes it', async () => {
		server.use( http.get( `${ API }/status`, () => json( statusBody() ) ) );
		renderApp();
		await screen.findByText( /No SKUs are tracked yet/ );
		screen.getByText( 'Sender: offline' );
		screen.getByText( /no sender has connected yet/ );
		screen.getByText(
			"read -rsp 'Application password: ' KEYCRM_SYNC_APP_PASSWORD && export KEYCRM_SYNC_APP_PASSWORD && node keycrm-sync.mjs worker --site http://localhost/ --user keycrm-sync-sender"
		);
		// The package is not on npm: the command runs the one-file sender shipped beside the zip.
		expect( screen.queryByText( /npx/ ) ).toBeNull();
		expect( button( /Retry failed \(0\)/ ).disabled ).toBe( true );
	} );

	it( 'warns when changes could not be recorded and says what happens next', async () => {
		server.use(
			http.get( `${ API }/status`, () =>
				json(
					statusBody( {
						needs_resync: {
							since: '2026-03-01T10:00:00Z',
						},
					} )
				)
			)
		);
		renderApp();
		const notice = await screen.findByText(
			/some product changes could not be recorded/
		);
		expect( notice.textContent ).toMatch(
			/The next sync run marks every product to be sent again/
		);
	} );

	it( 'shows no such warning without the flag', async () => {
		server.use( http.get( `${ API }/status`, () => json( statusBody() ) ) );
		renderApp();
		await screen.findByText( /No SKUs are tracked yet/ );
		expect( screen.queryByText( /could not be recorded/ ) ).toBeNull();
	} );

	it( 'says the sync runs inside WordPress, and asks for a system cron when WP-Cron has not run it', async () => {
		const runner = statusBody().runner;
		const recent = new Date( Date.now() - 20_000 ).toISOString();
		server.use(
			http.get( `${ API }/status`, () =>
				json(
					statusBody( {
						runner: {
							...runner,
							runner: 'wordpress',
							reason: 'no_sender',
							last_run_at: recent,
							last_success_at: recent,
						},
					} )
				)
			)
		);
		renderApp();
		await screen.findByText( 'Syncing inside WordPress' );
		screen.getByText( /\(last run 20 seconds ago\)/ );
		screen.getByText( 'keyCRM: reachable' );
		expect( screen.queryByText( 'Sender: offline' ) ).toBeNull();
		// The Node sender stays the option for big catalogues.
		screen.getByText( /node keycrm-sync\.mjs worker --site/ );
		expect( screen.queryByText( /set up a system cron/i ) ).toBeNull();
	} );

	it( 'asks for a system cron when the runner inside WordPress has not run while SKUs wait', async () => {
		const runner = statusBody().runner;
		server.use(
			http.get( `${ API }/status`, () =>
				json(
					statusBody( {
						dirty: 3,
						runner: {
							...runner,
							runner: 'wordpress',
							reason: 'no_sender',
							last_run_at: new Date(
								Date.now() - 12 * 60_000
							).toISOString(),
							cron_disabled: true,
						},
					} )
				)
			)
		);
		renderApp();
		await screen.findByText( /DISABLE_WP_CRON/ );
		expect(
			screen.getByText(
				/wp --path=\/path\/to\/wordpress action-scheduler run/
			).textContent
		).toContain( 'http://localhost/wp-cron.php' );
	} );

	it( "shows the server's message when /status fails, and recovers on Try again", async () => {
		server.use(
			http.get( `${ API }/status`, () =>
				wpError(
					500,
					'db_error',
					'Table wp_keycrm_sync_items is missing.'
				)
			)
		);
		renderApp();
		await screen.findByText(
			/Table wp_keycrm_sync_items is missing\. \(HTTP 500\)/
		);
		server.use( http.get( `${ API }/status`, () => json( statusBody() ) ) );
		await userEvent.click(
			screen.getByRole( 'button', { name: 'Try again' } )
		);
		await screen.findByText( /No SKUs are tracked yet/ );
		expect( screen.queryByText( /Table wp_keycrm_sync_items/ ) ).toBeNull();
	} );

	it( 'rejects a response that breaks the contract with a visible error', async () => {
		server.use(
			http.get( `${ API }/status`, () => json( { counts: {} } ) )
		);
		renderApp();
		expect(
			inErrorNotice(
				await screen.findByText(
					/Unexpected response from \/keycrm-sync\/v1\/status/
				)
			)
		).toBe( true );
	} );

	it( 'shows health, counts, throughput and the last keyCRM error', async () => {
		server.use(
			http.get( `${ API }/status`, () =>
				json(
					statusBody( {
						counts: {
							pending: 120,
							synced: 99000,
							failed: 3,
							dead: 1,
							skipped: 0,
						},
						total: 99124,
						dirty: 123,
						oldest_pending_at: '2026-11-27T14:55:00Z',
						oldest_pending_age_seconds: 300,
						problems: 2,
						sender: onlineSender( {
							last_error: 'keyCRM 401: Unauthenticated',
							last_error_at: new Date().toISOString(),
						} ),
					} )
				)
			)
		);
		renderApp();
		await screen.findByText( 'Sender: online' );
		screen.getByText( 'keyCRM: last request failed' );
		screen.getByText( /keyCRM 401: Unauthenticated/ );
		const summary = screen.getByRole( 'list', { name: 'SKUs per state' } );
		within( summary ).getByText( ( 99124 ).toLocaleString() );
		within( summary ).getByText( ( 99000 ).toLocaleString() );
		screen.getByText( '5 minutes' );
		screen.getByText( /3,400 SKUs\/min, 12 keyCRM requests\/min/ );
		screen.getByText( '2 minutes' );
		screen.getByText( /2 products have SKU problems/ );
		expect( button( 'Retry failed (4)' ).disabled ).toBe( false );
	} );

	it( 'runs "Resync all" and follows the progress to 100 % in a live region', async () => {
		let done = -1;
		server.use(
			http.post( `${ API }/resync`, () => {
				done = 0;
				return json( {
					marked: 400,
					created: 10,
					started_at: '2026-11-27T15:00:00Z',
				} );
			} ),
			http.get( `${ API }/status`, () => {
				if ( done < 0 ) {
					return json(
						statusBody( {
							total: 400,
							counts: {
								pending: 0,
								synced: 400,
								failed: 0,
								dead: 0,
								skipped: 0,
							},
							sender: onlineSender(),
						} )
					);
				}
				done = Math.min( 400, done + 200 );
				const running = done < 400;
				return json(
					statusBody( {
						total: 400,
						dirty: 400 - done,
						counts: {
							pending: 400 - done,
							synced: done,
							failed: 0,
							dead: 0,
							skipped: 0,
						},
						resync: {
							running,
							started_at: '2026-11-27T15:00:00Z',
							total: 400,
							done,
							percent: ( done / 400 ) * 100,
						},
						sender: onlineSender(),
					} )
				);
			} )
		);
		renderApp();
		await userEvent.click(
			await screen.findByRole( 'button', { name: 'Resync all' } )
		);
		await screen.findByText( 'Resync started: 400 SKUs queued.' );
		const live = screen.getByRole( 'status' );
		expect( live.getAttribute( 'aria-live' ) ).toBe( 'polite' );
		await waitFor( () =>
			expect(
				within( live ).getByTestId( 'resync-progress' ).textContent
			).toBe( 'Resync finished: 400 of 400 SKUs (100 %)' )
		);
		expect(
			screen
				.getByRole( 'progressbar', { name: 'Resync progress' } )
				.getAttribute( 'value' )
		).toBe( '100' );
	} );

	it( 'retries every failed SKU and reports a failure of the action', async () => {
		const body = statusBody( {
			total: 5,
			counts: { pending: 0, synced: 2, failed: 2, dead: 1, skipped: 0 },
			sender: onlineSender(),
		} );
		server.use(
			http.get( `${ API }/status`, () => json( body ) ),
			http.post( `${ API }/items/retry`, async ( { request } ) => {
				expect( await request.json() ).toEqual( {} );
				return json( { retried: 3 } );
			} )
		);
		renderApp();
		await userEvent.click(
			await screen.findByRole( 'button', { name: 'Retry failed (3)' } )
		);
		await screen.findByText( '3 SKUs queued for retry.' );

		server.use(
			http.post( `${ API }/items/retry`, () =>
				wpError(
					403,
					'rest_forbidden',
					'Sorry, you are not allowed to do that.'
				)
			)
		);
		await userEvent.click(
			screen.getByRole( 'button', { name: 'Retry failed (3)' } )
		);
		await screen.findByText(
			/Sorry, you are not allowed to do that\. \(HTTP 403\)/
		);
	} );
} );
