import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

/** One prebuilt file of the page, read once: its bytes, media type and strong entity tag. @internal */
export interface AdminPageAsset {
  readonly bytes: Uint8Array;
  readonly contentType: string;
  /** `"<sha256 of the bytes, hex>"`: a strong tag, the same on every mount and process. */
  readonly etag: string;
}

/** The page's assets by their name under `<base>/ui/`. @internal */
export type AdminPageAssets = ReadonlyMap<string, AdminPageAsset>;

/** The one file-system call the loader makes (`node:fs`'s, on Node, Bun and Deno). */
type ReadFile = (file: URL) => Uint8Array;

const ASSET_TYPES: Readonly<Record<string, string>> = {
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
};

/** The package whose root holds the assets, in `dist/admin-page/`. */
const PACKAGE_NAME = 'keyward';
const ASSETS_DIR = 'dist/admin-page/';
const NOT_BUILT = 'keyward: the admin page is not built; run npm run build';

/**
 * `node:fs`'s `readFileSync`, found without a static import so that `keyward/http` stays free of
 * Node modules for runtimes without a file system (Cloudflare Workers); `undefined` there.
 */
function fileReader(): ReadFile | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const fs = proc?.getBuiltinModule?.('node:fs') as { readFileSync?: ReadFile } | undefined;
  return typeof fs?.readFileSync === 'function' ? fs.readFileSync : undefined;
}

/** True when the directory `dir` holds keyward's own package.json. */
function isPackageRoot(read: ReadFile, dir: URL): boolean {
  try {
    const text = new TextDecoder().decode(read(new URL('package.json', dir)));
    return (JSON.parse(text) as { name?: unknown }).name === PACKAGE_NAME;
  } catch {
    return false;
  }
}

/**
 * The directory of the page's assets: `dist/admin-page/` under keyward's package root, found by
 * walking up from `from` (this module: `src/...` in the repository, `dist/...` once published);
 * `undefined` when no directory up the way is keyward's (a bundle of the host's).
 *
 * @internal
 */
export function defaultAssetsDir(read: ReadFile, from: string = import.meta.url): URL | undefined {
  let dir = new URL('./', from);
  for (;;) {
    if (isPackageRoot(read, dir)) return new URL(ASSETS_DIR, dir);
    const parent = new URL('../', dir);
    if (parent.href === dir.href) return undefined;
    dir = parent;
  }
}

/**
 * Reads the page's prebuilt assets once, from the directory `dir` (a URL ending in `/`; default:
 * keyward's `dist/admin-page/`). Throws `TypeError` when one is missing or no file system can be
 * read, at startup rather than on the first visit.
 *
 * @internal
 */
export function loadAdminPageAssets(dir?: URL | undefined): AdminPageAssets {
  const read = fileReader();
  if (read === undefined) {
    throw new TypeError(
      'keyward: the admin page reads its files with process.getBuiltinModule (Node 20.16+)',
    );
  }
  const from = dir ?? defaultAssetsDir(read);
  if (from === undefined) throw new TypeError(NOT_BUILT);
  const assets = new Map<string, AdminPageAsset>();
  for (const [name, contentType] of Object.entries(ASSET_TYPES)) {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(read(new URL(name, from)));
    } catch {
      throw new TypeError(NOT_BUILT);
    }
    assets.set(name, { bytes, contentType, etag: `"${bytesToHex(sha256(bytes))}"` });
  }
  return assets;
}
