/**
 * A tiny parser for the SQL the extension runs through the statements API:
 *   GRANT p[, p ...] ON CATALOG|SCHEMA|DATABASE <name> TO <principal>
 *   REVOKE p[, p ...] ON CATALOG|SCHEMA|DATABASE <name> FROM <principal>
 *   SHOW GRANTS [<principal>] ON CATALOG|SCHEMA|DATABASE <name>
 *   SELECT 1 (any `SELECT <integer>` — handy for connectivity checks)
 *   CREATE SCHEMA|DATABASE [IF NOT EXISTS] <name>
 *   DROP SCHEMA|DATABASE [IF EXISTS] <name> [CASCADE|RESTRICT]
 * Identifiers are bare words ([A-Za-z0-9_]) or backtick-quoted with `` `` `` as an escaped backtick;
 * names may be qualified with dots (`hive_metastore`.`default`). Privileges are words, possibly
 * several (ALL PRIVILEGES, USE CATALOG), normalised to upper case with "_" between words
 * except ALL PRIVILEGES. `READ METADATA` is refused: the Hive keyword is READ_METADATA.
 */

export type Securable = { type: 'CATALOG' | 'SCHEMA'; parts: string[] };
export type ParsedStatement =
  | { kind: 'grant' | 'revoke'; privileges: string[]; on: Securable; principal: string }
  | { kind: 'show'; principal?: string; on: Securable }
  | { kind: 'select'; value: string }
  | { kind: 'create-schema'; parts: string[]; ifNotExists: boolean }
  | { kind: 'drop-schema'; parts: string[]; ifExists: boolean };
/** The statements about grants (GRANT, REVOKE, SHOW GRANTS). */
export type GrantStatement = Extract<ParsedStatement, { on: Securable }>;

export class SqlError extends Error {
  constructor(
    readonly errorClass: string,
    message: string,
  ) {
    super(`[${errorClass}] ${message}`);
  }
}

type Tok = { k: 'word'; v: string } | { k: 'quoted'; v: string } | { k: ',' } | { k: '.' } | { k: ';' };

function tokenize(sql: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === ',' || c === '.' || c === ';') {
      out.push({ k: c });
      i++;
    } else if (c === '`') {
      let v = '';
      i++;
      for (;;) {
        if (i >= sql.length) throw new SqlError('PARSE_SYNTAX_ERROR', 'Syntax error: unterminated quoted identifier.');
        if (sql[i] === '`') {
          if (sql[i + 1] === '`') {
            v += '`';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        v += sql[i];
        i++;
      }
      out.push({ k: 'quoted', v });
    } else if (/[A-Za-z0-9_]/.test(c)) {
      let j = i;
      while (j < sql.length && /[A-Za-z0-9_]/.test(sql[j])) j++;
      out.push({ k: 'word', v: sql.slice(i, j) });
      i = j;
    } else {
      throw new SqlError('PARSE_SYNTAX_ERROR', `Syntax error at or near '${c}'.`);
    }
  }
  while (out.length > 0 && out[out.length - 1].k === ';') out.pop();
  return out;
}

