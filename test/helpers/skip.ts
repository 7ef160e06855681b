/**
 * What a suite does when this machine lacks something it needs (WordPress, a program): under
 * CI=true it FAILS with the reason, so CI is never green with a suite left out; elsewhere it is
 * skipped with one loud line, and recorded in $KCS_SKIP_LOG when set (scripts/test.sh counts those
 * in its closing summary). Works in jest and in Playwright's global setup.
 */
import { appendFileSync } from 'node:fs';

/** Whether this run is CI (CI set to anything but "", "0" or "false"). */
export function isCi(): boolean {
	const ci = process.env.CI ?? '';
	return ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

/**
 * Reports that `suite` cannot run: throws under CI, otherwise prints and records the skip.
 *
 * @param suite The suite's name, as the line shows it.
 * @param why   Why it cannot run, and what to provide (shown on one line).
 */
export function cannotRun( suite: string, why: string ): void {
	const reason = why.replace( /\s*\n\s*/g, '; ' );
	if ( isCi() ) {
		throw new Error(
			`${ suite } cannot run, and CI=true does not allow skipping it: ${ reason }`
		);
	}
	process.stderr.write(
		`\n######## SKIPPED ${ suite }: ${ reason } (under CI=true this fails)\n\n`
	);
	if ( process.env.KCS_SKIP_LOG ) {
		appendFileSync( process.env.KCS_SKIP_LOG, `${ suite }: ${ reason }\n` );
	}
}

/**
 * `describe` when nothing is missing; otherwise `cannotRun` (fails under CI) and `describe.skip`.
 *
 * @param suite   The suite's name.
 * @param missing Why it cannot run, or null.
 */
export function describeOrSkip(
	suite: string,
	missing: string | null
): jest.Describe {
	if ( missing === null ) {
		return describe;
	}
	cannotRun( suite, missing );
	return describe.skip;
}
