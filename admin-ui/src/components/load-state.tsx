/**
 * The error notice (with "Try again") and the first-load spinner of a `useRequest` state.
 */
import { Spinner } from '@wordpress/components';

import { ErrorNotice } from './error-notice';
import type { RequestState } from '../hooks/use-request';

interface Props {
	req: RequestState< unknown >;
	reload: () => void;
	/** What failed, e.g. "Could not load the SKU problems." */
	errorTitle: string;
	/** Accessible label of the spinner. */
	loadingLabel: string;
}

/**
 * @param props              Request state, reload and texts.
 * @param props.req
 * @param props.reload
 * @param props.errorTitle
 * @param props.loadingLabel
 */
export function LoadState( { req, reload, errorTitle, loadingLabel }: Props ) {
	return (
		<>
			{ req.status === 'error' && (
				<ErrorNotice
					error={ req.error }
					title={ errorTitle }
					onRetry={ reload }
				/>
			) }
			{ req.status === 'loading' && ! req.data && (
				<Spinner aria-label={ loadingLabel } />
			) }
		</>
	);
}
