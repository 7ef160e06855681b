/** @jest-environment jest-fixed-jsdom */
import userEvent from '@testing-library/user-event';

import { SettingsScreen } from '../../admin-ui/src/screens/settings-screen';
import { inErrorNotice, PAGE_DATA, settingsBody } from './helpers/fixtures';
import { API, http, httpPut, json, server, wpError } from './helpers/server';
import { setupScreenTest } from './helpers/screen';

const { screen, renderIn } = setupScreenTest();
const renderScreen = () => {
	return renderIn( <SettingsScreen page={ PAGE_DATA } /> );
};
const input = ( label: string ) =>
	screen.getByLabelText< HTMLInputElement >( label );

describe( 'Settings screen', () => {
	it( 'shows a spinner while loading', async () => {
		let release: () => void = () => {};
		server.use(
			http.get( `${ API }/settings`, async () => {
				await new Promise< void >( ( r ) => ( release = r ) );
				return json( settingsBody() );
			} )
		);
		renderScreen();
		await screen.findByLabelText( 'Loading settings…' );
		release();
		await screen.findByLabelText( 'keyCRM API key' );
		expect( screen.queryByLabelText( 'Loading settings…' ) ).toBeNull();
	} );

	it( "shows the server's message when loading fails", async () => {
		server.use(
			http.get( `${ API }/settings`, () =>
				wpError(
					403,
					'rest_forbidden',
					'Sorry, you are not allowed to do that.'
				)
			)
		);
		renderScreen();
		await screen.findByText( /Could not load the settings\./ );
		expect(
			inErrorNotice(
				screen.getByText(
					/Sorry, you are not allowed to do that\. \(HTTP 403\)/
				)
			)
		).toBe( true );
	} );

	it( 'never shows the key: a stored key is masked and left out of the PUT unless retyped', async () => {
		const puts: unknown[] = [];
		server.use(
			http.get( `${ API }/settings`, () =>
				json( settingsBody( { api_key_set: true, warehouse_id: 3 } ) )
			),
			httpPut( `${ API }/settings`, async ( { request } ) => {
				const sent = ( await request.json() ) as Record<
					string,
					unknown
				>;
				puts.push( sent );
				return json(
					settingsBody( {
						api_key_set: true,
						warehouse_id: Number( sent.warehouse_id ),
						rate_per_minute: Number( sent.rate_per_minute ),
					} )
				);
			} )
		);
		renderScreen();
		const key =
			await screen.findByLabelText< HTMLInputElement >(
				'keyCRM API key'
			);
		expect( key.type ).toBe( 'password' );
		expect( key.value ).toBe( '' );
		expect( key.placeholder ).toMatch( /^•+$/ );
		await userEvent.clear( input( 'Warehouse ID' ) );
		await userEvent.type( input( 'Warehouse ID' ), '7' );
		await userEvent.clear(
			input( 'Rate budget (keyCRM requests per minute, at most 60)' )
		);
		await userEvent.type(
			input( 'Rate budget (keyCRM requests per minute, at most 60)' ),
			'30'
		);
		await userEvent.click(
			screen.getByRole( 'button', { name: 'Save settings' } )
		);
		await screen.findByText( 'Settings saved.' );
		expect( puts ).toHaveLength( 1 );
		expect( puts[ 0 ] ).toMatchObject( {
			warehouse_id: 7,
			rate_per_minute: 30,
			stock_source: 'woocommerce',
		} );
		expect( puts[ 0 ] ).not.toHaveProperty( 'api_key' );

		await userEvent.type( input( 'keyCRM API key' ), 'secret-key-123' );
		await userEvent.click(
			screen.getByRole( 'button', { name: 'Save settings' } )
		);
		await screen.findByText( 'Settings saved.' );
		expect( puts[ 1 ] ).toMatchObject( { api_key: 'secret-key-123' } );
		expect( input( 'keyCRM API key' ).value ).toBe( '' );
	} );

	it( 'sends the stock for "In stock" items without a quantity, empty as none', async () => {
		const puts: Array< Record< string, unknown > > = [];
		server.use(
			http.get( `${ API }/settings`, () => json( settingsBody() ) ),
			httpPut( `${ API }/settings`, async ( { request } ) => {
				const sent = ( await request.json() ) as Record<
					string,
					unknown
				>;
				puts.push( sent );
				return json( settingsBody() );
			} )
		);
		renderScreen();
		const field = await screen.findByLabelText< HTMLInputElement >(
			'Stock sent for "In stock" items without a quantity'
		);
		expect( field.value ).toBe( '' );
		await userEvent.type( field, '5' );
		await userEvent.click(
			screen.getByRole( 'button', { name: 'Save settings' } )
		);
		await screen.findByText( 'Settings saved.' );
		expect( puts[ 0 ] ).toMatchObject( { untracked_stock: 5 } );
		await userEvent.clear( field );
		await userEvent.click(
			screen.getByRole( 'button', { name: 'Save settings' } )
		);
		await screen.findAllByText( 'Settings saved.' );
		expect( puts[ 1 ] ).toMatchObject( { untracked_stock: null } );
	} );

	it( 'chooses the product statuses and types created in keyCRM', async () => {
		const puts: Array< Record< string, unknown > > = [];
		server.use(
			http.get( `${ API }/settings`, () =>
				json(
					settingsBody( {
						sync_statuses: [ 'publish' ],
						create_external: false,
					} )
				)
			),
			httpPut( `${ API }/settings`, async ( { request } ) => {
				puts.push(
					( await request.json() ) as Record< string, unknown >
				);
				return json( settingsBody() );
			} )
		);
		renderScreen();
		const published =
			await screen.findByLabelText< HTMLInputElement >( 'Published' );
		expect( published.checked ).toBe( true );
		expect( input( 'Draft' ).checked ).toBe( false );
		await userEvent.click( input( 'Draft' ) );
		await userEvent.click( input( 'Create external/affiliate products' ) );
		await userEvent.click(
			screen.getByRole( 'button', { name: 'Save settings' } )
		);
		await screen.findByText( 'Settings saved.' );
		expect( puts[ 0 ] ).toMatchObject( {
			sync_statuses: [ 'publish', 'draft' ],
			create_external: true,
		} );
	} );

	it( 'validates with the contract before sending, and shows a server rejection', async () => {
		let putCount = 0;
		server.use(
			http.get( `${ API }/settings`, () => json( settingsBody() ) ),
			httpPut( `${ API }/settings`, () => {
				putCount++;
				return wpError(
					400,
					'keycrm_sync_invalid_settings',
					'The warehouse 99 does not exist in keyCRM.'
				);
			} )
		);
		renderScreen();
		const rate = await screen.findByLabelText< HTMLInputElement >(
			'Rate budget (keyCRM requests per minute, at most 60)'
		);
		await userEvent.clear( rate );
		await userEvent.type( rate, '120' );
		await userEvent.click(
			screen.getByRole( 'button', { name: 'Save settings' } )
		);
		await screen.findByText( /Please correct this field:/ );
		screen.getByText( /rate_per_minute/ );
		expect( putCount ).toBe( 0 );

		await userEvent.clear( rate );
		await userEvent.type( rate, '60' );
		await userEvent.type( input( 'Warehouse ID' ), '99' );
		await userEvent.click(
			screen.getByRole( 'button', { name: 'Save settings' } )
		);
		await screen.findByText(
			/The warehouse 99 does not exist in keyCRM\. \(HTTP 400\)/
		);
		expect( putCount ).toBe( 1 );
	} );

	it( 'never shows the webhook URL from the settings; a rotation shows the new one once, after a confirmation', async () => {
		let posts = 0;
		const URL_NEW =
			'http://localhost/wp-json/keycrm-sync/v1/webhook/stock?secret=new999';
		const writeText = jest.fn( () => Promise.resolve() );
		Object.defineProperty( navigator, 'clipboard', {
			value: { writeText },
			configurable: true,
		} );
		server.use(
			http.get( `${ API }/settings`, () => json( settingsBody() ) ),
			http.post( `${ API }/settings/webhook-secret`, () => {
				posts++;
				return json( {
					webhook_secret: 'new999',
					webhook_url: URL_NEW,
				} );
			} )
		);
		const { unmount } = renderScreen();
		await screen.findByText(
			'A webhook URL exists. It is not shown again.'
		);
		expect( screen.queryByLabelText( 'Webhook URL' ) ).toBeNull();

		await userEvent.click(
			screen.getByRole( 'button', { name: 'Rotate secret' } )
		);
		screen.getByText( /The current URL stops working at once/ );
		await userEvent.click(
			screen.getByRole( 'button', { name: 'Cancel' } )
		);
		expect( posts ).toBe( 0 );

		await userEvent.click(
			screen.getByRole( 'button', { name: 'Rotate secret' } )
		);
		await userEvent.click(
			screen.getByRole( 'button', { name: 'Yes, make a new URL' } )
		);
		await screen.findByText( URL_NEW );
		expect( posts ).toBe( 1 );
		screen.getByText( /It will not be shown again/ );
		await userEvent.click(
			screen.getByRole( 'button', { name: 'Copy URL' } )
		);
		expect( writeText ).toHaveBeenCalledWith( URL_NEW );
		await screen.findByText( 'Copied.' );

		// Shown once: the screen loaded again has only the settings, which never carry it.
		unmount();
		renderScreen();
		await screen.findByText(
			'A webhook URL exists. It is not shown again.'
		);
		expect( screen.queryByText( URL_NEW ) ).toBeNull();
		expect( posts ).toBe( 1 );
	} );

	it( 'makes the first webhook URL without a confirmation, and offers no rotation to a shop manager', async () => {
		server.use(
			http.get( `${ API }/settings`, () =>
				json( settingsBody( { webhook_secret_set: false } ) )
			),
			http.post( `${ API }/settings/webhook-secret`, () =>
				json( {
					webhook_secret: 'first1',
					webhook_url: 'http://localhost/hook?secret=first1',
				} )
			)
		);
		const { unmount } = renderScreen();
		await screen.findByText( 'No webhook URL yet.' );
		await userEvent.click(
			screen.getByRole( 'button', { name: 'Make webhook URL' } )
		);
		await screen.findByText( 'http://localhost/hook?secret=first1' );
		unmount();

		renderIn(
			<SettingsScreen
				page={ { ...PAGE_DATA, canRotateWebhook: false } }
			/>
		);
		await screen.findByText(
			'Only an administrator can make a new webhook URL.'
		);
		expect(
			screen.queryByRole( 'button', { name: 'Rotate secret' } )
		).toBeNull();
	} );

	it( 'creates the sender user and its application password once, shown beside the command, never in it', async () => {
		let calls = 0;
		server.use(
			http.get( `${ API }/settings`, () => json( settingsBody() ) ),
			http.post( `${ API }/sender-user`, () => {
				calls++;
				return json( {
					user_login: 'keycrm-sync-sender',
					password: 'abcd EFGH ijkl MNOP qrst UVWX',
				} );
			} )
		);
		renderScreen();
		const command =
			"read -rsp 'Application password: ' KEYCRM_SYNC_APP_PASSWORD && export KEYCRM_SYNC_APP_PASSWORD && node keycrm-sync.mjs worker --site http://localhost/ --user keycrm-sync-sender";
		await screen.findByText( command );
		await userEvent.click(
			screen.getByRole( 'button', {
				name: 'Create sender user and application password',
			} )
		);
		expect(
			( await screen.findByTestId( 'sender-app-password' ) ).textContent
		).toBe( 'abcd EFGH ijkl MNOP qrst UVWX' );
		screen.getByText( /shown only once/ );
		// The password never goes on the command line (ps, shell history).
		screen.getByText( command );
		expect( screen.queryByText( /--app-password/ ) ).toBeNull();
		expect(
			screen.queryByRole( 'button', {
				name: 'Create sender user and application password',
			} )
		).toBeNull();
		expect( calls ).toBe( 1 );
	} );

	it( 'offers no sender user to a shop manager (only administrators create it)', async () => {
		server.use(
			http.get( `${ API }/settings`, () => json( settingsBody() ) )
		);
		renderIn(
			<SettingsScreen page={ { ...PAGE_DATA, canCreateSender: false } } />
		);
		await screen.findByText( /--user keycrm-sync-sender$/ );
		expect(
			screen.queryByRole( 'button', {
				name: 'Create sender user and application password',
			} )
		).toBeNull();
	} );

	it( 'reports a failure to create the sender user', async () => {
		server.use(
			http.get( `${ API }/settings`, () => json( settingsBody() ) ),
			http.post( `${ API }/sender-user`, () =>
				wpError(
					409,
					'keycrm_sync_app_passwords_off',
					'Application passwords are not available.'
				)
			)
		);
		renderScreen();
		await userEvent.click(
			await screen.findByRole( 'button', {
				name: 'Create sender user and application password',
			} )
		);
		expect(
			inErrorNotice(
				await screen.findByText(
					/Application passwords are not available\./
				)
			)
		).toBe( true );
	} );
} );
