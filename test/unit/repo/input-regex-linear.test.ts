import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkSync } from 'recheck';
import ts from 'typescript';

/**
 * Issue 6 §5: every regular expression the intake applies to a sender's input runs in linear time. Each
 * regex literal in the code that reads requests is checked by recheck, which finds the inputs that make
 * a backtracking engine take polynomial or exponential time (`/\{\{[^}]*\}\}/` is quadratic on `{{{{…`).
 */
const INPUT_FOLDERS = ['src/http', 'src/intake', 'src/signals'];

function regexLiterals(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) found.push(node.getText(source));
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const literals = INPUT_FOLDERS.flatMap((folder) =>
  readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .flatMap((name) => regexLiterals(join(folder, name)).map((literal) => [join(folder, name), literal])),
);

describe('regular expressions applied to input', () => {
  it('when the intake code is scanned, then it holds regexes to check', () => {
    expect(literals.length).toBeGreaterThan(5);
  });

  it.each(literals)('%s: %s runs in linear time', (_file, literal) => {
    const end = literal.lastIndexOf('/');
    const result = checkSync(literal.slice(1, end), literal.slice(end + 1));
    expect({
      literal,
      status: result.status,
      complexity: result.status === 'vulnerable' ? result.complexity.summary : 'linear',
    }).toEqual({
      literal,
      status: 'safe',
      complexity: 'linear',
    });
  });
});
