/**
 * The published manifest matches the code: every package the library imports at runtime is a
 * peer dependency, store drivers are optional peers reached only lazily (type imports or
 * `loadPackage`/dynamic `import()`), so an app on the filesystem store never loads the AWS SDK.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';

const libRoot = resolve(process.cwd(), 'libs/result-backend');
const srcRoot = join(libRoot, 'src');
const manifest = JSON.parse(
  readFileSync(join(libRoot, 'package.json'), 'utf8'),
) as {
  name: string;
  type: string;
  exports: Record<string, unknown>;
  typesVersions: Record<string, Record<string, string[]>>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
  dependencies?: Record<string, string>;
};

/** Drivers and integrations that must never be loaded by importing the library. */
const LAZY = [
  'ioredis',
  '@aws-sdk/client-s3',
  'nano',
  'pg',
  '@nestjs/terminus',
  '@nestjs/config',
];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return p.endsWith('.ts') && !p.endsWith('.spec.ts') ? [p] : [];
  });
}

interface Imports {
  /** Value imports (`import x from`, `export … from`) that load the module eagerly. */
  eager: string[];
  /** Type-only imports, dynamic `import()` and `loadPackage('…')`. */
  lazy: string[];
}

function importsOf(file: string): Imports {
  const text = readFileSync(file, 'utf8');
  const eager: string[] = [];
  const lazy: string[] = [];
  for (const m of text.matchAll(
    /^(import|export)\s+(type\s+)?[^;]*?from\s+'([^']+)'/gms,
  )) {
    (m[2] ? lazy : eager).push(m[3]);
  }
  for (const m of text.matchAll(/^import\s+'([^']+)'/gm)) eager.push(m[1]);
  for (const m of text.matchAll(/import\(\s*'([^']+)'\s*\)/g)) lazy.push(m[1]);
  for (const m of text.matchAll(/loadPackage<[^>]*>\(\s*'([^']+)'/g))
    lazy.push(m[1]);
  return { eager, lazy };
}

const isBuiltin = (s: string): boolean =>
  s.startsWith('node:') || builtinModules.includes(s);
const packageOf = (s: string): string =>
  s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0];

describe('package manifest', () => {
  const files = sources(srcRoot);

  it('is a dual ESM/CommonJS package with typed entry points', () => {
    expect(manifest.name).toBe('nestjs-celery-result-backend');
    expect(manifest.type).toBe('module');
    const entries: Record<string, string> = {
      '.': 'index',
      './health': 'health/index',
      './codec': 'codec',
      './config': 'configuration',
      './http': 'http/index',
      './testing': 'testing/index',
    };
    expect(Object.keys(manifest.exports)).toEqual([
      ...Object.keys(entries),
      './package.json',
    ]);
    for (const [entry, stem] of Object.entries(entries)) {
      expect(manifest.exports[entry]).toEqual({
        import: { types: `./dist/${stem}.d.ts`, default: `./dist/${stem}.js` },
        require: {
          types: `./dist/cjs/${stem}.d.ts`,
          default: `./dist/cjs/${stem}.js`,
        },
      });
      expect(existsSync(join(srcRoot, `${stem}.ts`))).toBe(true);
      if (entry !== '.')
        expect(manifest.typesVersions['*'][entry.slice(2)]).toEqual([
          `./dist/cjs/${stem}.d.ts`,
        ]);
    }
    expect(manifest.dependencies ?? {}).toEqual({});
  });

  it('ships what a package needs: README, LICENSE, prepack build, no source maps', () => {
    const m = manifest as unknown as Record<string, unknown> & {
      scripts: Record<string, string>;
      files: string[];
    };
    expect(m.files).toEqual(['dist', 'README.md', 'LICENSE']);
    for (const f of ['README.md', 'LICENSE'])
      expect(existsSync(join(libRoot, f))).toBe(true);
    expect(m.scripts.prepack).toBe('npm run build');
    expect(m).toHaveProperty('repository');
    expect(m).toHaveProperty('publishConfig');
    const lib = JSON.parse(
      readFileSync(join(libRoot, 'tsconfig.lib.json'), 'utf8'),
    ) as { compilerOptions: Record<string, unknown> };
    expect(lib.compilerOptions).toMatchObject({
      sourceMap: false,
      declarationMap: false,
    });
  });

  it('declares every runtime import as a peer dependency', () => {
    const used = new Set(
      files.flatMap((f) => {
        const { eager, lazy } = importsOf(f);
        return [...eager, ...lazy]
          .filter((s) => !s.startsWith('.') && !isBuiltin(s))
          .map(packageOf);
      }),
    );
    expect(used.size).toBeGreaterThan(3);
    for (const p of used)
      expect({ p, declared: p in manifest.peerDependencies }).toEqual({
        p,
        declared: true,
      });
  });

  it('marks store drivers and integrations as optional peers', () => {
    for (const p of LAZY.filter((x) => x in manifest.peerDependencies)) {
      expect({
        p,
        optional: manifest.peerDependenciesMeta[p]?.optional,
      }).toEqual({ p, optional: true });
    }
  });

  it('never imports a driver eagerly', () => {
    for (const f of files) {
      const eager = importsOf(f)
        .eager.map(packageOf)
        .filter((p) => LAZY.includes(p));
      const allowed = f.includes(`${join('src', 'health')}`)
        ? ['@nestjs/terminus']
        : [];
      expect({ f, eager: eager.filter((p) => !allowed.includes(p)) }).toEqual({
        f,
        eager: [],
      });
    }
  });

  it('the main entry reaches no store module eagerly (stores load on demand)', () => {
    const seen = new Set<string>();
    const walk = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const s of importsOf(file).eager.filter((x) => x.startsWith('.'))) {
        walk(resolve(dirname(file), s.replace(/\.js$/, '.ts')));
      }
    };
    walk(join(srcRoot, 'index.ts'));
    const storeModules = [...seen].filter((f) =>
      /stores\/[^/]+\/[^/]+\.store\.ts$/.test(f),
    );
    expect(storeModules).toEqual([]);
    expect([...seen].some((f) => f.includes(`${join('src', 'health')}`))).toBe(
      false,
    );
    expect(seen.size).toBeGreaterThan(20);
  });
});
