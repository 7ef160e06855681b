/**
 * `@keycrm-sync/contract`: the plugin's REST contract (zod/mini schemas and
 * their types), the admin page's inline data, the SKU rules and the wording of
 * a failed parse, as the admin UI, the tests and the tools import them. The alias is configured in tsconfig.json (paths), webpack.config.js
 * (resolve.alias), jest.config.cjs (moduleNameMapper) and eslint.config.cjs
 * (import resolver). Code inside src/ imports these files relatively, so
 * `tsc -p tsconfig.build.json` emits a dist/ that runs without the alias.
 */
export * from './plugin-rest.js';
export * from './sku-rules.js';
export {
	describeIssues,
	issueMessage,
	issuePath,
	type ZodIssue,
} from '../util/zod-issues.js';
export * from './admin-page.js';