export function parseStatement(sql: string): ParsedStatement {
  const toks = tokenize(sql);
  let p = 0;
  const word = (): string | undefined => {
    const t = toks[p];
    return t && t.k === 'word' ? t.v.toUpperCase() : undefined;
  };
  const near = (): string => {
    const t = toks[p];
    if (!t) return 'end of input';
    return `'${t.k === 'word' || t.k === 'quoted' ? t.v : t.k}'`;
  };
  const expect = (w: string): void => {
    if (word() !== w) throw new SqlError('PARSE_SYNTAX_ERROR', `Syntax error at or near ${near()}: expected ${w}.`);
    p++;
  };
  const ident = (): string => {
    const t = toks[p];
    if (!t || (t.k !== 'word' && t.k !== 'quoted')) throw new SqlError('PARSE_SYNTAX_ERROR', `Syntax error at or near ${near()}: expected an identifier.`);
    p++;
    return t.v;
  };
  const qualified = (): string[] => {
    const parts = [ident()];
    while (toks[p]?.k === '.') {
      p++;
      parts.push(ident());
    }
    return parts;
  };
  const securable = (): Securable => {
    const w = word();
    if (w !== 'CATALOG' && w !== 'SCHEMA' && w !== 'DATABASE') {
      throw new SqlError('PARSE_SYNTAX_ERROR', `Unsupported securable at or near ${near()} (the emulator supports CATALOG, SCHEMA, DATABASE).`);
    }
    p++;
    return { type: w === 'CATALOG' ? 'CATALOG' : 'SCHEMA', parts: qualified() };
  };
  const end = (): void => {
    if (p !== toks.length) throw new SqlError('PARSE_SYNTAX_ERROR', `Syntax error at or near ${near()}: extra input.`);
  };

  const first = word();
  if (first === 'GRANT' || first === 'REVOKE') {
    p++;
    const privileges: string[] = [];
    for (;;) {
      const words: string[] = [];
      while (word() !== undefined && word() !== 'ON') {
        words.push(word()!);
        p++;
      }
      if (words.length === 0) throw new SqlError('PARSE_SYNTAX_ERROR', `Syntax error at or near ${near()}: expected a privilege.`);
      // The Hive metastore privilege is the one keyword READ_METADATA; "READ METADATA" is not Databricks SQL
      if (words.length === 2 && words[0] === 'READ' && words[1] === 'METADATA') throw new SqlError('PARSE_SYNTAX_ERROR', "Syntax error at or near 'METADATA'.");
      privileges.push(words.join(' ') === 'ALL PRIVILEGES' ? 'ALL PRIVILEGES' : words.join('_'));
      if (toks[p]?.k === ',') {
        p++;
        continue;
      }
      break;
    }
    expect('ON');
    const on = securable();
    expect(first === 'GRANT' ? 'TO' : 'FROM');
    const principal = ident();
    end();
    return { kind: first === 'GRANT' ? 'grant' : 'revoke', privileges, on, principal };
  }
  if (first === 'SHOW') {
    p++;
    expect('GRANTS');
    let principal: string | undefined;
    if (word() !== 'ON') principal = ident();
    expect('ON');
    const on = securable();
    end();
    return { kind: 'show', principal, on };
  }
  if (first === 'SELECT') {
    p++;
    const t = toks[p];
    if (t && t.k === 'word' && /^\d+$/.test(t.v)) {
      p++;
      end();
      return { kind: 'select', value: t.v };
    }
    throw new SqlError('UNSUPPORTED_STATEMENT', 'The emulator only supports SELECT <integer>.');
  }
  if (first === 'CREATE' || first === 'DROP') {
    p++;
    const w = word();
    if (w !== 'SCHEMA' && w !== 'DATABASE') throw new SqlError('PARSE_SYNTAX_ERROR', `Syntax error at or near ${near()} (the emulator supports ${first} SCHEMA only).`);
    p++;
    const keywords = (words: string[]): boolean => {
      const ok = words.every((x, i) => {
        const t = toks[p + i];
        return t?.k === 'word' && t.v.toUpperCase() === x;
      });
      if (ok) p += words.length;
      return ok;
    };
    const conditional = keywords(first === 'CREATE' ? ['IF', 'NOT', 'EXISTS'] : ['IF', 'EXISTS']);
    const parts = qualified();
    if (first === 'DROP' && (word() === 'CASCADE' || word() === 'RESTRICT')) p++;
    end();
    return first === 'CREATE' ? { kind: 'create-schema', parts, ifNotExists: conditional } : { kind: 'drop-schema', parts, ifExists: conditional };
  }
  if (toks.length === 0) throw new SqlError('PARSE_EMPTY_STATEMENT', 'Syntax error, unexpected empty statement.');
  throw new SqlError('PARSE_SYNTAX_ERROR', `Syntax error at or near ${near()}.`);
}

/** Quotes an identifier with backticks, doubling inner backticks. */
export function quoteIdent(s: string): string {
  return '`' + s.replace(/`/g, '``') + '`';
}
