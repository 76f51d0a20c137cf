/**
 * The REST API's route table. Routes are templates such as `/v1/messages/{id}`: the same
 * templates name the endpoints in call counts, API-call events and fault rules.
 */
import { ApiError } from '../errors.js';
import type { Core } from '../service/core.js';
import type { Upload } from '../service/contents.js';
import type { Person } from '../types.js';

/** A parsed REST request, as route handlers see it. */
export interface ApiRequest {
  core: Core;
  /** The authenticated person; undefined only on public routes. */
  caller: Person | undefined;
  method: string;
  /** Normalized path (no trailing slash). */
  path: string;
  query: URLSearchParams;
  params: Record<string, string>;
  body: Record<string, unknown>;
  /** Files of a multipart `POST /v1/messages` (none otherwise). */
  uploads: readonly Upload[];
  /** `http://host:port` as the client addressed it, for absolute `Link` URLs. */
  origin: string;
}

/** What a handler answers. */
export interface ApiResponse {
  status: number;
  body?: unknown;
  /** Bytes sent as they are (a file), instead of a JSON `body`. */
  raw?: Buffer;
  headers?: Record<string, string>;
}

/** One endpoint. */
export interface Route {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';
  template: string;
  /** No bearer token needed (service discovery only). */
  public?: boolean;
  handle(req: ApiRequest): ApiResponse;
}

/** The result of matching a request against the table. */
export interface RouteMatch {
  route?: Route;
  params: Record<string, string>;
  /** The matched template, also when only the method was wrong. */
  template?: string;
  /** Methods the path supports, when the method was wrong. */
  allowed?: string[];
}

interface Compiled {
  route: Route;
  regex: RegExp;
  keys: string[];
}

function compile(route: Route): Compiled {
  const keys: string[] = [];
  const pattern = route.template
    .split('/')
    .map((seg) => {
      const m = /^\{(\w+)\}$/.exec(seg);
      if (!m) return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      keys.push(m[1]!);
      return '([^/]+)';
    })
    .join('/');
  return { route, regex: new RegExp(`^${pattern}$`), keys };
}

/** The caller of an authenticated route (401 if somehow missing). */
export function callerOf(req: ApiRequest): Person {
  if (!req.caller) throw new ApiError(401);
  return req.caller;
}

/** Strips trailing slashes (Webex and the SDK use both `/v1/people` and `/v1/people/`). */
export function normalizePath(path: string): string {
  return path.replace(/\/+$/, '') || '/';
}

/** Ordered route table: the first template that matches wins. */
export class Router {
  private readonly compiled: Compiled[];

  constructor(routes: Route[]) {
    this.compiled = routes.map(compile);
  }

  match(method: string, path: string): RouteMatch {
    const allowed: string[] = [];
    let template: string | undefined;
    for (const c of this.compiled) {
      const m = c.regex.exec(path);
      if (!m) continue;
      template ??= c.route.template;
      if (c.route.template !== template) continue;
      if (c.route.method !== method) {
        allowed.push(c.route.method);
        continue;
      }
      const params: Record<string, string> = {};
      c.keys.forEach((k, i) => {
        const raw = m[i + 1] ?? '';
        try {
          params[k] = decodeURIComponent(raw);
        } catch {
          params[k] = raw; // malformed escapes: an id that matches nothing (404)
        }
      });
      return { route: c.route, params, template };
    }
    return template ? { params: {}, template, allowed } : { params: {} };
  }
}
