/**
 * Preloaded into WordPress Playground's CLI (`node --import …`): its server listens on every
 * interface (it passes only a port to `listen`). The demo is for this machine only, so a listen
 * call that names no host is bound to 127.0.0.1.
 */
import net from 'node:net';

const originalListen = net.Server.prototype.listen;

net.Server.prototype.listen = function listenOnLoopback( ...args ) {
	const [ first, second ] = args;
	if ( typeof first === 'number' && typeof second !== 'string' ) {
		return originalListen.call(
			this,
			first,
			'127.0.0.1',
			...args.slice( 1 )
		);
	}
	if (
		first &&
		typeof first === 'object' &&
		'port' in first &&
		! first.host
	) {
		return originalListen.call(
			this,
			{ ...first, host: '127.0.0.1' },
			...args.slice( 1 )
		);
	}
	return originalListen.apply( this, args );
};
