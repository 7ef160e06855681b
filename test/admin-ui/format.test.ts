import { getSettings, setSettings } from '@wordpress/date';

import { formatAgo, formatDateTime } from '../../admin-ui/src/format';

describe( 'dates on the screens', () => {
	const original = getSettings();
	afterEach( () => setSettings( original ) );

	it( "shows a timestamp in the site's timezone and date format, not the browser's", () => {
		setSettings( {
			...original,
			formats: { ...original.formats, datetime: 'd.m.Y H:i' },
			timezone: {
				offset: 2,
				offsetFormatted: '+2',
				string: 'Europe/Kyiv',
				abbr: 'EET',
			},
		} );
		expect( formatDateTime( '2026-12-06T04:00:00Z' ) ).toBe(
			'06.12.2026 06:00'
		);
		expect( formatDateTime( '2026-07-01T21:30:00Z' ) ).toBe(
			'02.07.2026 00:30'
		);
	} );

	it( 'keeps null and unreadable values readable', () => {
		expect( formatDateTime( null ) ).toBe( '—' );
		expect( formatDateTime( 'soon' ) ).toBe( 'soon' );
	} );

	it( 'says how long ago, whatever the timezone', () => {
		expect(
			formatAgo(
				'2026-12-06T04:00:00Z',
				Date.parse( '2026-12-06T04:05:00Z' )
			)
		).toBe( '5 minutes ago' );
		expect( formatAgo( null ) ).toBe( 'never' );
	} );
} );
