/**
 * One jest for the whole repository: sender, client and emulator tests run
 * in the node environment (`@jest-environment node` docblock), UI tests in
 * jest-fixed-jsdom. Babel (via wp-scripts) strips types; `tsc` type-checks.
 */
const path = require( 'path' );
const wp = require( '@wordpress/scripts/config/jest-unit.config.js' );

const babelTransform = path.join(
	path.dirname( require.resolve( '@wordpress/scripts/package.json' ) ),
	'config/babel-transform'
);
// ESM-only packages that babel must turn into CJS (jest has no require(esm) on Node 20).
const ESM_ONLY = [
	'ky',
	'rettime',
	'until-async',
	'@open-draft/deferred-promise',
	'@apidevtools',
	'uuid',
	'@wordpress/theme',
	'gettext-parser',
];

module.exports = {
	...wp,
	rootDir: __dirname,
	testMatch: [ '<rootDir>/test/**/*.test.[jt]s?(x)' ],
	testPathIgnorePatterns: [ '/node_modules/', '<rootDir>/test/e2e/' ],
	transform: { '\\.[cm]?[jt]sx?$': babelTransform },
	moduleNameMapper: {
		...wp.moduleNameMapper,
		'^(\\.{1,2}/.*)\\.js$': '$1',
		// The REST contract by name (tsconfig.json "paths").
		'^@keycrm-sync/contract$': '<rootDir>/src/contract/index.ts',
	},
	transformIgnorePatterns: [
		`/node_modules/(?!(.+/node_modules/)?(${ ESM_ONLY.join( '|' ) })/)`,
	],
	testTimeout: 30000,
};
