/**
 * Serves the playground: its own files from `public/` as they are (plain ES modules, no build),
 * and the two browser bundles it needs from `node_modules` under `/vendor/` (no CDN).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Response, type Router } from 'express';

const require = createRequire(import.meta.url);
const publicDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'public');

function packageDir(name: string): string {
  return path.dirname(require.resolve(`${name}/package.json`));
}

/** `/vendor/<name>` → the file in `node_modules` it is served from. */
export const PLAYGROUND_VENDOR_FILES: Readonly<Record<string, string>> = Object.freeze({
  'adaptivecards.min.js': path.join(packageDir('adaptivecards'), 'dist/adaptivecards.min.js'),
  'adaptivecards.css': path.join(packageDir('adaptivecards'), 'dist/adaptivecards.css'),
  'markdown-it.mjs': path.join(packageDir('markdown-it'), 'dist/browser/markdown-it.esm.min.mjs'),
});

/**
 * The page's own rules: scripts and connections only to this origin. Card images may come from
 * anywhere, as in Webex; styles may be inline because the card renderer sets them.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: http: https:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

function setHeaders(res: Response): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cache-Control', 'no-cache');
}

/**
 * The express router of the playground, to mount at `/`.
 *
 * @example
 * app.use('/', createPlaygroundRouter()); // then open http://127.0.0.1:4000/
 */
export function createPlaygroundRouter(): Router {
  const router = express.Router();
  router.use((_req, res, next) => {
    setHeaders(res);
    next();
  });
  router.get('/vendor/:file', (req, res, next) => {
    const name = String(req.params['file']);
    if (!Object.hasOwn(PLAYGROUND_VENDOR_FILES, name)) return next();
    res.sendFile(PLAYGROUND_VENDOR_FILES[name]!);
  });
  router.use(
    express.static(publicDir, {
      index: 'index.html',
      fallthrough: true,
      setHeaders: (res) => setHeaders(res as Response),
    }),
  );
  return router;
}
