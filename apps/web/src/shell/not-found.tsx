import { Link } from 'react-router';

/** What an unknown path under an app shows. */
export function NotFound() {
  return (
    <p className="muted">
      There is no page at this address. <Link to="/">Go to the start page.</Link>
    </p>
  );
}
