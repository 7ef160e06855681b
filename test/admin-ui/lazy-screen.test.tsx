/** @jest-environment jest-fixed-jsdom */
import userEvent from '@testing-library/user-event';

import { App } from '../../admin-ui/src/app';
import { lazyScreen } from '../../admin-ui/src/components/lazy-screen';
import { PAGE_DATA, settingsBody, statusBody } from './helpers/fixtures';
import { API, http, json, server } from './helpers/server';
import { setupScreenTest } from './helpers/screen';

const { screen, renderIn } = setupScreenTest();

/** A promise and the functions that settle it. */
function deferred< T >() {
	let resolve: ( value: T ) => void = () => {};
	let reject: ( reason: unknown ) => void = () => {};
	const promise = new Promise< T >( ( res, rej ) => {
		resolve = res;
		reject = rej;
	} );
	return { promise, resolve, reject };
}

function Greeting( { name }: { name: string } ) {
	return <p>Hello { name }</p>;
}

describe( 'Tabs loaded on first use', () => {
	it( 'shows a spinner until the screen is loaded, then the screen with its props', async () => {
		const chunk = deferred< typeof Greeting >();
		const Lazy = lazyScreen( () => chunk.promise );
		renderIn( <Lazy name="shop" /> );
		await screen.findByLabelText( 'Loading…' );
		chunk.resolve( Greeting );
		await screen.findByText( 'Hello shop' );
		expect( screen.queryByLabelText( 'Loading…' ) ).toBeNull();
	} );

	it( 'says when a screen cannot be fetched and fetches it again on "Try again"', async () => {
		const attempts = [
			deferred< typeof Greeting >(),
			deferred< typeof Greeting >(),
		];
		let calls = 0;
		const Lazy = lazyScreen( () => {
			const next = attempts[ calls++ ];
			if ( ! next ) {
				throw new Error( 'fetched more than twice' );
			}
			return next.promise;
		} );
		renderIn( <Lazy name="again" /> );
		attempts[ 0 ]?.reject(
			new Error( 'Loading chunk admin-settings failed.' )
		);
		await screen.findByText( 'Could not load this tab.' );
		screen.getByText( /Loading chunk admin-settings failed\./ );
		await userEvent.click(
			screen.getByRole( 'button', { name: 'Try again' } )
		);
		attempts[ 1 ]?.resolve( Greeting );
		await screen.findByText( 'Hello again' );
		expect( screen.queryByText( 'Could not load this tab.' ) ).toBeNull();
		expect( calls ).toBe( 2 );
	} );

	it( 'shows a loaded screen at once when it is shown again', async () => {
		let calls = 0;
		const Lazy = lazyScreen( async () => {
			calls++;
			return Greeting;
		} );
		const first = renderIn( <Lazy name="first" /> );
		await screen.findByText( 'Hello first' );
		first.unmount();
		renderIn( <Lazy name="second" /> );
		screen.getByText( 'Hello second' );
		expect( screen.queryByLabelText( 'Loading…' ) ).toBeNull();
		expect( calls ).toBe( 1 );
	} );

	it( 'opens the Settings tab of the app from the address (#settings)', async () => {
		server.use(
			http.get( `${ API }/status`, () => json( statusBody() ) ),
			http.get( `${ API }/settings`, () => json( settingsBody() ) )
		);
		window.history.replaceState( null, '', '#settings' );
		renderIn(
			<App page={ PAGE_DATA } pollMs={ { fast: 60000, slow: 60000 } } />
		);
		const key = await screen.findByLabelText( 'keyCRM API key' );
		expect( key ).toBeInstanceOf( HTMLInputElement );
	} );
} );
