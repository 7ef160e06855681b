/**
 * Polls GET /status: every `fastMs` while a resync runs or rows are dirty, else every `slowMs`.
 */
import { useEffect, useRef, useState } from '@wordpress/element';

import { getStatus } from '../api/client';
import { toApiError, type ApiError } from '../api/errors';
import type { StatusResponse } from '@keycrm-sync/contract';

export interface StatusPoll {
	status: StatusResponse | null;
	error: ApiError | null;
	loading: boolean;
	/** Polls now (e.g. right after "Resync all"). */
	refresh: () => void;
}

/**
 * @param fastMs Interval while work is in progress.
 * @param slowMs Interval when idle.
 */
export function useStatus( fastMs = 2000, slowMs = 15000 ): StatusPoll {
	const [ status, setStatus ] = useState< StatusResponse | null >( null );
	const [ error, setError ] = useState< ApiError | null >( null );
	const [ loading, setLoading ] = useState( true );
	const [ tick, setTick ] = useState( 0 );
	const busy = useRef( false );

	useEffect( () => {
		const controller = new AbortController();
		let timer: ReturnType< typeof setTimeout > | undefined;
		getStatus( controller.signal )
			.then(
				( next ) => {
					setStatus( next );
					setError( null );
					setLoading( false );
					busy.current = next.resync.running || next.dirty > 0;
				},
				( thrown: unknown ) => {
					if ( ! controller.signal.aborted ) {
						setError( toApiError( thrown ) );
						setLoading( false );
					}
				}
			)
			.finally( () => {
				if ( ! controller.signal.aborted ) {
					timer = setTimeout(
						() => setTick( ( t ) => t + 1 ),
						busy.current ? fastMs : slowMs
					);
				}
			} );
		return () => {
			controller.abort();
			if ( timer ) {
				clearTimeout( timer );
			}
		};
	}, [ tick, fastMs, slowMs ] );

	return { status, error, loading, refresh: () => setTick( ( t ) => t + 1 ) };
}
