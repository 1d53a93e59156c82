import type { PathParams, Route } from './endpoint.js';

interface Compiled {
  route: Route;
  segments: string[];
  params: number;
}

export interface Match {
  route: Route;
  path: PathParams;
}

/**
 * Matches `METHOD /path` to a route. Literal segments win over `:param` ones, so
 * `/v1/customers/search` is never read as a customer id, whatever order routes are listed in.
 */
export class Router {
  private readonly compiled: Compiled[];

  constructor(routes: readonly Route[]) {
    this.compiled = routes
      .map((route) => {
        const segments = route.path.split('/').slice(1);
        return { route, segments, params: segments.filter((s) => s.startsWith(':')).length };
      })
      .sort((a, b) => a.params - b.params);
  }

  match(method: string, pathname: string): Match | undefined {
    const parts = pathname.split('/').slice(1);
    for (const { route, segments } of this.compiled) {
      if (route.method !== method || segments.length !== parts.length) continue;
      const path = matchSegments(segments, parts);
      if (path !== undefined) return { route, path };
    }
    return undefined;
  }
}

function matchSegments(segments: string[], parts: string[]): PathParams | undefined {
  const path: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] ?? '';
    const part = parts[i] ?? '';
    if (segment.startsWith(':')) {
      if (part === '') return undefined;
      path[segment.slice(1)] = safeDecode(part);
    } else if (segment !== part) {
      return undefined;
    }
  }
  return path;
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
