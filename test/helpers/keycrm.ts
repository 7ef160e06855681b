/**
 * Test helpers: a keyCRM emulator behind msw (unhandled requests fail the
 * test) and a keyCRM client pointed at it, sharing one clock.
 */
import { setupServer, type SetupServer } from 'msw/node';

import {
	createKeyCrmClient,
	type KeyCrmClientOptions,
} from '../../src/keycrm/client';
import { KeyCrmEmulator, type EmulatorOptions } from '../../src/emulator/core';
import { keycrmHandlers } from '../../src/emulator/msw';
import { virtualClock, type Clock } from '../../src/util/clock';

export const KEYCRM_TEST_URL = 'https://openapi.keycrm.app/v1';
export const KEYCRM_TEST_KEY = 'test-key';

export interface KeyCrmTestEnv {
	server: SetupServer;
	emulator: KeyCrmEmulator;
	clock: Clock;
	/** A client on the emulator; options override the defaults. */
	client: (
		options?: Partial< KeyCrmClientOptions >
	) => ReturnType< typeof createKeyCrmClient >;
}

/**
 * Register beforeAll/afterEach/afterAll hooks for an msw-backed emulator and
 * return accessors. The emulator is reset after every test. Client and
 * emulator share one clock (virtual by default, see `virtualClock`).
 *
 * @param options Emulator options.
 */
export function useKeyCrmEmulator(
	options: EmulatorOptions = {}
): KeyCrmTestEnv {
	// Virtual time by default: rate limits and back-off cost no real time and timings are exact.
	const clock = options.clock ?? virtualClock();
	const emulator = new KeyCrmEmulator( {
		apiKeys: [ KEYCRM_TEST_KEY ],
		clock,
		...options,
	} );
	const server = setupServer(
		...keycrmHandlers( emulator, KEYCRM_TEST_URL )
	);
	beforeAll( () => server.listen( { onUnhandledRequest: 'error' } ) );
	afterEach( async () => {
		server.resetHandlers();
		await emulator.webhook.idle();
		emulator.reset();
	} );
	afterAll( () => server.close() );
	return {
		server,
		emulator,
		clock,
		client: ( overrides = {} ) =>
			createKeyCrmClient( {
				baseUrl: KEYCRM_TEST_URL,
				apiKey: KEYCRM_TEST_KEY,
				clock,
				...overrides,
			} ),
	};
}
