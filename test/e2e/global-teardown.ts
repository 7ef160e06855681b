/**
 * Stops what global-setup and the tests started (by pid) and the shop (KCS_E2E_KEEP=1 keeps it).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

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
	if (
		! state.skip &&
		process.env.KCS_E2E_KEEP !== '1' &&
		existsSync( path.join( state.siteDir, 'site.env' ) )
	) {
		execFileSync(
			path.join( E2E.harness, 'wp-down.sh' ),
			[ '--purge', state.siteDir ],
			{ stdio: 'inherit', timeout: 120_000 }
		);
	}
}
