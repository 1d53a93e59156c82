import type { PathParams, Route } from './route.js';

/**
 * Matches a request to a route by Google's path templates. `{name}` captures one path segment up
 * to a `/` or `:` (so `{spreadsheetId}:batchUpdate` splits at the verb); `{name...}` may contain
 * `:` too, because a range such as `A1:B2` keeps its colon when a client does not percent-encode
 * it. Matching is done on the raw path and each capture is then percent-decoded, so an encoded
 * `%3A` or `%2F` inside a range never splits it.
 */
interface Compiled {
  route: Route;
  pattern: RegExp;
  names: string[];
}

export interface Match {
  route: Route;
  params: PathParams;
}

function compile(route: Route): Compiled {
  const names: string[] = [];
  const source = route.template.replace(/\{(\w+)(\.\.\.)?\}|[^{]+/g, (token, name: string | undefined, any: string | undefined) => {
    if (name === undefined) return token.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
    names.push(name);
    return any === undefined ? '([^/:]+)' : '([^/]+?)';
  });
  return { route, pattern: new RegExp(`^${source}$`), names };
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

export class Router {
  private readonly compiled: Compiled[];

  constructor(routes: readonly Route[]) {
    this.compiled = routes.map(compile);
  }

  match(method: string, rawPath: string): Match | undefined {
    for (const { route, pattern, names } of this.compiled) {
      if (route.method !== method) continue;
      const found = pattern.exec(rawPath);
      if (found === null) continue;
      const params: Record<string, string> = {};
      names.forEach((name, i) => {
        params[name] = safeDecode(found[i + 1] ?? '');
      });
      return { route, params };
    }
    return undefined;
  }
}
