import type { AstNode } from '@pyrometer/http-api';
import { promData } from '../../shell/api.js';
import { Loaded } from '../../shell/components.js';
import { useFetch } from '../../shell/use-fetch.js';

/** The explain tab: the query's syntax tree as the server parses it (`/api/v1/parse_query`). */
export function ExplainView({ expr, runId }: { expr: string; runId: number }) {
  const state = useFetch(() => promData<AstNode>('api/v1/parse_query', { query: expr }), `${expr}|${runId}`);
  return <Loaded state={state}>{(tree) => <ul className="ast-tree" data-testid="ast-tree"><AstItem node={tree} /></ul>}</Loaded>;
}

interface Matcher {
  name: string;
  type: string;
  value: string;
}

const duration = (ms: unknown) => (typeof ms === 'number' && ms !== 0 ? `${ms / 1000}s` : '');

/** A one-line description of a node, as Prometheus's tree view shows it. */
function describe(node: AstNode): { text: string; what: string } {
  switch (node.type) {
    case 'aggregation': {
      const grouping = (node['grouping'] as string[]) ?? [];
      return { text: `${node['op']}${grouping.length > 0 || node['without'] ? ` ${node['without'] ? 'without' : 'by'} (${grouping.join(', ')})` : ''}`, what: 'aggregation' };
    }
    case 'binaryExpr': {
      const m = node['matching'] as { card: string; labels: string[]; on: boolean; include: string[] } | null;
      const matching = m && (m.on || m.labels.length > 0) ? ` ${m.on ? 'on' : 'ignoring'}(${m.labels.join(', ')})` : '';
      const group = m && m.card !== 'one-to-one' && m.card !== 'many-to-many' ? ` ${m.card === 'many-to-one' ? 'group_left' : 'group_right'}(${m.include.join(', ')})` : '';
      return { text: `${node['op']}${node['bool'] ? ' bool' : ''}${matching}${group}`, what: 'binary operation' };
    }
    case 'call':
      return { text: `${(node['func'] as { name: string }).name}()`, what: 'function call' };
    case 'vectorSelector':
    case 'matrixSelector': {
      const matchers = ((node['matchers'] as Matcher[]) ?? []).filter((m) => m.name !== '__name__');
      const text = `${node['name'] as string}${matchers.length > 0 ? `{${matchers.map((m) => `${m.name}${m.type}${JSON.stringify(m.value)}`).join(', ')}}` : ''}${node.type === 'matrixSelector' ? `[${duration(node['range'])}]` : ''}${node['offset'] ? ` offset ${duration(node['offset'])}` : ''}`;
      return { text, what: node.type === 'matrixSelector' ? 'range vector selector' : 'instant vector selector' };
    }
    case 'subquery':
      return { text: `[${duration(node['range'])}:${duration(node['step'])}]`, what: 'subquery' };
    case 'numberLiteral':
    case 'stringLiteral':
      return { text: String(node['val']), what: node.type === 'numberLiteral' ? 'number' : 'string' };
    case 'parenExpr':
      return { text: '( … )', what: 'parentheses' };
    case 'unaryExpr':
      return { text: String(node['op']), what: 'unary operation' };
  }
}

function children(node: AstNode): AstNode[] {
  switch (node.type) {
    case 'aggregation':
      return [node['param'], node['expr']].filter(Boolean) as AstNode[];
    case 'binaryExpr':
      return [node['lhs'], node['rhs']] as AstNode[];
    case 'call':
      return node['args'] as AstNode[];
    case 'subquery':
    case 'parenExpr':
    case 'unaryExpr':
      return [node['expr'] as AstNode];
    default:
      return [];
  }
}

function AstItem({ node }: { node: AstNode }) {
  const { text, what } = describe(node);
  const kids = children(node);
  return (
    <li>
      <span className="ast-node mono">{text}</span> <span className="muted">{what}</span>
      {kids.length > 0 && (
        <ul>
          {kids.map((k, i) => (
            <AstItem key={i} node={k} />
          ))}
        </ul>
      )}
    </li>
  );
}
