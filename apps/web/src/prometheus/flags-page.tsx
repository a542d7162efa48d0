import { useState } from 'react';
import { promData } from '../shell/api.js';
import { FilterInput, KeyValueTable, Loaded } from '../shell/components.js';
import { PageHeader } from '../shell/layout.js';
import { useFetch } from '../shell/use-fetch.js';

/** Status → Command-line flags (`/status/flags`), filterable by name or value. */
export function FlagsPage() {
  const flags = useFetch(() => promData<Record<string, string>>('api/v1/status/flags'), 'flags');
  const [filter, setFilter] = useState('');
  return (
    <>
      <PageHeader title="Command-line flags">
        <FilterInput value={filter} onChange={setFilter} placeholder="Filter by flag name or value" />
      </PageHeader>
      <Loaded state={flags}>
        {(f) => (
          <div className="panel">
            <KeyValueTable rows={Object.entries(f).filter(([k, v]) => `${k} ${v}`.toLowerCase().includes(filter.toLowerCase())).map(([k, v]) => [`--${k}`, <code key={k}>{v}</code>] as const)} />
          </div>
        )}
      </Loaded>
    </>
  );
}
