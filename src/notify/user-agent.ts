import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** `tradehook/<version>` from package.json (two levels up from both src/notify and dist/notify). */
export function userAgent(): string {
  try {
    const { version } = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as {
      version: string;
    };
    return `tradehook/${version}`;
  } catch {
    return 'tradehook';
  }
}
