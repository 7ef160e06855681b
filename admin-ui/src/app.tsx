/**
 * The keyCRM Sync admin page: Overview, Items, Problems, Stock from keyCRM and Settings tabs.
 */
import { TabPanel } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

import type { PageData } from './api/page-data';
import { lazyScreen } from './components/lazy-screen';
import { useStatus } from './hooks/use-status';
import { ItemsScreen } from './screens/items-screen';
import { OverviewScreen } from './screens/overview-screen';

// Tabs visited at set-up, when SKUs need fixing or only in keyCRM → shop mode: chunks of their
// own (admin-settings.js, admin-problems.js, admin-stock.js next to admin.js), fetched when
// first opened.
const SettingsScreen = lazyScreen( () =>
	import(
		/* webpackChunkName: "admin-settings" */ './screens/settings-screen'
	).then( ( module ) => module.SettingsScreen )
);
const ProblemsScreen = lazyScreen( () =>
	import(
		/* webpackChunkName: "admin-problems" */ './screens/problems-screen'
	).then( ( module ) => module.ProblemsScreen )
);
const StockScreen = lazyScreen( () =>
	import(
		/* webpackChunkName: "admin-stock" */ './screens/stock-screen'
	).then( ( module ) => module.StockScreen )
);

export const TABS = [
	'overview',
	'items',
	'problems',
	'stock',
	'settings',
] as const;
export type TabName = ( typeof TABS )[ number ];

function tabFromHash( hash: string ): TabName {
	const name = hash.replace( /^#/, '' );
	return ( TABS as readonly string[] ).includes( name )
		? ( name as TabName )
		: 'overview';
}

interface Props {
	page: PageData;
	/** Status polling intervals (tests shorten them). */
	pollMs?: { fast: number; slow: number };
}

/**
 * @param props        Page data and polling intervals.
 * @param props.page
 * @param props.pollMs
 */
export function App( { page, pollMs = { fast: 2000, slow: 15000 } }: Props ) {
	const poll = useStatus( pollMs.fast, pollMs.slow );
	const [ tab, setTab ] = useState< TabName >( () =>
		tabFromHash( window.location.hash )
	);
	// TabPanel keeps its own selection; a key change remounts it on programmatic navigation.
	const [ generation, setGeneration ] = useState( 0 );
	const navigate = ( name: string ) => {
		const next = tabFromHash( name );
		setTab( next );
		setGeneration( ( g ) => g + 1 );
		window.history.replaceState( null, '', `#${ next }` );
	};
	const problems = poll.status?.problems ?? 0;
	const failed =
		( poll.status?.counts.failed ?? 0 ) + ( poll.status?.counts.dead ?? 0 );
	const tabs = [
		{ name: 'overview', title: __( 'Overview', 'keycrm-sync' ) },
		{
			name: 'items',
			title:
				failed > 0
					? sprintf(
							/* translators: %d: number of failed SKUs. */
							__( 'Items (%d failed)', 'keycrm-sync' ),
							failed
						)
					: __( 'Items', 'keycrm-sync' ),
		},
		{
			name: 'problems',
			title:
				problems > 0
					? sprintf(
							/* translators: %d: number of SKU problems. */
							__( 'SKU problems (%d)', 'keycrm-sync' ),
							problems
						)
					: __( 'SKU problems', 'keycrm-sync' ),
		},
		{ name: 'stock', title: __( 'Stock from keyCRM', 'keycrm-sync' ) },
		{ name: 'settings', title: __( 'Settings', 'keycrm-sync' ) },
	];
	return (
		<div className="keycrm-sync-app">
			{ ! page.wcHeader && (
				<h1 className="keycrm-sync-title">
					{ __( 'keyCRM Sync', 'keycrm-sync' ) }
				</h1>
			) }
			<TabPanel
				key={ generation }
				className="keycrm-sync-tabs"
				tabs={ tabs }
				initialTabName={ tab }
				onSelect={ ( name: string ) => {
					setTab( tabFromHash( name ) );
					window.history.replaceState( null, '', `#${ name }` );
				} }
			>
				{ ( current: { name: string } ) => {
					switch ( current.name ) {
						case 'items':
							return <ItemsScreen />;
						case 'problems':
							return <ProblemsScreen />;
						case 'stock':
							return <StockScreen />;
						case 'settings':
							return <SettingsScreen page={ page } />;
						default:
							return (
								<OverviewScreen
									poll={ poll }
									page={ page }
									onNavigate={ navigate }
								/>
							);
					}
				} }
			</TabPanel>
		</div>
	);
}
