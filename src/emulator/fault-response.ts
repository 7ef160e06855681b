/**
 * What the emulator answers when a fault is injected: a reset or silent
 * connection, a proxy's HTML 502, a truncated or wrongly shaped body, a body
 * that stalls, or a plain 500.
 */
import type { EmulatorResponse } from './core.js';
import type { FaultDecision } from './faults.js';
import { JSON_HEADERS, respond } from './respond.js';

/** What a proxy in front of keyCRM answers when keyCRM is down. */
const PROXY_502 =
	'<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

/**
 * The response a fault produces.
 *
 * @param fault The fault.
 * @param done  The real answer when the work was done first.
 */
export function faultResponse(
	fault: Exclude< FaultDecision, 'none' | '429' > | 'none',
	done: EmulatorResponse | undefined
): EmulatorResponse {
	const real =
		done && done.status < 300 ? done.body : '{"data":[{"id":1,"sku":"A"}]}';
	switch ( fault ) {
		case 'reset':
		case 'timeout':
			return { status: 0, headers: {}, body: '', fault };
		case 'html':
			return {
				status: 502,
				headers: { 'Content-Type': 'text/html' },
				body: PROXY_502,
			};
		case 'truncated':
			return {
				status: 200,
				headers: { ...JSON_HEADERS },
				body: real.slice(
					0,
					Math.max( 1, Math.floor( real.length / 2 ) )
				),
			};
		case 'wrongShape':
			return respond( {
				status: 200,
				body: { result: 'ok', items: 'none' },
			} );
		case 'drip':
			return {
				status: 200,
				headers: { ...JSON_HEADERS },
				body: real,
				fault: 'drip',
			};
		default:
			return respond( {
				status: 500,
				body: { message: 'Server Error' },
			} );
	}
}
