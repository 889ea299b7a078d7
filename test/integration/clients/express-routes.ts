/** One route an Express app serves, as an OpenAPI path (`/keys/{id}`). */
export interface ServedRoute {
  method: string;
  path: string;
}

interface Layer {
  rawPath?: string | string[];
  slash?: boolean;
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

const toOpenApi = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

function walk(stack: Layer[], prefix: string, out: ServedRoute[]): void {
  for (const layer of stack) {
    if (layer.route) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      for (const path of paths)
        for (const [method, on] of Object.entries(layer.route.methods))
          if (on && method !== '_all')
            out.push({ method: method.toUpperCase(), path: toOpenApi(prefix + path) });
    } else if (layer.handle?.stack) {
      // A mounted router: its own routes live under the mount path (`rawPath`; `slash` means "/").
      const mount = layer.slash || typeof layer.rawPath !== 'string' ? '' : layer.rawPath.replace(/\/$/, '');
      walk(layer.handle.stack, prefix + mount, out);
    }
  }
}

/** Every route an Express app registers, nested routers included. */
export function registeredRoutes(express: object): ServedRoute[] {
  const app = express as { router?: { stack: Layer[] } };
  if (!app.router) throw new Error('not an Express app');
  const out: ServedRoute[] = [];
  walk(app.router.stack, '', out);
  return out;
}
