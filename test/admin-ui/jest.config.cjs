/**
 * The repository's jest config plus the ESM-only packages @wordpress/components pulls into the
 * UI tests (`uuid`, `@wordpress/theme`), which babel must transform on Node 20.
 * Once the root jest.config.cjs lists them in ESM_ONLY this file is no longer needed.
 */
const path = require( 'path' );
const root = require( '../../jest.config.cjs' );

const ESM_ONLY = [
	'ky',
	'rettime',
	'until-async',
	'@open-draft/deferred-promise',
	'uuid',
	'@wordpress/theme',
];

module.exports = {
	...root,
	rootDir: path.resolve( __dirname, '../..' ),
	testMatch: [ '<rootDir>/test/admin-ui/**/*.test.[jt]s?(x)' ],
	transformIgnorePatterns: [
		`/node_modules/(?!(.+/node_modules/)?(${ ESM_ONLY.join( '|' ) })/)`,
	],
};
