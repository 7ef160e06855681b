/**
 * Stops what global-setup and the tests started (by pid) and the shop (KCS_E2E_KEEP=1 keeps it).
 */
import { existsSync } from 'node:fs';

import { ShopHarness } from '../shop/shop';
import { E2E, readState } from './e2e-state';

function stop( pid: number ): void {
	if ( pid > 0 ) {
		try {
			process.kill( -pid, 'SIGTERM' );
		} catch {
			try {
				process.kill( pid, 'SIGTERM' );
			} catch {
				// Already gone.
			}
		}
	}
}

/** Playwright global teardown. */
export default async function globalTeardown(): Promise< void > {
	if ( ! existsSync( E2E.stateFile ) ) {
		return;
	}
	const state = readState();
	stop( state.workerPid );
	stop( state.emulatorPid );
	if ( ! state.skip && process.env.KCS_E2E_KEEP !== '1' ) {
		new ShopHarness( E2E.root ).stop( state.siteDir );
	}
}
