import { dirname, join } from 'node:path';
import { Router } from 'express';

/** Where the interactive reference is served. */
export const DOCS_PATH = '/docs';

/** The files of swagger-ui-dist the page needs; nothing else of the package is served. */
const ASSETS = new Map([
  ['swagger-ui.css', 'text/css; charset=utf-8'],
  ['swagger-ui-bundle.js', 'application/javascript; charset=utf-8'],
  ['favicon-32x32.png', 'image/png'],
]);

// The page and its initializer are separate files so that helmet's CSP (`script-src 'self'`) holds: no
// inline script, no CDN.
const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>tradehook API</title>
    <link rel="stylesheet" href="${DOCS_PATH}/swagger-ui.css" />
    <link rel="icon" type="image/png" href="${DOCS_PATH}/favicon-32x32.png" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="${DOCS_PATH}/swagger-ui-bundle.js"></script>
    <script src="${DOCS_PATH}/init.js"></script>
  </body>
</html>
`;

const INITIALIZER = `window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis],
  withCredentials: true,
});
`;

/**
 * `GET /docs`: Swagger UI over `/openapi.json`, served from the installed swagger-ui-dist package. The
 * package is located on the first request, so the webhook never pays for it.
 */
export function docsRoute(): Router {
  const router = Router();
  let root: string | undefined;
  router.get(DOCS_PATH, (_req, res) => {
    res.type('html').setHeader('Cache-Control', 'no-cache');
    res.send(PAGE);
  });
  router.get(`${DOCS_PATH}/init.js`, (_req, res) => {
    res.type('application/javascript').send(INITIALIZER);
  });
  router.get(`${DOCS_PATH}/:file`, (req, res, next) => {
    const type = ASSETS.get(req.params.file);
    if (!type) return next();
    root ??= dirname(require.resolve('swagger-ui-dist/package.json'));
    res.setHeader('Content-Type', type);
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.sendFile(join(root, req.params.file));
  });
  return router;
}
