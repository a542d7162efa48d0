import { useState } from 'react';
import { promData } from '../shell/api.js';
import { Loaded } from '../shell/components.js';
import { PageHeader } from '../shell/layout.js';
import { useFetch } from '../shell/use-fetch.js';

/** Status → Configuration (`/status/config`): the YAML in effect, with a copy button. */
export function ConfigPage() {
  const config = useFetch(() => promData<{ yaml: string }>('api/v1/status/config'), 'config');
  const [copied, setCopied] = useState(false);
  const copy = (text: string) => navigator.clipboard.writeText(text).then(() => setCopied(true), () => setCopied(false));
  return (
    <>
      <PageHeader title="Configuration">
        {config.data && (
          <button type="button" className="btn" onClick={() => copy(config.data!.yaml)}>
            {copied ? 'Copied' : 'Copy to clipboard'}
          </button>
        )}
      </PageHeader>
      <Loaded state={config}>{(c) => <pre className="config-yaml">{c.yaml}</pre>}</Loaded>
    </>
  );
}
