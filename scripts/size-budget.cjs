/**
 * Size budgets of the two shipped bundles, in bytes (minified), and how a
 * size is printed. Read by webpack.config.js (the admin size after every
 * build), scripts/bundle-sender.ts and test/packaging/bundle-size.test.ts.
 */
const { gzipSync } = require( 'zlib' );

/** plugin/build/admin.js (wp-scripts build). */
const ADMIN_BUDGET = 70 * 1024;
/** dist/keycrm-sync.mjs (npm run bundle). */
const SENDER_BUDGET = 400 * 1024;

/**
 * `name: 85.0 KiB minified, 23.1 KiB gzipped (budget 70 KiB)`.
 *
 * @param {string} name   Artefact.
 * @param {Buffer} bytes  Its content.
 * @param {number} budget Budget in bytes.
 * @return {string} The line.
 */
function sizeLine( name, bytes, budget ) {
	const kib = ( n ) => ( n / 1024 ).toFixed( 1 );
	const over = bytes.length > budget ? ' OVER BUDGET' : '';
	return `${ name }: ${ kib( bytes.length ) } KiB minified, ${ kib(
		gzipSync( bytes, { level: 9 } ).length
	) } KiB gzipped (budget ${ budget / 1024 } KiB)${ over }`;
}

module.exports = { ADMIN_BUDGET, SENDER_BUDGET, sizeLine };
