/**
 * The public surface: what the package's entry points export. Fails when an export is tagged
 * `@internal`, when a public declaration refers to a type no entry point exports, or when the
 * main entry grows past 40 names.
 */
import { resolve } from 'node:path';
import ts from 'typescript';

const srcRoot = resolve(process.cwd(), 'libs/result-backend/src');
const ENTRIES = {
  '.': 'index.ts',
  './health': 'health/index.ts',
  './http': 'http/index.ts',
  './codec': 'codec.ts',
  './config': 'config.ts',
  './testing': 'testing/index.ts',
};
const MAX_MAIN_EXPORTS = 40;

const program = ts.createProgram(
  Object.values(ENTRIES).map((f) => resolve(srcRoot, f)),
  {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2023,
    strict: true,
    experimentalDecorators: true,
    skipLibCheck: true,
    noEmit: true,
  },
);
const checker = program.getTypeChecker();

function real(symbol: ts.Symbol): ts.Symbol {
  return symbol.flags & ts.SymbolFlags.Alias
    ? checker.getAliasedSymbol(symbol)
    : symbol;
}

function exportsOf(entry: string): Map<string, ts.Symbol> {
  const file = program.getSourceFile(resolve(srcRoot, entry));
  if (!file) throw new Error(`no entry ${entry}`);
  const moduleSymbol = checker.getSymbolAtLocation(file);
  if (!moduleSymbol) throw new Error(`${entry} is not a module`);
  return new Map(
    checker.getExportsOfModule(moduleSymbol).map((s) => [s.name, real(s)]),
  );
}

const entries = Object.fromEntries(
  Object.entries(ENTRIES).map(([k, f]) => [k, exportsOf(f)]),
);
const publicSymbols = new Set(
  Object.values(entries).flatMap((m) => [...m.values()]),
);

function isOurs(decl: ts.Declaration): boolean {
  const file = decl.getSourceFile().fileName;
  return file.startsWith(srcRoot) && !file.includes('node_modules');
}

function isInternal(symbol: ts.Symbol): boolean {
  return (symbol.declarations ?? []).some((d) =>
    ts.getJSDocTags(d).some((t) => t.tagName.text === 'internal'),
  );
}

/** Our declarations that a public declaration names in its types (bodies and privates skipped). */
function referencedTypes(decl: ts.Node): ts.Symbol[] {
  const found: ts.Symbol[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isBlock(node)) return;
    // A class's base (e.g. the ConfigurableModuleClass the module extends) is not its API.
    if (
      ts.isHeritageClause(node) &&
      node.token === ts.SyntaxKind.ExtendsKeyword &&
      ts.isClassDeclaration(node.parent)
    )
      return;
    if (
      (ts.isPropertyDeclaration(node) ||
        ts.isMethodDeclaration(node) ||
        ts.isGetAccessor(node) ||
        ts.isConstructorDeclaration(node)) &&
      ts.getCombinedModifierFlags(node).valueOf() &
        (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)
    )
      return;
    if (ts.isPropertyDeclaration(node) && ts.isPrivateIdentifier(node.name))
      return;
    if (
      ts.isTypeReferenceNode(node) ||
      ts.isExpressionWithTypeArguments(node)
    ) {
      const name = ts.isTypeReferenceNode(node)
        ? node.typeName
        : node.expression;
      const s = checker.getSymbolAtLocation(name);
      if (s) {
        const r = real(s);
        if (
          !(r.flags & ts.SymbolFlags.TypeParameter) &&
          (r.declarations ?? []).some(isOurs)
        )
          found.push(r);
      }
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(decl, visit);
  return found;
}

describe('public surface', () => {
  it(`the main entry exports at most ${MAX_MAIN_EXPORTS} names`, () => {
    expect(entries['.'].size).toBeLessThanOrEqual(MAX_MAIN_EXPORTS);
    expect(entries['.'].size).toBeGreaterThan(10);
  });

  it('exports nothing tagged @internal', () => {
    const internal = Object.entries(entries).flatMap(([entry, m]) =>
      [...m.entries()]
        .filter(([, s]) => isInternal(s))
        .map(([name]) => `${entry}: ${name}`),
    );
    expect(internal).toEqual([]);
  });

  it('every type a public declaration refers to is exported by an entry point', () => {
    const missing = new Set<string>();
    for (const [entry, m] of Object.entries(entries)) {
      for (const [name, symbol] of m) {
        for (const decl of symbol.declarations ?? []) {
          for (const ref of referencedTypes(decl)) {
            if (!publicSymbols.has(ref))
              missing.add(`${entry}: ${name} -> ${ref.name}`);
          }
        }
      }
    }
    expect([...missing].sort()).toEqual([]);
  });
});
